package org.rsafe.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.FloatFormats;
import org.rsafe.util.UserException;

class ModelFolderTest {

    @TempDir
    Path tmp;

    static final String MINIMAL_CONFIG = """
            {
              "architectures": ["Qwen2ForCausalLM"],
              "model_type": "qwen2",
              "vocab_size": 300,
              "hidden_size": 64,
              "intermediate_size": 128,
              "num_hidden_layers": 2,
              "num_attention_heads": 4,
              "rms_norm_eps": 1e-06,
              "rope_theta": 1000000.0,
              "tie_word_embeddings": true,
              "eos_token_id": 299
            }
            """;

    Path config(String json) throws IOException {
        Path file = tmp.resolve("config-" + System.nanoTime() + ".json");
        Files.writeString(file, json);
        return file;
    }

    static void replaceInFile(Path file, String from, String to) throws IOException {
        String s = Files.readString(file);
        assertThat(s).contains(from);
        Files.writeString(file, s.replace(from, to));
    }

    @ParameterizedTest
    @EnumSource(TinyModels.Kind.class)
    void everyFixtureValidatesAndStoresTheParametersItsConfigImplies(TinyModels.Kind kind) {
        try (ModelFolder f = ModelFolder.open(kind.write(tmp)).validate()) {
            assertThat(f.problems()).isEmpty();
            assertThat(f.storedParameterCount()).isEqualTo(f.config().parameterCount());
            assertThat(f.tensors().names()).hasSize(ModelFolder.expectedShapes(f.config()).size());
            assertThat(f.tokenizerJson()).isRegularFile();
            assertThat(f.randomWeights()).isTrue();
        }
    }

    @Test
    void missingKeyValueHeadsAndHeadDimAreDerivedFromHeadsAndHidden() throws IOException {
        ModelConfig c = ModelFolder.readConfig(config(MINIMAL_CONFIG), new ArrayList<>());
        assertThat(c.numKvHeads()).isEqualTo(4);
        assertThat(c.headDim()).isEqualTo(16);
        assertThat(c.eosTokenIds()).containsExactly(299);
        assertThat(c.ropeTheta()).isEqualTo(1e6);
        assertThat(c.tieWordEmbeddings()).isTrue();
    }

    @Test
    void nullKeyValueHeadsMeansOnePerQueryHeadAndExplicitHeadDimWins() throws IOException {
        ModelConfig c = ModelFolder.readConfig(config(MINIMAL_CONFIG
                .replace("\"rms_norm_eps\"", "\"num_key_value_heads\": null, \"head_dim\": 32, \"rms_norm_eps\"")),
                new ArrayList<>());
        assertThat(c.numKvHeads()).isEqualTo(4);
        assertThat(c.headDim()).isEqualTo(32);
    }

    @Test
    void ropeThetaNestedInRopeParametersIsAccepted() throws IOException {
        ModelConfig c = ModelFolder.readConfig(config(MINIMAL_CONFIG.replace("\"rope_theta\": 1000000.0",
                "\"rope_parameters\": {\"rope_theta\": 500000.0, \"rope_type\": \"default\"}")), new ArrayList<>());
        assertThat(c.ropeTheta()).isEqualTo(500000.0);
    }

    @Test
    void eosMayBeAList() throws IOException {
        ModelConfig c = ModelFolder.readConfig(config(MINIMAL_CONFIG.replace("\"eos_token_id\": 299",
                "\"eos_token_id\": [299, 297]")), new ArrayList<>());
        assertThat(c.eosTokenIds()).containsExactly(299, 297);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            llama model type       | "model_type": "qwen2"                       | "model_type": "llama"                         | model_type is "llama"
            other architecture     | ["Qwen2ForCausalLM"]                        | ["MistralForCausalLM"]                        | architectures is [MistralForCausalLM]
            yarn scaling           | "tie_word_embeddings": true                 | "tie_word_embeddings": true, "rope_scaling": {"type": "yarn", "factor": 4} | rope type "yarn"
            gelu activation        | "tie_word_embeddings": true                 | "tie_word_embeddings": true, "hidden_act": "gelu" | hidden_act is "gelu"
            string hidden size     | "hidden_size": 64                           | "hidden_size": "64"                           | hidden_size must be a positive integer
            kv not dividing heads  | "num_attention_heads": 4                    | "num_attention_heads": 4, "num_key_value_heads": 3 | must be a multiple of num_key_value_heads
            """)
    void unsupportedConfigsAreRejectedNamingWhatWasFound(String what, String from, String to, String message)
            throws IOException {
        Path file = config(MINIMAL_CONFIG.replace(from, to));
        assertThatThrownBy(() -> ModelFolder.readConfig(file, new ArrayList<>()))
                .isInstanceOf(UserException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(message);
    }

    @Test
    void wrongFieldTypesPointAtTheFieldsLineAndColumn() throws IOException {
        Path file = config(MINIMAL_CONFIG.replace("\"hidden_size\": 64", "\"hidden_size\": -64"));
        assertThatThrownBy(() -> ModelFolder.readConfig(file, new ArrayList<>()))
                .isInstanceOfSatisfying(UserException.class, e -> {
                    Diagnostic d = e.diagnostics().get(0);
                    assertThat(d.pos().line()).isEqualTo(5);
                    assertThat(d.pos().column()).isEqualTo(3);
                    assertThat(d.format()).startsWith(file + ":5:3: error: hidden_size must be a positive integer");
                });
    }

    @Test
    void missingRequiredFieldsAreAllListed() throws IOException {
        Path file = config(MINIMAL_CONFIG.replace("\"vocab_size\": 300,", "").replace("\"num_hidden_layers\": 2,", ""));
        assertThatThrownBy(() -> ModelFolder.readConfig(file, new ArrayList<>()))
                .isInstanceOfSatisfying(UserException.class, e -> assertThat(e.lines())
                        .anyMatch(l -> l.contains("config.json has no vocab_size"))
                        .anyMatch(l -> l.contains("config.json has no num_hidden_layers")));
    }

    @Test
    void slidingWindowProducesAWarningNotAnError() throws IOException {
        List<String> warnings = new ArrayList<>();
        ModelFolder.readConfig(config(MINIMAL_CONFIG.replace("\"eos_token_id\": 299",
                "\"eos_token_id\": 299, \"use_sliding_window\": true")), warnings);
        assertThat(warnings).singleElement().asString().contains("use_sliding_window");
    }

    @Test
    void aMissingFolderIsNamed() {
        Path none = tmp.resolve("nowhere");
        assertThatThrownBy(() -> ModelFolder.open(none)).isInstanceOf(UserException.class)
                .hasMessage("model folder " + none + " does not exist");
    }

    @Test
    void aFolderWithoutConfigIsNotAModelFolder() throws IOException {
        Path d = Files.createDirectory(tmp.resolve("empty"));
        assertThatThrownBy(() -> ModelFolder.open(d)).isInstanceOf(UserException.class)
                .hasMessageContaining("no config.json in " + d);
    }

    @Test
    void badJsonInConfigCarriesJacksonsLineAndColumn() throws IOException {
        Path d = TinyModels.f32Tied(tmp);
        Path cfg = d.resolve("config.json");
        List<String> lines = new ArrayList<>(Files.readAllLines(cfg));
        lines.set(3, lines.get(3) + " oops");
        Files.write(cfg, lines);
        assertThatThrownBy(() -> ModelFolder.open(d))
                .isInstanceOfSatisfying(UserException.class, e -> {
                    assertThat(e.diagnostics()).singleElement().satisfies(diag -> {
                        assertThat(diag.file()).isEqualTo(cfg.toString());
                        assertThat(diag.pos().line()).isEqualTo(4);
                        assertThat(diag.pos().column()).isPositive();
                        assertThat(diag.message()).startsWith("invalid JSON");
                    });
                });
    }

    @Test
    void anotherArchitectureInTheFolderIsRefusedNamingIt() throws IOException {
        Path d = TinyModels.f32Tied(tmp);
        replaceInFile(d.resolve("config.json"), "\"qwen2\"", "\"gemma\"");
        assertThatThrownBy(() -> ModelFolder.open(d)).isInstanceOf(UserException.class)
                .hasMessageContaining("model_type is \"gemma\"");
    }

    @Test
    void aMissingTokenizerIsNamed() throws IOException {
        Path d = TinyModels.f32Tied(tmp);
        Files.delete(d.resolve("tokenizer.json"));
        assertThatThrownBy(() -> ModelFolder.open(d)).isInstanceOf(UserException.class)
                .hasMessageContaining("no tokenizer.json in " + d);
    }

    @Test
    void aTruncatedCheckpointIsReportedOnOpen() throws IOException {
        Path d = TinyModels.f32Tied(tmp);
        Path st = d.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(st);
        Files.write(st, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> ModelFolder.open(d)).isInstanceOf(UserException.class)
                .hasMessageContaining("truncated file").hasMessageContaining(st.toString());
    }

    @Test
    void aShardIndexPointingNowhereIsReportedOnOpen() throws IOException {
        Path d = TinyModels.sharded(tmp);
        Files.delete(d.resolve("model-00003-of-00003.safetensors"));
        assertThatThrownBy(() -> ModelFolder.open(d)).isInstanceOf(UserException.class)
                .hasMessageContaining("model-00003-of-00003.safetensors");
    }

    @Test
    void validateListsMissingExtraAndMisShapedTensorsInOneMessage() {
        Path d = TinyModels.f32Tied(tmp);
        TinyModels.editTensors(d, t -> {
            t.remove("model.layers.1.mlp.up_proj.weight");
            t.remove("model.norm.weight");
            t.put("model.layers.0.self_attn.k_proj.bias", new TinyModels.Tensor(new long[] {33}, new float[33]));
            t.put("lm_head.weight", new TinyModels.Tensor(new long[] {300, 64}, new float[300 * 64]));
            t.put("vision_tower.weight", new TinyModels.Tensor(new long[] {2}, new float[2]));
        });
        try (ModelFolder f = ModelFolder.open(d)) {
            assertThatThrownBy(f::validate).isInstanceOf(UserException.class)
                    .hasMessageContaining("does not match its config.json (5 problems)")
                    .hasMessageContaining("missing tensor model.layers.1.mlp.up_proj.weight [128, 64]")
                    .hasMessageContaining("missing tensor model.norm.weight [64]")
                    .hasMessageContaining("tensor model.layers.0.self_attn.k_proj.bias in model.safetensors has shape [33], "
                            + "config.json implies [32]")
                    .hasMessageContaining("unexpected tensor lm_head.weight in model.safetensors (tie_word_embeddings is true")
                    .hasMessageContaining("unexpected tensor vision_tower.weight in model.safetensors");
        }
    }

    @Test
    void anUntiedModelWithoutItsHeadFailsValidation() {
        Path d = TinyModels.f32Untied(tmp);
        TinyModels.editTensors(d, t -> t.remove("lm_head.weight"));
        try (ModelFolder f = ModelFolder.open(d)) {
            assertThat(f.problems()).containsExactly("missing tensor lm_head.weight [300, 64]");
        }
    }

    @Test
    void generationConfigIsReadAndItsEosMergedWithTheConfigs() throws IOException {
        Path d = TinyModels.f32Tied(tmp);
        Files.writeString(d.resolve("generation_config.json"), """
                {"do_sample": true, "temperature": 0.7, "top_p": 0.8, "top_k": 20,
                 "repetition_penalty": 1.05, "eos_token_id": [297, 298]}
                """);
        try (ModelFolder f = ModelFolder.open(d)) {
            GenerationDefaults g = f.generationDefaults();
            assertThat(g.doSample()).isTrue();
            assertThat(g.temperature()).isEqualTo(0.7);
            assertThat(g.topP()).isEqualTo(0.8);
            assertThat(g.topK()).isEqualTo(20);
            assertThat(g.repetitionPenalty()).isEqualTo(1.05);
            assertThat(g.eosTokenIds()).containsExactly(297, 298, 299);
            assertThat(g.fromFile()).isTrue();
        }
    }

    @Test
    void withoutGenerationConfigTransformersDefaultsApply() throws IOException {
        Path d = TinyModels.f32Tied(tmp);
        Files.delete(d.resolve("generation_config.json"));
        try (ModelFolder f = ModelFolder.open(d)) {
            assertThat(f.generationDefaults()).isEqualTo(new GenerationDefaults(false, 1.0, 1.0, 50, 1.0, List.of(299), false));
        }
    }

    @Test
    void anInvalidGenerationConfigValueIsPositioned() throws IOException {
        Path d = TinyModels.f32Tied(tmp);
        Files.writeString(d.resolve("generation_config.json"), "{\n  \"top_p\": 1.5\n}\n");
        assertThatThrownBy(() -> ModelFolder.open(d)).isInstanceOfSatisfying(UserException.class,
                e -> assertThat(e.lines()).singleElement().asString()
                        .contains("generation_config.json:2:3: error: top_p must be in (0, 1]"));
    }

    @Test
    void modelHashIsStableAndChangesWithConfigOrWeights() throws IOException {
        Path a = TinyModels.f32Tied(tmp.resolve("a"));
        Path b = TinyModels.f32Tied(tmp.resolve("b"));
        String ha;
        try (ModelFolder fa = ModelFolder.open(a); ModelFolder fb = ModelFolder.open(b)) {
            ha = fa.modelHash();
            assertThat(ha).hasSize(64).isEqualTo(fb.modelHash());
        }
        // Same shapes, different values (a fine-tune of the same base) must not collide.
        TinyModels.editTensors(b, t -> t.get("model.layers.1.mlp.down_proj.weight").values()[0] += 0.5f);
        try (ModelFolder fb = ModelFolder.open(b)) {
            assertThat(fb.modelHash()).isNotEqualTo(ha);
        }
        replaceInFile(a.resolve("config.json"), "\"rms_norm_eps\" : 1.0E-6", "\"rms_norm_eps\" : 1.0E-5");
        try (ModelFolder fa = ModelFolder.open(a)) {
            assertThat(fa.modelHash()).isNotEqualTo(ha);
        }
    }

    @Test
    void storedDtypeReportsTheCheckpointsType() {
        try (ModelFolder f = ModelFolder.open(TinyModels.bf16(tmp))) {
            assertThat(f.storedDtype()).isEqualTo("BF16");
            assertThat(f.config().torchDtype()).isEqualTo("bfloat16");
        }
    }

    @Test
    void bf16WeightsAreTheRoundedF32WeightsOfTheSameSeed() {
        Path f32 = TinyModels.custom(tmp, "f32", TinyModels.Kind.BF16.options().withDtype(SafetensorsWriter.Dtype.F32));
        Path bf16 = TinyModels.bf16(tmp);
        try (ModelFolder a = ModelFolder.open(f32); ModelFolder b = ModelFolder.open(bf16)) {
            for (String name : a.tensors().names()) {
                float[] wa = a.mergedWeights(name);
                float[] wb = b.mergedWeights(name);
                for (int i = 0; i < wa.length; i++) {
                    assertThat(wb[i]).isEqualTo(FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(wa[i])));
                }
            }
        }
    }
}
