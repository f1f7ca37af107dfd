package org.rsafe.engine.llm;

import org.rsafe.engine.DecodingSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Per-sequence token choice: greedy with the repetition penalty, seeded sampling, HF processor order. */
class TokenSamplerTest {

    @Test
    void greedyTakesTheArgmaxAfterTheRepetitionPenalty() {
        // id 0 is in the prompt: 2.0 / 1.1 = 1.818 < 1.9, so id 1 wins
        DecodingSettings s = new DecodingSettings("t", 1.0, 1.0, 0, 1.1, 10, true, 0);
        TokenSampler sampler = new TokenSampler(s, 3, new int[] {0}, 0);
        assertThat(sampler.next(new float[] {2.0f, 1.9f, 0.1f})).isEqualTo(1);
        // id 1 is now part of the sequence too: 1.9 / 1.1 = 1.727 < 1.818 → id 0
        assertThat(sampler.next(new float[] {2.0f, 1.9f, 0.1f})).isEqualTo(0);
    }

    @Test
    void greedyPresetIsPlainArgmax() {
        TokenSampler sampler = new TokenSampler(DecodingSettings.greedyPreset(), 3, new int[] {0, 0, 0}, 0);
        assertThat(sampler.next(new float[] {2.0f, 1.99f, 0f})).isEqualTo(0);
    }

    @Test
    void theSameSeedDrawsTheSameTokensAndAnotherSeedOthers() {
        DecodingSettings s = DecodingSettings.paper();
        int[] a = draws(s, 7, 64);
        assertThat(draws(s, 7, 64)).containsExactly(a);
        assertThat(draws(s, 8, 64)).isNotEqualTo(a);
    }

    @Test
    void samplingFollowsTheProcessedDistribution() {
        // See LogitProcessorsTest.paperSettingsTurnLogitsIntoTheHandComputedDistribution: with id 0 in the
        // prompt, logits [2, 1, 0, -1] under the paper preset give P(0) = 0.784573, P(1) = 0.215427, else 0.
        // Each draw uses a fresh sampler (its first token), so the penalty state is the same every time.
        int n = 20_000;
        int[] counts = new int[4];
        for (int i = 0; i < n; i++) {
            TokenSampler fresh = new TokenSampler(DecodingSettings.paper(), 4, new int[] {0}, 1000L + i);
            counts[fresh.next(new float[] {2f, 1f, 0f, -1f})]++;
        }
        assertThat(counts[2] + counts[3]).isZero();
        // binomial standard deviation sqrt(0.7846 · 0.2154 / 20000) ≈ 0.0029; allow four of them
        assertThat(counts[0] / (double) n).isCloseTo(0.784573, within(0.012));
    }

    private static int[] draws(DecodingSettings s, long seed, int n) {
        TokenSampler sampler = new TokenSampler(s, 50, new int[] {1, 2, 3}, seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            float[] flat = new float[50];   // uniform: every draw is pure randomness
            out[i] = sampler.next(flat);
        }
        return out;
    }
}
