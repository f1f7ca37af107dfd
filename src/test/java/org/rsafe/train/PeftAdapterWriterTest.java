package org.rsafe.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.llm.LoraAdapter;
import org.rsafe.engine.llm.ModelConfig;
import org.rsafe.engine.llm.ModelFolder;
import org.rsafe.engine.llm.ReferenceQwen2;
import org.rsafe.engine.llm.SafetensorsReader;
import org.rsafe.engine.llm.TinyModels;
import org.rsafe.util.UserException;

class PeftAdapterWriterTest {
    @TempDir
    Path dir;

    /** Random factors for layer 0's q_proj and layer 1's down_proj of the tiny model (H 64, I 128, q 4·16). */
    static List<PeftAdapterWriter.Module> modules(ModelConfig c, int r, long seed) {
        Random rnd = new Random(seed);
        int h = c.hiddenSize();
        int q = c.numHeads() * c.headDim();
        int i = c.intermediateSize();
        return List.of(
                new PeftAdapterWriter.Module("model.layers.0.self_attn.q_proj", h, q, random(rnd, r * h), random(rnd, q * r)),
                new PeftAdapterWriter.Module("model.layers.1.mlp.down_proj", i, h, random(rnd, r * i), random(rnd, h * r)));
    }

    private static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int k = 0; k < n; k++) {
            x[k] = (float) (rnd.nextGaussian() * 0.05);
        }
        return x;
    }

    static final PeftAdapterWriter.Spec SPEC = new PeftAdapterWriter.Spec(4, 8, 0.0, List.of("q_proj", "down_proj"));

    @Test
    void theAdapterUsesPeftNamesShapesAndConfigFields() throws IOException {
        Path base = TinyModels.f32Tied(dir);
        ModelConfig c;
        try (ModelFolder f = ModelFolder.open(base)) {
            c = f.config();
        }
        Path adapter = dir.resolve("adapter");

        PeftAdapterWriter.write(adapter, SPEC, "Qwen/Qwen2.5-0.5B-Instruct", modules(c, 4, 1));

        try (SafetensorsReader r = SafetensorsReader.openFile(adapter.resolve(LoraAdapter.WEIGHTS_FILE))) {
            assertThat(r.names()).containsExactlyInAnyOrder(
                    "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
                    "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight",
                    "base_model.model.model.layers.1.mlp.down_proj.lora_A.weight",
                    "base_model.model.model.layers.1.mlp.down_proj.lora_B.weight");
            assertThat(r.info("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight").shape()).containsExactly(4L, 64L);
            assertThat(r.info("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight").shape()).containsExactly(64L, 4L);
            assertThat(r.info("base_model.model.model.layers.1.mlp.down_proj.lora_A.weight").shape()).containsExactly(4L, 128L);
            assertThat(r.info("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight").shape()).containsExactly(64L, 4L);
            assertThat(r.metadata()).containsEntry("format", "pt");
        }
        JsonNode cfg = new ObjectMapper().readTree(adapter.resolve(LoraAdapter.CONFIG_FILE).toFile());
        assertThat(cfg.path("peft_type").asText()).isEqualTo("LORA");
        assertThat(cfg.path("task_type").asText()).isEqualTo("CAUSAL_LM");
        assertThat(cfg.path("base_model_name_or_path").asText()).isEqualTo("Qwen/Qwen2.5-0.5B-Instruct");
        assertThat(cfg.path("r").asInt()).isEqualTo(4);
        assertThat(cfg.path("lora_alpha").isIntegralNumber()).isTrue();
        assertThat(cfg.path("lora_alpha").asInt()).isEqualTo(8);
        assertThat(cfg.path("lora_dropout").asDouble()).isZero();
        assertThat(cfg.path("target_modules").toString()).isEqualTo("[\"q_proj\",\"down_proj\"]");
        assertThat(cfg.path("bias").asText()).isEqualTo("none");
        assertThat(cfg.path("fan_in_fan_out").asBoolean(true)).isFalse();
        assertThat(cfg.path("use_rslora").asBoolean(true)).isFalse();
        assertThat(cfg.path("init_lora_weights").asBoolean(false)).isTrue();
        assertThat(cfg.path("inference_mode").asBoolean(false)).isTrue();
    }

    @Test
    void theEngineLoadsTheAdapterAndAddsAlphaOverRTimesBA() throws IOException {
        Path base = TinyModels.f32Tied(dir);
        Path adapter = dir.resolve("adapter");
        List<PeftAdapterWriter.Module> mods;
        try (ModelFolder f = ModelFolder.open(base)) {
            mods = modules(f.config(), 4, 2);
        }
        PeftAdapterWriter.write(adapter, SPEC, "base", mods);

        try (ModelFolder plain = ModelFolder.open(base); ModelFolder adapted = ModelFolder.open(base, adapter)) {
            String name = "model.layers.0.self_attn.q_proj.weight";
            float[] w = plain.mergedWeights(name);
            float[] merged = adapted.mergedWeights(name);
            PeftAdapterWriter.Module q = mods.get(0);
            // W'[o][i] = W[o][i] + (8/4)·Σk B[o][k]·A[k][i], checked at a few entries.
            for (int[] at : new int[][] {{0, 0}, {5, 17}, {63, 63}}) {
                double delta = 0;
                for (int k = 0; k < 4; k++) {
                    delta += q.b()[at[0] * 4 + k] * q.a()[k * 64 + at[1]];
                }
                assertThat(merged[at[0] * 64 + at[1]]).isCloseTo((float) (w[at[0] * 64 + at[1]] + 2 * delta), within(1e-6f));
            }
            assertThat(adapted.mergedWeights("model.layers.0.self_attn.k_proj.weight"))
                    .containsExactly(plain.mergedWeights("model.layers.0.self_attn.k_proj.weight"));
        }
    }

    @Test
    void aMergedFolderGivesTheSameLogitsAsBasePlusAdapter() throws IOException {
        Path base = TinyModels.f32Untied(dir);
        Path adapter = dir.resolve("adapter");
        try (ModelFolder f = ModelFolder.open(base)) {
            PeftAdapterWriter.write(adapter, SPEC, base.toString(), modules(f.config(), 4, 3));
        }
        Path out = dir.resolve("merged");

        AdapterMerger.Result result = AdapterMerger.merge(base, adapter, out);

        int[] tokens = {1, 50, 120, 7, 299, 42};
        try (ModelFolder withAdapter = ModelFolder.open(base, adapter); ModelFolder merged = ModelFolder.open(out);
             ModelFolder plain = ModelFolder.open(base)) {
            merged.validate();
            float[][] expected = ReferenceQwen2.logits(withAdapter, tokens);
            float[][] actual = ReferenceQwen2.logits(merged, tokens);
            float[][] baseLogits = ReferenceQwen2.logits(plain, tokens);
            for (int t = 0; t < tokens.length; t++) {
                assertThat(actual[t]).containsExactly(expected[t], within(1e-5f));
            }
            assertThat(baseLogits[tokens.length - 1]).as("the adapter changes the model")
                    .isNotEqualTo(actual[tokens.length - 1]);
            assertThat(merged.adapter()).isEmpty();
        }
        assertThat(result.mergedTensors()).isEqualTo(2);
        assertThat(result.copiedFiles()).contains("config.json", "tokenizer.json", "generation_config.json");
        assertThat(Files.exists(out.resolve("model.safetensors"))).isTrue();
    }

    @Test
    void mergeKeepsTheBasesShardsAndDtype() throws IOException {
        Path base = TinyModels.sharded(dir);
        Path adapter = dir.resolve("adapter");
        try (ModelFolder f = ModelFolder.open(base)) {
            PeftAdapterWriter.write(adapter, SPEC, "b", modules(f.config(), 4, 4));
        }

        AdapterMerger.Result r = AdapterMerger.merge(base, adapter, dir.resolve("merged"));

        assertThat(Files.exists(dir.resolve("merged").resolve(SafetensorsReader.INDEX_FILE))).isTrue();
        try (SafetensorsReader in = SafetensorsReader.open(base); SafetensorsReader out = SafetensorsReader.open(dir.resolve("merged"))) {
            assertThat(out.files()).hasSameSizeAs(in.files());
            assertThat(out.names()).containsExactlyInAnyOrderElementsOf(in.names());
        }
        assertThat(r.dtype()).isEqualTo("F32");
    }

    @Test
    void mergeRefusesAFolderThatAlreadyHoldsFiles() throws IOException {
        Path base = TinyModels.f32Tied(dir);
        Path adapter = dir.resolve("adapter");
        try (ModelFolder f = ModelFolder.open(base)) {
            PeftAdapterWriter.write(adapter, SPEC, "b", modules(f.config(), 4, 5));
        }
        Path out = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(out.resolve("x.txt"), "keep me");

        assertThatThrownBy(() -> AdapterMerger.merge(base, adapter, out)).isInstanceOf(UserException.class)
                .hasMessageContaining("not an empty folder");
        assertThat(Files.readString(out.resolve("x.txt"))).isEqualTo("keep me");
    }
}
