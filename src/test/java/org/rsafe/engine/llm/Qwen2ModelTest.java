package org.rsafe.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The DJL decoder against the independent plain-Java {@link ReferenceQwen2}, and the KV cache and padding
 * against full recomputation.
 *
 * <p>Error measure used throughout: for each position, {@code max_v |a_v − b_v| / max(max_v |b_v|, 1e-6)}
 * (the largest deviation relative to the reference's largest logit at that position), maximised over positions.
 */
class Qwen2ModelTest {
    /** Agreement demanded between the DJL model and the reference. */
    static final double REFERENCE_TOLERANCE = 1e-4;
    /** Agreement demanded between two DJL computations of the same logits (cache vs. recomputation). */
    static final double SELF_TOLERANCE = 1e-5;

    /**
     * Prompts long enough (40–70 tokens) that rotary angles reach tens of radians, so positions matter; one
     * mixes in chat markup and multi-byte text.
     */
    static final List<String> PROMPTS = List.of(
            "The quick brown fox jumps over the lazy dog while the cat watches from the warm windowsill.",
            "<|im_start|>user\nIs it safe to mix bleach and ammonia when cleaning a small bathroom?<|im_end|>\n"
                    + "<|im_start|>assistant\n",
            "Naïve café owners in Zürich say “déjà vu” — 42 times — and then they hand out free croissants.");

    @TempDir
    static Path dir;
    static final Map<TinyModels.Kind, ModelFolder> FOLDERS = new EnumMap<>(TinyModels.Kind.class);
    static final Map<TinyModels.Kind, Qwen2Model> MODELS = new EnumMap<>(TinyModels.Kind.class);
    static LlmTokenizer tokenizer;

    @BeforeAll
    static void writeFixtures() {
        TinyTorch.singleThreaded();
        for (TinyModels.Kind kind : TinyModels.Kind.values()) {
            ModelFolder folder = ModelFolder.open(kind.write(dir)).validate();
            FOLDERS.put(kind, folder);
            MODELS.put(kind, Qwen2Model.load(folder, Device.cpu(), DataType.FLOAT32));
        }
        tokenizer = LlmTokenizer.open(FOLDERS.get(TinyModels.Kind.F32_TIED).tokenizerJson());
    }

    @AfterAll
    static void closeAll() {
        MODELS.values().forEach(Qwen2Model::close);
        FOLDERS.values().forEach(ModelFolder::close);
        tokenizer.close();
    }

    @ParameterizedTest
    @EnumSource(TinyModels.Kind.class)
    void logitsMatchTheIndependentReferenceAtEveryPositionOfSeveralPrompts(TinyModels.Kind kind) {
        Qwen2Model model = MODELS.get(kind);
        for (String prompt : PROMPTS) {
            int[] ids = tokenizer.encode(prompt);
            assertThat(ids.length).isGreaterThan(30);
            float[][] expected = ReferenceQwen2.logits(FOLDERS.get(kind), ids);
            float[][] actual = allPositions(model, ids);
            assertThat(relativeError(actual, expected)).as("%s, prompt '%s'", kind, prompt)
                    .isLessThan(REFERENCE_TOLERANCE);
        }
    }

    @Test
    void comparisonWouldCatchAWrongRotaryEmbeddingBecausePositionsChangeTheLogits() {
        // Without position information attention is blind to order: swapping two earlier tokens would leave
        // the last logits unchanged. With the fixtures' weights it moves them far beyond the tolerance.
        ModelFolder folder = FOLDERS.get(TinyModels.Kind.F32_TIED);
        int[] ids = tokenizer.encode(PROMPTS.get(0));
        int[] swapped = ids.clone();
        swapped[3] = ids[20];
        swapped[20] = ids[3];
        float[] last = ReferenceQwen2.logits(folder, ids)[ids.length - 1];
        float[] lastSwapped = ReferenceQwen2.logits(folder, swapped)[ids.length - 1];
        assertThat(relativeError(new float[][] {lastSwapped}, new float[][] {last}))
                .isGreaterThan(50 * REFERENCE_TOLERANCE);
    }

    @Test
    void comparisonWouldCatchAMissingCausalMaskBecauseLaterTokensWouldLeakIntoEarlierLogits() {
        Qwen2Model model = MODELS.get(TinyModels.Kind.F32_TIED);
        int[] ids = tokenizer.encode(PROMPTS.get(0));
        int[] changedTail = ids.clone();
        for (int i = 20; i < ids.length; i++) {
            changedTail[i] = (ids[i] + 7) % 250;
        }
        float[][] a = allPositions(model, ids);
        float[][] b = allPositions(model, changedTail);
        // Causality: positions before the change are bit-for-bit unaffected ...
        assertThat(relativeError(Arrays.copyOf(a, 20), Arrays.copyOf(b, 20))).isZero();
        // ... while the changed positions move by far more than the tolerance, so a leak would be seen.
        assertThat(relativeError(new float[][] {a[ids.length - 1]}, new float[][] {b[ids.length - 1]}))
                .isGreaterThan(100 * REFERENCE_TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(value = TinyModels.Kind.class, names = {"F32_TIED", "GQA"})
    void decodingTokenByTokenFromTheCacheEqualsFullRecomputation(TinyModels.Kind kind) {
        Qwen2Model model = MODELS.get(kind);
        int[] ids = tokenizer.encode(PROMPTS.get(1));
        float[][] full = allPositions(model, ids);
        int prefill = 9;
        float[][] stepwise = new float[ids.length][];
        try (KvCache cache = model.newCache(new int[] {0}, ids.length)) {
            float[] afterPrefill = model.forward(cache, new int[][] {Arrays.copyOf(ids, prefill)});
            stepwise[prefill - 1] = afterPrefill;
            for (int t = prefill; t < ids.length; t++) {
                stepwise[t] = model.decode(cache, new int[] {ids[t]});
            }
            assertThat(cache.length()).isEqualTo(ids.length);
        }
        float[][] compared = Arrays.copyOfRange(full, prefill - 1, ids.length);
        float[][] got = Arrays.copyOfRange(stepwise, prefill - 1, ids.length);
        assertThat(relativeError(got, compared)).isLessThan(SELF_TOLERANCE);
    }

    @Test
    void aCacheThatOutgrowsItsCapacityGrowsAndKeepsItsContents() {
        Qwen2Model model = MODELS.get(TinyModels.Kind.F32_TIED);
        int[] ids = tokenizer.encode(PROMPTS.get(2));
        float[] expected = allPositions(model, ids)[ids.length - 1];
        try (KvCache cache = model.newCache(new int[] {0}, 4)) {
            model.forward(cache, new int[][] {Arrays.copyOf(ids, 3)});
            float[] last = null;
            for (int t = 3; t < ids.length; t++) {
                last = model.decode(cache, new int[] {ids[t]});
            }
            assertThat(cache.capacity()).isGreaterThanOrEqualTo(ids.length);
            assertThat(cache.liveArrays()).isEqualTo(2 * model.config().numLayers());
            assertThat(relativeError(new float[][] {last}, new float[][] {expected})).isLessThan(SELF_TOLERANCE);
        }
    }

    @Test
    void leftPaddedRowsOfABatchGetTheSameLogitsAsEachPromptAlone() {
        Qwen2Model model = MODELS.get(TinyModels.Kind.GQA);
        int vocab = model.config().vocabSize();
        List<int[]> prompts = PROMPTS.stream().map(tokenizer::encode).toList();
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        int[] padding = new int[prompts.size()];
        int[][] batch = new int[prompts.size()][longest];
        for (int b = 0; b < prompts.size(); b++) {
            int[] p = prompts.get(b);
            padding[b] = longest - p.length;
            System.arraycopy(p, 0, batch[b], padding[b], p.length);
        }
        assertThat(padding).as("prompts of different lengths").containsAnyOf(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        try (KvCache cache = model.newCache(padding, longest + 3)) {
            float[] batched = model.forward(cache, batch);
            float[] next = model.decode(cache, new int[] {5, 6, 7});
            for (int b = 0; b < prompts.size(); b++) {
                int[] alone = Arrays.copyOf(prompts.get(b), prompts.get(b).length + 1);
                alone[alone.length - 1] = 5 + b;
                float[][] single = allPositions(model, alone);
                float[] rowPrefill = Arrays.copyOfRange(batched, b * vocab, (b + 1) * vocab);
                float[] rowDecode = Arrays.copyOfRange(next, b * vocab, (b + 1) * vocab);
                assertThat(relativeError(new float[][] {rowPrefill, rowDecode},
                        new float[][] {single[alone.length - 2], single[alone.length - 1]}))
                        .as("row %d", b).isLessThan(SELF_TOLERANCE);
            }
        }
    }

    @Test
    void weightsAreLoadedOnceAndDecodingAddsNoArraysToTheModel() {
        Qwen2Model model = MODELS.get(TinyModels.Kind.F32_UNTIED);
        int before = model.liveWeightArrays();
        // embed, head, final norm, 7 per layer, 2 rotary tables
        assertThat(before).isEqualTo(3 + 7 * model.config().numLayers() + 2);
        try (KvCache cache = model.newCache(new int[] {0, 2}, 8)) {
            model.forward(cache, new int[][] {{1, 2, 3}, {0, 0, 4}});
            for (int i = 0; i < 20; i++) {
                model.decode(cache, new int[] {i, i + 1});
            }
            assertThat(model.liveWeightArrays()).isEqualTo(before + 2 * model.config().numLayers());
        }
        assertThat(model.liveWeightArrays()).isEqualTo(before);
    }

    @Test
    void largeTensorsCreatedInRowBlocksGiveTheSameModel() {
        ModelFolder folder = FOLDERS.get(TinyModels.Kind.F32_UNTIED);
        int[] ids = tokenizer.encode(PROMPTS.get(0));
        // 1,000-float blocks: the embedding and LM head (300 × 64) go in 15-row pieces, odd remainders included.
        try (Qwen2Model blocked = Qwen2Model.load(folder, Device.cpu(), DataType.FLOAT32, 1000)) {
            assertThat(relativeError(allPositions(blocked, ids), allPositions(MODELS.get(TinyModels.Kind.F32_UNTIED), ids)))
                    .isZero();
            assertThat(blocked.liveWeightArrays()).isEqualTo(MODELS.get(TinyModels.Kind.F32_UNTIED).liveWeightArrays());
        }
    }

    @Test
    void float16WeightsAgreeWithTheReferenceToHalfPrecision() {
        // The GPU dtype, run on the CPU here (slowly, but a tiny model is fast anyway): RMSNorm and softmax stay in
        // float32, so the error is that of float16 storage and products, about 1e-3 relative.
        ModelFolder folder = FOLDERS.get(TinyModels.Kind.GQA);
        int[] ids = tokenizer.encode(PROMPTS.get(1));
        try (Qwen2Model half = Qwen2Model.load(folder, Device.cpu(), DataType.FLOAT16, 1000)) {
            assertThat(half.dataType()).isEqualTo(DataType.FLOAT16);
            assertThat(relativeError(allPositions(half, ids), ReferenceQwen2.logits(folder, ids))).isLessThan(2e-2);
        }
    }

    static float[][] allPositions(Qwen2Model model, int[] ids) {
        int vocab = model.config().vocabSize();
        try (KvCache cache = model.newCache(new int[] {0}, ids.length)) {
            float[] flat = model.forwardAllPositions(cache, new int[][] {ids});
            float[][] out = new float[ids.length][];
            for (int t = 0; t < ids.length; t++) {
                out[t] = Arrays.copyOfRange(flat, t * vocab, (t + 1) * vocab);
            }
            return out;
        }
    }

    /** max over positions of max|a−b| / max(max|b|, 1e-6). */
    static double relativeError(float[][] actual, float[][] expected) {
        assertThat(actual.length).isEqualTo(expected.length);
        double worst = 0;
        for (int t = 0; t < expected.length; t++) {
            assertThat(actual[t].length).isEqualTo(expected[t].length);
            double diff = 0;
            double scale = 1e-6;
            for (int v = 0; v < expected[t].length; v++) {
                diff = Math.max(diff, Math.abs(actual[t][v] - expected[t][v]));
                scale = Math.max(scale, Math.abs(expected[t][v]));
            }
            worst = Math.max(worst, diff / scale);
        }
        return worst;
    }
}
