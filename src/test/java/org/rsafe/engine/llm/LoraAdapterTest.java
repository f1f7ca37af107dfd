package org.rsafe.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.util.UserException;

class LoraAdapterTest {

    @TempDir
    Path tmp;
    Path model;
    Map<String, List<Long>> shapes;

    static final String CONFIG = """
            {
              "peft_type": "LORA",
              "task_type": "CAUSAL_LM",
              "base_model_name_or_path": "tiny",
              "r": 4,
              "lora_alpha": 8,
              "lora_dropout": 0.05,
              "target_modules": ["q_proj", "v_proj", "down_proj"],
              "bias": "none",
              "fan_in_fan_out": false,
              "use_rslora": false,
              "inference_mode": true
            }
            """;

    @BeforeEach
    void writeModel() {
        model = TinyModels.f32Tied(tmp);
        try (ModelFolder f = ModelFolder.open(model)) {
            shapes = ModelFolder.expectedShapes(f.config());
        }
    }

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian() * 0.1f;
        }
        return v;
    }

    /** Writes an adapter for the given modules with A [r, in] and B [out, r] filled from seeds. */
    Path adapter(String name, String config, List<String> modules, int r) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("adapter_config.json"), config);
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        int seed = 0;
        for (String module : modules) {
            List<Long> s = shapes.get(module + ".weight");
            int out = (int) (long) s.get(0);
            int in = (int) (long) s.get(1);
            entries.add(SafetensorsWriter.Entry.of("base_model.model." + module + ".lora_A.weight",
                    random(r * in, seed++), r, in));
            entries.add(SafetensorsWriter.Entry.of("base_model.model." + module + ".lora_B.weight",
                    random(out * r, seed++), out, r));
        }
        SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), entries, SafetensorsWriter.Dtype.F32);
        return dir;
    }

    static final List<String> MODULES = List.of("model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj",
            "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj", "model.layers.1.mlp.down_proj");

    @Test
    void mergedWeightsEqualBasePlusAlphaOverRTimesBA() throws IOException {
        Path a = adapter("lora", CONFIG, MODULES, 4);
        try (ModelFolder base = ModelFolder.open(model); ModelFolder merged = ModelFolder.open(model, a)) {
            LoraAdapter ad = merged.adapter().orElseThrow();
            assertThat(ad.r()).isEqualTo(4);
            assertThat(ad.scale()).isEqualTo(2.0);
            assertThat(ad.targetedWeights()).hasSize(5);
            for (String module : MODULES) {
                String w = module + ".weight";
                float[] baseW = base.mergedWeights(w);
                float[] mA = ad.tensors().readFloats("base_model.model." + module + ".lora_A.weight");
                float[] mB = ad.tensors().readFloats("base_model.model." + module + ".lora_B.weight");
                int out = (int) (long) shapes.get(w).get(0);
                int in = (int) (long) shapes.get(w).get(1);
                float[] got = merged.mergedWeights(w);
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        double delta = 0;
                        for (int k = 0; k < 4; k++) {
                            delta += (double) mB[o * 4 + k] * mA[k * in + i];
                        }
                        assertThat((double) got[o * in + i]).isCloseTo(baseW[o * in + i] + 8.0 / 4 * delta, within(1e-6));
                    }
                }
            }
            // Untargeted weights and biases of targeted modules are untouched.
            assertThat(merged.mergedWeights("model.layers.0.self_attn.k_proj.weight"))
                    .containsExactly(base.mergedWeights("model.layers.0.self_attn.k_proj.weight"));
            assertThat(merged.mergedWeights("model.layers.0.self_attn.q_proj.bias"))
                    .containsExactly(base.mergedWeights("model.layers.0.self_attn.q_proj.bias"));
        }
    }

    @Test
    void mergedWeightsIntoABufferMatchTheArrayForTargetedAndUntargetedWeights() throws IOException {
        Path a = adapter("lora", CONFIG, MODULES, 4);
        try (ModelFolder merged = ModelFolder.open(model, a)) {
            for (String w : List.of("model.layers.0.self_attn.q_proj.weight", "model.embed_tokens.weight")) {
                float[] expected = merged.mergedWeights(w);
                java.nio.FloatBuffer buf = java.nio.ByteBuffer.allocateDirect(expected.length * 4)
                        .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
                merged.mergedWeightsInto(w, buf);
                assertThat(buf.position()).isEqualTo(expected.length);
                float[] got = new float[expected.length];
                buf.flip().get(got);
                assertThat(got).containsExactly(expected);
            }
        }
    }

    @Test
    void rankStabilisedAdaptersScaleByAlphaOverRootR() throws IOException {
        Path a = adapter("rs", CONFIG.replace("\"use_rslora\": false", "\"use_rslora\": true"), MODULES, 4);
        try (ModelFolder f = ModelFolder.open(model, a)) {
            assertThat(f.adapter().orElseThrow().scale()).isEqualTo(4.0);
        }
    }

    @Test
    void anAdapterChangesTheReferenceForwardAndItsHash() throws IOException {
        Path a = adapter("lora", CONFIG, MODULES, 4);
        int[] ids = {1, 2, 3, 4};
        try (ModelFolder base = ModelFolder.open(model); ModelFolder merged = ModelFolder.open(model, a)) {
            assertThat(ReferenceQwen2.logits(merged, ids)[3]).isNotEqualTo(ReferenceQwen2.logits(base, ids)[3]);
            assertThat(merged.modelHash()).isNotEqualTo(base.modelHash());
        }
    }

    @Test
    void mismatchedShapesAndUntargetedModulesAreAllReported() throws IOException {
        Path a = adapter("bad", CONFIG.replace("\"q_proj\", ", "").replace("\"r\": 4", "\"r\": 2"),
                List.of("model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj"), 4);
        assertThatThrownBy(() -> ModelFolder.open(model, a)).isInstanceOf(UserException.class)
                .hasMessageContaining("adapter folder " + a + " cannot be used with this model")
                .hasMessageContaining("adapter has weights for model.layers.0.self_attn.q_proj, which target_modules "
                        + "[v_proj, down_proj] does not name")
                .hasMessageContaining("base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight has shape [4, 64], "
                        + "expected [2, 64]")
                .hasMessageContaining("target module down_proj has no lora_A/lora_B weights");
    }

    @Test
    void aModuleTheBaseDoesNotHaveIsReported() throws IOException {
        Path dir = adapter("ghost", CONFIG.replace("[\"q_proj\", \"v_proj\", \"down_proj\"]", "[\"q_proj\"]"),
                List.of("model.layers.0.self_attn.q_proj"), 4);
        // Rename layer 0 to a layer the 2-layer model does not have.
        Path st = dir.resolve("adapter_model.safetensors");
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        try (SafetensorsReader r = SafetensorsReader.openFile(st)) {
            for (String n : r.names()) {
                long[] shape = r.info(n).shape().stream().mapToLong(Long::longValue).toArray();
                entries.add(SafetensorsWriter.Entry.of(n.replace("layers.0", "layers.7"), r.readFloats(n), shape));
            }
        }
        SafetensorsWriter.write(st, entries, SafetensorsWriter.Dtype.F32);
        assertThatThrownBy(() -> ModelFolder.open(model, dir)).isInstanceOf(UserException.class)
                .hasMessageContaining("adapter targets model.layers.7.self_attn.q_proj, which is not a linear layer of the base model");
    }

    @Test
    void aLoneLoraAFactorIsReported() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("lone"));
        Files.writeString(dir.resolve("adapter_config.json"), CONFIG);
        SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), List.of(SafetensorsWriter.Entry.of(
                "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", new float[4 * 64], 4, 64)),
                SafetensorsWriter.Dtype.F32);
        assertThatThrownBy(() -> ModelFolder.open(model, dir)).isInstanceOf(UserException.class)
                .hasMessageContaining("module model.layers.0.self_attn.q_proj has lora_A but no lora_B");
    }

    @Test
    void unsupportedAdapterKindsAreRefusedClearly() throws IOException {
        Path dora = adapter("dora", CONFIG.replace("\"inference_mode\": true", "\"inference_mode\": true, \"use_dora\": true"),
                MODULES, 4);
        assertThatThrownBy(() -> ModelFolder.open(model, dora)).isInstanceOf(UserException.class)
                .hasMessageContaining("DoRA adapters are not supported");
        Path ia3 = adapter("ia3", CONFIG.replace("\"LORA\"", "\"IA3\""), MODULES, 4);
        assertThatThrownBy(() -> ModelFolder.open(model, ia3)).isInstanceOf(UserException.class)
                .hasMessageContaining("peft_type is IA3; only LORA adapters are supported");
    }

    @Test
    void aFolderWithoutAdapterConfigIsNotAnAdapter() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("plain"));
        assertThatThrownBy(() -> ModelFolder.open(model, dir)).isInstanceOf(UserException.class)
                .hasMessageContaining("no adapter_config.json in " + dir);
    }

    @Test
    void regexTargetModulesMatchWholeModuleNames() throws IOException {
        Path a = adapter("regex", CONFIG.replace("[\"q_proj\", \"v_proj\", \"down_proj\"]",
                "\".*layers\\\\.[01]\\\\.(self_attn\\\\.(q|v)_proj|mlp\\\\.down_proj)\""), MODULES, 4);
        try (ModelFolder f = ModelFolder.open(model, a)) {
            assertThat(f.adapter().orElseThrow().targetedWeights()).hasSize(5);
        }
    }
}
