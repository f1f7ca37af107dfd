package org.rsafe.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rsafe.engine.llm.LoraAdapter;
import org.rsafe.engine.llm.SafetensorsWriter;
import org.rsafe.util.AtomicFiles;

/**
 * Writes LoRA weights as a PEFT adapter folder that PEFT, vLLM and this workbench's engine load:
 * {@code adapter_config.json} and {@code adapter_model.safetensors} with tensors named
 * {@code base_model.model.<module>.lora_A.weight} [r, in] and {@code ….lora_B.weight} [out, r] (LLM.md §5).
 */
public final class PeftAdapterWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PeftAdapterWriter() { }

    /**
     * The factors of one adapted linear layer.
     *
     * @param module the module path in the base model, e.g. {@code model.layers.0.self_attn.q_proj}
     * @param a      [r, in] row-major
     * @param b      [out, r] row-major
     */
    public record Module(String module, int in, int out, float[] a, float[] b) {
        public Module {
            Objects.requireNonNull(module, "module");
            if (in < 1 || out < 1 || a.length % in != 0 || a.length == 0 || b.length != (long) out * (a.length / in)) {
                throw new IllegalArgumentException("LoRA factors of " + module + " do not fit [r," + in + "] and ["
                        + out + ",r]");
            }
        }

        public int r() {
            return a.length / in;
        }
    }

    /** The adapter's hyper-parameters as PEFT records them. */
    public record Spec(int r, double alpha, double dropout, List<String> targetModules) {
        public Spec {
            targetModules = List.copyOf(targetModules);
        }
    }

    /** PEFT's tensor name for a module's factor: {@code base_model.model.<module>.lora_A.weight}. */
    public static String tensorName(String module, char factor) {
        return "base_model.model." + module + ".lora_" + factor + ".weight";
    }

    /**
     * Writes both files into {@code dir} (created if needed), each atomically; the weights file goes first, so a
     * folder whose config is present is complete.
     */
    public static void write(Path dir, Spec spec, String baseModelNameOrPath, List<Module> modules) throws IOException {
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (Module m : modules) {
            if (m.r() != spec.r()) {
                throw new IllegalArgumentException(m.module() + " has rank " + m.r() + ", the adapter's r is " + spec.r());
            }
            entries.add(SafetensorsWriter.Entry.of(tensorName(m.module(), 'A'), m.a(), spec.r(), m.in()));
            entries.add(SafetensorsWriter.Entry.of(tensorName(m.module(), 'B'), m.b(), m.out(), spec.r()));
        }
        SafetensorsWriter.write(dir.resolve(LoraAdapter.WEIGHTS_FILE), entries, SafetensorsWriter.Dtype.F32);
        AtomicFiles.writeString(dir.resolve(LoraAdapter.CONFIG_FILE), configJson(spec, baseModelNameOrPath));
    }

    static String configJson(Spec spec, String baseModelNameOrPath) throws IOException {
        ObjectNode c = JSON.createObjectNode();
        c.put("peft_type", "LORA");
        c.put("task_type", "CAUSAL_LM");
        c.put("base_model_name_or_path", baseModelNameOrPath == null ? "" : baseModelNameOrPath);
        c.put("r", spec.r());
        if (spec.alpha() == Math.rint(spec.alpha())) {
            c.put("lora_alpha", (long) spec.alpha()); // PEFT declares it an int
        } else {
            c.put("lora_alpha", spec.alpha());
        }
        c.put("lora_dropout", spec.dropout());
        ArrayNode t = c.putArray("target_modules");
        spec.targetModules().forEach(t::add);
        c.put("bias", "none");
        c.put("fan_in_fan_out", false);
        c.put("use_rslora", false);
        c.put("init_lora_weights", true);
        c.put("inference_mode", true);
        return JSON.writeValueAsString(c) + "\n";
    }
}
