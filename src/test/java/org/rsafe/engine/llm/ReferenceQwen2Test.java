package org.rsafe.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Checks on the test-side reference forward itself, so it can be trusted as the yardstick for the engine. */
class ReferenceQwen2Test {

    @TempDir
    Path tmp;

    static final int[] PROMPT = {298, 115, 121, 115, 261, 109, 10, 299, 10, 298, 97};

    @ParameterizedTest
    @EnumSource(TinyModels.Kind.class)
    void logitsAreFiniteAndDeterministicForEveryFixture(TinyModels.Kind kind) {
        try (ModelFolder f = ModelFolder.open(kind.write(tmp)).validate()) {
            float[][] a = ReferenceQwen2.logits(f, PROMPT);
            float[][] b = ReferenceQwen2.logits(f, PROMPT);
            assertThat(a).hasNumberOfRows(PROMPT.length);
            for (int t = 0; t < a.length; t++) {
                assertThat(a[t]).hasSize(f.config().vocabSize()).containsExactly(b[t]);
                for (float v : a[t]) {
                    assertThat(Float.isFinite(v)).isTrue();
                }
            }
            // Random weights still make positions differ: the output is not a constant.
            assertThat(a[0]).isNotEqualTo(a[PROMPT.length - 1]);
        }
    }

    @Test
    void logitsAtAPositionIgnoreEveryLaterToken() {
        try (ModelFolder f = ModelFolder.open(TinyModels.f32Tied(tmp))) {
            int[] other = PROMPT.clone();
            for (int t = 6; t < other.length; t++) {
                other[t] = (other[t] * 7 + 3) % 297;
            }
            float[][] a = ReferenceQwen2.logits(f, PROMPT);
            float[][] b = ReferenceQwen2.logits(f, other);
            for (int t = 0; t < 6; t++) {
                assertThat(b[t]).containsExactly(a[t]);
            }
            assertThat(b[6]).isNotEqualTo(a[6]);
            // A prefix run gives the same logits as the full run at the shared positions.
            float[][] prefix = ReferenceQwen2.logits(f, java.util.Arrays.copyOf(PROMPT, 4));
            for (int t = 0; t < 4; t++) {
                assertThat(prefix[t]).containsExactly(a[t]);
            }
        }
    }

    @Test
    void shardingDoesNotChangeTheLogits() {
        try (ModelFolder single = ModelFolder.open(TinyModels.f32Untied(tmp));
             ModelFolder sharded = ModelFolder.open(TinyModels.sharded(tmp))) {
            assertThat(sharded.reader().files()).hasSize(3);
            float[][] a = ReferenceQwen2.logits(single, PROMPT);
            float[][] b = ReferenceQwen2.logits(sharded, PROMPT);
            for (int t = 0; t < a.length; t++) {
                assertThat(b[t]).containsExactly(a[t]);
            }
        }
    }

    @Test
    void withAttentionAndMlpSilencedTheLogitsAreTheNormalisedEmbeddingTimesTheHead() {
        Path d = TinyModels.f32Untied(tmp);
        TinyModels.editTensors(d, t -> t.forEach((name, tensor) -> {
            if (name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight")) {
                java.util.Arrays.fill(tensor.values(), 0f);
            }
            if (name.equals("model.norm.weight")) {
                for (int i = 0; i < tensor.values().length; i++) {
                    tensor.values()[i] = 0.5f + i / 64f;
                }
            }
        }));
        try (ModelFolder f = ModelFolder.open(d)) {
            float[] embed = f.mergedWeights("model.embed_tokens.weight");
            float[] head = f.mergedWeights("lm_head.weight");
            float[] norm = f.mergedWeights("model.norm.weight");
            float[][] logits = ReferenceQwen2.logits(f, new int[] {5, 77});
            int id = 77;
            double ms = 0;
            for (int i = 0; i < 64; i++) {
                ms += embed[id * 64 + i] * (double) embed[id * 64 + i];
            }
            double inv = 1 / Math.sqrt(ms / 64 + 1e-6);
            for (int v = 0; v < 300; v += 37) {
                double dot = 0;
                for (int i = 0; i < 64; i++) {
                    dot += embed[id * 64 + i] * inv * norm[i] * head[v * 64 + i];
                }
                assertThat((double) logits[1][v]).isCloseTo(dot, within(1e-5));
            }
        }
    }

    @Test
    void rotaryEmbeddingMakesQueryKeyProductsDependOnlyOnRelativePosition() {
        Random r = new Random(5);
        float[] q = new float[32];
        float[] k = new float[32];
        for (int i = 0; i < 32; i++) {
            q[i] = (float) r.nextGaussian();
            k[i] = (float) r.nextGaussian();
        }
        double base = rotatedDot(q, k, 3, 1);
        assertThat(rotatedDot(q, k, 13, 11)).isCloseTo(base, within(1e-4));
        assertThat(rotatedDot(q, k, 103, 101)).isCloseTo(base, within(1e-4));
        assertThat(rotatedDot(q, k, 4, 1)).isNotCloseTo(base, within(1e-3));
        // Position 0 is the identity.
        float[] same = q.clone();
        ReferenceQwen2.rotateHeads(same, 2, 16, 0, 1e6);
        assertThat(same).containsExactly(q);
    }

    private static double rotatedDot(float[] q, float[] k, int pq, int pk) {
        float[] a = q.clone();
        float[] b = k.clone();
        ReferenceQwen2.rotateHeads(a, 1, 32, pq, 10000);
        ReferenceQwen2.rotateHeads(b, 1, 32, pk, 10000);
        double dot = 0;
        for (int i = 0; i < 32; i++) {
            dot += (double) a[i] * b[i];
        }
        return dot;
    }

    /**
     * Grouped-query attention must equal multi-head attention whose key/value heads are copies: kv head j
     * copied to query heads j·g … j·g+g−1. Any other mapping (e.g. h mod kv) breaks the equality.
     */
    @Test
    void groupedQueryAttentionEqualsMultiHeadAttentionWithRepeatedKeyValueHeads() {
        ModelConfig gqa = new ModelConfig(300, 64, 128, 2, 4, 2, 16, 1e-6, 1e6, true, 2048, List.of(299), "float32");
        ModelConfig mha = new ModelConfig(300, 64, 128, 2, 4, 4, 16, 1e-6, 1e6, true, 2048, List.of(299), "float32");
        RandomModelWriter.Options o = RandomModelWriter.Options.defaults().withInitStd(0.2);
        Path g = TinyModels.custom(tmp, "gqa", o.withConfig(gqa));
        Path m = TinyModels.custom(tmp, "mha", o.withConfig(mha));
        try (ModelFolder src = ModelFolder.open(g)) {
            TinyModels.editTensors(m, t -> {
                for (String name : List.copyOf(t.keySet())) {
                    float[] base = src.mergedWeights(name);
                    boolean kv = name.contains("k_proj") || name.contains("v_proj");
                    t.put(name, new TinyModels.Tensor(t.get(name).shape(), kv ? repeatHeads(base, 2, 2, 16) : base));
                }
            });
            try (ModelFolder dst = ModelFolder.open(m).validate()) {
                float[][] a = ReferenceQwen2.logits(src, PROMPT);
                float[][] b = ReferenceQwen2.logits(dst, PROMPT);
                for (int t = 0; t < a.length; t++) {
                    for (int v = 0; v < a[t].length; v++) {
                        assertThat(b[t][v]).isCloseTo(a[t][v], within(1e-5f));
                    }
                }
            }
        }
    }

    /** Rows of kv head j (each {@code rowsPerHead} long in the flattened layout) repeated {@code g} times. */
    private static float[] repeatHeads(float[] base, int kvHeads, int g, int headDim) {
        int rowLen = base.length / (kvHeads * headDim); // H for weights, 1 for biases
        float[] out = new float[base.length * g];
        int block = headDim * rowLen;
        for (int j = 0; j < kvHeads; j++) {
            for (int c = 0; c < g; c++) {
                System.arraycopy(base, j * block, out, (j * g + c) * block, block);
            }
        }
        return out;
    }
}
