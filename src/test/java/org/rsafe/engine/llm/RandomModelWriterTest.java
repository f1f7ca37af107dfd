package org.rsafe.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rsafe.util.Hashing;
import org.rsafe.util.UserException;

class RandomModelWriterTest {

    @TempDir
    Path tmp;

    static final RandomModelWriter.Options DEFAULTS = RandomModelWriter.Options.defaults();

    @Test
    void theSameSeedWritesTheSameBytesAndAnotherSeedDoesNot() throws IOException {
        RandomModelWriter.write(tmp.resolve("a"), RandomModelWriter.Shape.TINY, 1, DEFAULTS);
        RandomModelWriter.write(tmp.resolve("b"), RandomModelWriter.Shape.TINY, 1, DEFAULTS);
        RandomModelWriter.write(tmp.resolve("c"), RandomModelWriter.Shape.TINY, 2, DEFAULTS);
        String a = Hashing.sha256(tmp.resolve("a/model.safetensors"));
        assertThat(Hashing.sha256(tmp.resolve("b/model.safetensors"))).isEqualTo(a);
        assertThat(Hashing.sha256(tmp.resolve("c/model.safetensors"))).isNotEqualTo(a);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            # shape,      layers, hidden, heads, kv, head_dim, intermediate, vocab,  tied,  parameters (published)
            qwen2.5-0.5b, 24,     896,    14,    2,  64,       4864,         151936, true,  494032768
            qwen2.5-1.5b, 28,     1536,   12,    2,  128,      8960,         151936, true,  1543714304
            qwen2.5-7b,   28,     3584,   28,    4,  128,      18944,        152064, false, 7615616512
            """)
    void realShapesMatchTheQwenReleases(String id, int layers, int hidden, int heads, int kv, int headDim, int inter,
                                        int vocab, boolean tied, long parameters) {
        ModelConfig c = RandomModelWriter.Shape.parse(id).config();
        assertThat(c.numLayers()).isEqualTo(layers);
        assertThat(c.hiddenSize()).isEqualTo(hidden);
        assertThat(c.numHeads()).isEqualTo(heads);
        assertThat(c.numKvHeads()).isEqualTo(kv);
        assertThat(c.headDim()).isEqualTo(headDim);
        assertThat(c.intermediateSize()).isEqualTo(inter);
        assertThat(c.vocabSize()).isEqualTo(vocab);
        assertThat(c.tieWordEmbeddings()).isEqualTo(tied);
        assertThat(c.ropeTheta()).isEqualTo(1e6);
        assertThat(c.rmsNormEps()).isEqualTo(1e-6);
        assertThat(c.parameterCount()).isEqualTo(parameters);
    }

    @Test
    void qwenSizedModelsUseQwensSpecialTokenIds() {
        ModelConfig c = RandomModelWriter.resolvedConfig(RandomModelWriter.Shape.QWEN2_5_7B, DEFAULTS);
        assertThat(c.eosTokenIds()).containsExactly(151645);
        assertThat(RandomModelWriter.tokenizerSize(c.vocabSize())).isEqualTo(151646);
        assertThat(RandomModelWriter.estimatedBytes(RandomModelWriter.Shape.QWEN2_5_0_5B,
                DEFAULTS.withDtype(SafetensorsWriter.Dtype.BF16))).isEqualTo(2L * 494032768);
    }

    @Test
    void normWeightsAreOneAndMatricesLookLikeSmallNormalNoise() throws IOException {
        Path d = tmp.resolve("m");
        RandomModelWriter.write(d, RandomModelWriter.Shape.TINY, 3, DEFAULTS);
        try (ModelFolder f = ModelFolder.open(d)) {
            assertThat(f.mergedWeights("model.norm.weight")).containsOnly(1f);
            assertThat(f.mergedWeights("model.layers.1.post_attention_layernorm.weight")).containsOnly(1f);
            float[] w = f.mergedWeights("model.embed_tokens.weight");
            double sum = 0;
            double sq = 0;
            for (float v : w) {
                sum += v;
                sq += v * (double) v;
            }
            double mean = sum / w.length;
            assertThat(mean).isCloseTo(0, within(0.002));
            assertThat(Math.sqrt(sq / w.length - mean * mean)).isCloseTo(0.02, within(0.001));
            // Different tensors get different streams.
            assertThat(f.mergedWeights("model.layers.0.mlp.up_proj.weight"))
                    .isNotEqualTo(f.mergedWeights("model.layers.0.mlp.gate_proj.weight"));
        }
    }

    @Test
    void theFolderSaysPlainlyThatItsWeightsAreRandom() throws IOException {
        Path d = tmp.resolve("m");
        RandomModelWriter.write(d, RandomModelWriter.Shape.TINY, 3, DEFAULTS);
        assertThat(Files.readString(d.resolve("README.txt"))).startsWith("RANDOM WEIGHTS - NOT A TRAINED MODEL");
        try (Stream<Path> s = Files.list(d)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("README.txt", "config.json",
                    "generation_config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors");
        }
    }

    @Test
    void anExistingNonEmptyFolderIsLeftAloneAndNoTemporaryFolderRemains() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("taken"));
        Files.writeString(d.resolve("keep.txt"), "mine");
        assertThatThrownBy(() -> RandomModelWriter.write(d, RandomModelWriter.Shape.TINY, 1, DEFAULTS))
                .isInstanceOf(UserException.class).hasMessageContaining("already exists and is not an empty folder");
        assertThat(Files.readString(d.resolve("keep.txt"))).isEqualTo("mine");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        RandomModelWriter.write(empty, RandomModelWriter.Shape.TINY, 1, DEFAULTS);
        assertThat(empty.resolve("config.json")).isRegularFile();
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("taken", "empty");
        }
    }

    @Test
    void shardedBf16UntiedOptionsShapeTheFolder() throws IOException {
        Path d = tmp.resolve("m");
        RandomModelWriter.write(d, RandomModelWriter.Shape.TINY, 1,
                DEFAULTS.withShards(3).withDtype(SafetensorsWriter.Dtype.BF16).withTied(false));
        assertThat(d.resolve("model.safetensors")).doesNotExist();
        assertThat(d.resolve("model.safetensors.index.json")).isRegularFile();
        try (ModelFolder f = ModelFolder.open(d).validate()) {
            assertThat(f.reader().files()).extracting(p -> p.getFileName().toString()).containsExactly(
                    "model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors");
            assertThat(f.config().tieWordEmbeddings()).isFalse();
            assertThat(f.tensors().names()).contains("lm_head.weight");
            assertThat(f.storedDtype()).isEqualTo("BF16");
        }
    }

    @Test
    void customDimensionsAreWrittenIncludingAnExplicitHeadDim() throws IOException {
        ModelConfig c = new ModelConfig(400, 40, 80, 3, 4, 2, 12, 1e-5, 10000, true, 512, List.of(), "float32");
        Path d = tmp.resolve("m");
        RandomModelWriter.write(d, RandomModelWriter.Shape.TINY, 1, DEFAULTS.withConfig(c));
        try (ModelFolder f = ModelFolder.open(d).validate()) {
            assertThat(f.config().headDim()).isEqualTo(12);
            assertThat(f.config().numLayers()).isEqualTo(3);
            assertThat(f.config().rmsNormEps()).isEqualTo(1e-5);
            assertThat(f.config().eosTokenIds()).containsExactly(399);
        }
    }

    @Test
    void aVocabularyTooSmallForTheByteTokenizerIsRefused() {
        ModelConfig c = new ModelConfig(100, 64, 128, 1, 4, 2, 16, 1e-6, 1e6, true, 512, List.of(), "float32");
        assertThatThrownBy(() -> RandomModelWriter.write(tmp.resolve("m"), RandomModelWriter.Shape.TINY, 1,
                DEFAULTS.withConfig(c))).isInstanceOf(UserException.class).hasMessageContaining("vocab_size 100 is too small");
    }

    @Test
    void unknownShapesListTheChoices() {
        assertThatThrownBy(() -> RandomModelWriter.Shape.parse("qwen3-8b")).isInstanceOf(UserException.class)
                .hasMessageContaining("unknown model shape 'qwen3-8b'")
                .hasMessageContaining("tiny, qwen2.5-0.5b, qwen2.5-1.5b, qwen2.5-7b");
    }
}
