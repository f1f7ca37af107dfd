package org.rsafe.engine.gguf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rsafe.util.UserException;

/**
 * Writes a Hugging Face Qwen2 checkpoint as a GGUF model, or a PEFT LoRA adapter of it as a GGUF adapter, in the
 * layout llama.cpp's own converter produces (its {@code Qwen2Model} class): {@code qwen2.*} hyper-parameters,
 * the byte-level BPE tokenizer, and tensors renamed to llama.cpp's names. Tensors are read, converted and written
 * one at a time, so memory holds one tensor.
 */
public final class Qwen2GgufConverter {
    public static final String ARCHITECTURE = "qwen2";
    /** The llama.cpp build inside de.kherud:llama 4.2.0, named in messages about what it cannot run. */
    public static final String BUNDLED_LLAMA_CPP = "b4916";
    private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.(.+)");
    private static final Map<String, String> LAYER_PARTS = Map.ofEntries(
            Map.entry("input_layernorm.weight", "attn_norm.weight"),
            Map.entry("self_attn.q_proj.weight", "attn_q.weight"),
            Map.entry("self_attn.q_proj.bias", "attn_q.bias"),
            Map.entry("self_attn.k_proj.weight", "attn_k.weight"),
            Map.entry("self_attn.k_proj.bias", "attn_k.bias"),
            Map.entry("self_attn.v_proj.weight", "attn_v.weight"),
            Map.entry("self_attn.v_proj.bias", "attn_v.bias"),
            Map.entry("self_attn.o_proj.weight", "attn_output.weight"),
            Map.entry("post_attention_layernorm.weight", "ffn_norm.weight"),
            Map.entry("mlp.gate_proj.weight", "ffn_gate.weight"),
            Map.entry("mlp.up_proj.weight", "ffn_up.weight"),
            Map.entry("mlp.down_proj.weight", "ffn_down.weight"));

    /**
     * What {@code --type} asks for, with llama.cpp's {@code general.file_type} number. One-dimensional tensors
     * (norms, biases) always stay F32, as in llama.cpp's converter.
     */
    public enum FileType {
        /** Everything float32. */
        F32(0, GgufType.F32),
        /** Matrices float16. */
        F16(1, GgufType.F16),
        /** Matrices Q8_0 (rows not a multiple of 32 fall back to F16). */
        Q8_0(7, GgufType.Q8_0),
        /** Matrices Q4_0, except the embedding and the output head, which stay Q8_0 (they are the most sensitive). */
        Q4_0(2, GgufType.Q4_0);

        private final int fileTypeId;
        private final GgufType matrixType;

        FileType(int fileTypeId, GgufType matrixType) {
            this.fileTypeId = fileTypeId;
            this.matrixType = matrixType;
        }

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The {@code general.file_type} number. */
        public int fileTypeId() {
            return fileTypeId;
        }

        public static FileType parse(String s) {
            for (FileType t : values()) {
                if (t.cliName().equalsIgnoreCase(s == null ? "" : s.trim())) {
                    return t;
                }
            }
            throw new UserException("--type must be f32, f16, q8_0 or q4_0, was '" + s + "'");
        }

        /** The stored type of a tensor of {@code shape} named {@code ggufName}. */
        public GgufType typeOf(String ggufName, List<Long> shape) {
            if (shape.size() < 2) {
                return GgufType.F32;
            }
            GgufType t = matrixType;
            if (this == Q4_0 && (ggufName.startsWith("token_embd") || ggufName.startsWith("output."))) {
                t = GgufType.Q8_0;
            }
            return t.fitsRow(shape.get(shape.size() - 1)) ? t : GgufType.F16;
        }
    }

    /**
     * The Qwen2 hyper-parameters written as {@code qwen2.*} metadata.
     *
     * @param contextLength the longest sequence (max_position_embeddings)
     */
    public record Hyperparameters(int vocabSize, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
                                  int numKvHeads, int headDim, double rmsNormEps, double ropeTheta,
                                  int contextLength) { }

    /** The checkpoint's float32 weights by Hugging Face name. */
    public interface Weights {
        float[] read(String hfName);
    }

    /** One LoRA pair for one base weight: A is [r, in], B is [out, r]. */
    public record LoraPair(String baseWeight, List<Long> aShape, List<Long> bShape, Weights factors,
                           String aTensor, String bTensor) { }

    private Qwen2GgufConverter() { }

    /**
     * Refuses, before anything is read, a model whose config.json names an architecture the bundled llama.cpp
     * cannot run (Qwen3 among them) or that is not Qwen2 at all.
     */
    public static void checkArchitecture(Path modelDir) {
        Path configFile = modelDir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            return; // the model folder's own reader reports the missing file
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(configFile.toFile());
        } catch (IOException e) {
            return; // likewise for malformed JSON, with its position
        }
        String type = root == null ? "" : root.path("model_type").asText("");
        if (type.startsWith("qwen3")) {
            throw new UserException(configFile + ": model_type is \"" + type + "\"; the bundled llama.cpp ("
                    + BUNDLED_LLAMA_CPP + ") cannot run Qwen3, so it is not converted (Qwen2 and Qwen2.5 models can be)");
        }
    }

    /** llama.cpp's name for a Hugging Face Qwen2 tensor; a UserException for a tensor it has no place for. */
    public static String ggufName(String hfName) {
        switch (hfName) {
            case "model.embed_tokens.weight":
                return "token_embd.weight";
            case "model.norm.weight":
                return "output_norm.weight";
            case "lm_head.weight":
                return "output.weight";
            default:
                break;
        }
        Matcher m = LAYER.matcher(hfName);
        if (m.matches() && LAYER_PARTS.containsKey(m.group(2))) {
            return "blk." + m.group(1) + "." + LAYER_PARTS.get(m.group(2));
        }
        throw new UserException("tensor " + hfName + " has no place in llama.cpp's Qwen2 layout");
    }

    /**
     * Writes the model: {@code tensorShapes} lists the Hugging Face tensors to write, in order, with their shapes
     * (outermost first); {@code weights} reads each when its turn comes. The tokenizer comes from
     * {@code modelDir}'s tokenizer files.
     */
    public static void writeModel(Path out, Path modelDir, String name, Hyperparameters hp,
                                  Map<String, List<Long>> tensorShapes, Weights weights, FileType type,
                                  GgufWriter.Progress progress) throws IOException {
        GgufMetadata m = new GgufMetadata();
        m.putString("general.architecture", ARCHITECTURE);
        m.putString("general.type", "model");
        m.putString("general.name", name);
        m.putUint32("general.file_type", type.fileTypeId);
        if (type == FileType.Q8_0 || type == FileType.Q4_0) {
            m.putUint32("general.quantization_version", 2);
        }
        String a = ARCHITECTURE + ".";
        m.putUint32(a + "context_length", hp.contextLength());
        m.putUint32(a + "embedding_length", hp.hiddenSize());
        m.putUint32(a + "feed_forward_length", hp.intermediateSize());
        m.putUint32(a + "block_count", hp.numLayers());
        m.putUint32(a + "attention.head_count", hp.numHeads());
        m.putUint32(a + "attention.head_count_kv", hp.numKvHeads());
        if ((long) hp.headDim() * hp.numHeads() != hp.hiddenSize()) {
            m.putUint32(a + "attention.key_length", hp.headDim());
            m.putUint32(a + "attention.value_length", hp.headDim());
        }
        m.putFloat32(a + "rope.freq_base", (float) hp.ropeTheta());
        m.putFloat32(a + "attention.layer_norm_rms_epsilon", (float) hp.rmsNormEps());
        HfVocabulary.read(modelDir, hp.vocabSize()).addTo(m);

        List<GgufWriter.Tensor> tensors = new ArrayList<>();
        tensorShapes.forEach((hf, shape) -> {
            String g = ggufName(hf);
            tensors.add(new GgufWriter.Tensor(g, shape, type.typeOf(g, shape), () -> weights.read(hf)));
        });
        GgufWriter.write(out, m, tensors, progress);
    }

    /**
     * Writes a LoRA adapter as llama.cpp loads it: {@code general.type = adapter}, {@code adapter.type = lora},
     * {@code adapter.lora.alpha}, and for each base weight {@code W} the tensors {@code W.lora_a} [r, in] and
     * {@code W.lora_b} [out, r]. llama.cpp scales B·A by alpha / r, so {@code scale} (PEFT's alpha / r, or
     * alpha / √r with rank-stabilised LoRA) is written as alpha = scale · r.
     */
    public static void writeAdapter(Path out, String name, int r, double scale, List<LoraPair> pairs,
                                    FileType type, GgufWriter.Progress progress) throws IOException {
        if (type != FileType.F32 && type != FileType.F16) {
            throw new UserException("--type " + type.cliName() + ": adapters are written as f32 or f16");
        }
        GgufMetadata m = new GgufMetadata();
        m.putString("general.architecture", ARCHITECTURE);
        m.putString("general.type", "adapter");
        m.putString("general.name", name);
        m.putUint32("general.file_type", type.fileTypeId);
        m.putString("adapter.type", "lora");
        m.putFloat32("adapter.lora.alpha", (float) (scale * r));
        List<GgufWriter.Tensor> tensors = new ArrayList<>();
        for (LoraPair p : pairs) {
            String g = ggufName(p.baseWeight());
            tensors.add(new GgufWriter.Tensor(g + ".lora_a", p.aShape(), type.typeOf(g, p.aShape()),
                    () -> p.factors().read(p.aTensor())));
            tensors.add(new GgufWriter.Tensor(g + ".lora_b", p.bShape(), type.typeOf(g, p.bShape()),
                    () -> p.factors().read(p.bTensor())));
        }
        GgufWriter.write(out, m, tensors, progress);
    }
}
