package org.rsafe.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each processor against distributions worked out by hand (the arithmetic is in the comments). */
class LogitProcessorsTest {
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfSeenIdsOnly() {
        float[] logits = {2.0f, -1.0f, 0.5f, 3.0f};
        // ids 0 and 1 were seen: 2.0 / 2 = 1.0; -1.0 * 2 = -2.0; ids 2 and 3 untouched
        LogitProcessors.repetitionPenalty(logits, new int[] {0, 1}, 2, 2.0);
        assertThat(logits).containsExactly(1.0f, -2.0f, 0.5f, 3.0f);
    }

    @Test
    void repetitionPenaltyOfOneChangesNothing() {
        float[] logits = {2.0f, -1.0f};
        LogitProcessors.repetitionPenalty(logits, new int[] {0, 1}, 2, 1.0);
        assertThat(logits).containsExactly(2.0f, -1.0f);
    }

    @Test
    void temperatureDividesEveryLogit() {
        float[] logits = {1f, 2f, -3f};
        LogitProcessors.temperature(logits, 0.5);   // 1/0.5 = 2, 2/0.5 = 4, -3/0.5 = -6
        assertThat(logits).containsExactly(2f, 4f, -6f);
    }

    @ParameterizedTest(name = "top-{0} of [5, 4, 4, 1, 0] keeps {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # k | kept indices (sorted)  — the k-th largest is the threshold and ties with it survive
            1   | 0
            2   | 0 1 2
            3   | 0 1 2
            4   | 0 1 2 3
            0   | 0 1 2 3 4
            9   | 0 1 2 3 4
            """)
    void topKKeepsLogitsAtOrAboveTheKthLargest(int k, String kept) {
        float[] logits = {5f, 4f, 4f, 1f, 0f};
        LogitProcessors.topK(logits, k);
        int[] expected = Arrays.stream(kept.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
        assertThat(keptIndices(logits)).containsExactly(expected);
    }

    @ParameterizedTest(name = "top-p {0} keeps {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # probabilities 0.5 0.3 0.15 0.05; ascending cumulative: 0.05, 0.20, 0.50, 1.00
            # tokens whose cumulative mass is <= 1 - p are dropped; the most probable always stays
            0.9  | 0 1 2
            0.75 | 0 1
            0.3  | 0
            0.01 | 0
            1.0  | 0 1 2 3
            """)
    void topPDropsTheLeastProbableTokensWhoseCumulativeMassIsAtMostOneMinusP(double p, String kept) {
        float[] logits = logitsOf(0.5, 0.3, 0.15, 0.05);
        LogitProcessors.topP(logits, p);
        int[] expected = Arrays.stream(kept.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
        assertThat(keptIndices(logits)).containsExactly(expected);
    }

    @Property(tries = 200)
    void topPWithItsShortcutEqualsTheFullSortDefinition(
            @ForAll @Size(min = 1, max = 400) float[] raw,
            @ForAll @DoubleRange(min = 0.01, max = 0.99) double p,
            @ForAll @IntRange(min = 1, max = 30) int spread) {
        float[] logits = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            // bounded, often-tied values: finite floats in [-spread, spread] rounded to quarters
            float v = Float.isFinite(raw[i]) ? raw[i] : 0f;
            logits[i] = Math.round(Math.max(-spread, Math.min(spread, v)) * 4) / 4f;
        }
        float[] fast = logits.clone();
        LogitProcessors.topP(fast, p);
        assertThat(keptIndices(fast)).containsExactly(naiveTopPKept(logits, p));
    }

    @Test
    void softmaxNormalisesExponentsAndGivesFilteredTokensZero() {
        // exp(0) : exp(ln 3) = 1 : 3 → 0.25, 0.75
        double[] probs = LogitProcessors.softmax(new float[] {0f, (float) Math.log(3), NEG_INF});
        assertThat(probs[0]).isCloseTo(0.25, within(1e-7));
        assertThat(probs[1]).isCloseTo(0.75, within(1e-7));
        assertThat(probs[2]).isZero();
    }

    @ParameterizedTest(name = "u = {0} draws {1}")
    @CsvSource(textBlock = """
            # probabilities 0.2, 0, 0.5, 0.3 → cumulative 0.2, 0.2, 0.7, 1.0; first index whose cumulative exceeds u
            0.0,     0
            0.1999,  0
            0.2,     2
            0.6999,  2
            0.7,     3
            0.99999, 3
            """)
    void sampleDrawsTheFirstIndexWhoseCumulativeProbabilityExceedsU(double u, int expected) {
        assertThat(LogitProcessors.sample(new double[] {0.2, 0, 0.5, 0.3}, u)).isEqualTo(expected);
    }

    @Test
    void argmaxPrefersTheLowestIndexAmongEqualMaxima() {
        assertThat(LogitProcessors.argmax(new float[] {1f, 3f, 3f, 2f})).isEqualTo(1);
    }

    @Test
    void paperSettingsTurnLogitsIntoTheHandComputedDistribution() {
        // logits [2, 1, 0, -1], id 0 already in the prompt; repetition penalty 1.05, T 0.7, top-p 0.8:
        //   penalty:     [2/1.05 = 1.904762, 1, 0, -1]
        //   temperature: [2.721088, 1.428571, 0, -1.428571]
        //   softmax:     [0.737381, 0.202469, 0.048522, 0.011628]
        //   ascending cumulative: 0.011628, 0.060150, 0.262619, 1 → drop cum <= 0.2: ids 3 and 2
        //   renormalised: [0.784573, 0.215427, 0, 0]
        float[] logits = {2f, 1f, 0f, -1f};
        LogitProcessors.repetitionPenalty(logits, new int[] {0}, 1, 1.05);
        LogitProcessors.temperature(logits, 0.7);
        LogitProcessors.topK(logits, 0);
        LogitProcessors.topP(logits, 0.8);
        double[] probs = LogitProcessors.softmax(logits);
        assertThat(probs[0]).isCloseTo(0.784573, within(1e-6));
        assertThat(probs[1]).isCloseTo(0.215427, within(1e-6));
        assertThat(probs[2]).isZero();
        assertThat(probs[3]).isZero();
    }

    static float[] logitsOf(double... probs) {
        float[] out = new float[probs.length];
        for (int i = 0; i < probs.length; i++) {
            out[i] = (float) Math.log(probs[i]);
        }
        return out;
    }

    static int[] keptIndices(float[] logits) {
        return IntStream.range(0, logits.length).filter(i -> logits[i] != NEG_INF).toArray();
    }

    /** Hugging Face's definition, literally: sort all ascending, cumulative softmax, drop cum <= 1-p, keep last. */
    static int[] naiveTopPKept(float[] logits, double p) {
        double[] probs = LogitProcessors.softmax(logits);
        Integer[] order = IntStream.range(0, logits.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> logits[i]).thenComparingInt(i -> i));
        boolean[] keep = new boolean[logits.length];
        double cumulative = 0;
        for (int j = 0; j < order.length; j++) {
            cumulative += probs[order[j]];
            keep[order[j]] = cumulative > 1 - p || j == order.length - 1;
        }
        return IntStream.range(0, logits.length).filter(i -> keep[i]).toArray();
    }

    @Test
    void firstNonFiniteFindsNanAndBothInfinitiesInsideTheRangeOnly() {
        float[] logits = {1f, Float.NaN, 2f, Float.NEGATIVE_INFINITY, 3f, Float.POSITIVE_INFINITY, -1e38f};
        assertThat(LogitProcessors.firstNonFinite(logits, 0, logits.length)).isEqualTo(1);
        assertThat(LogitProcessors.firstNonFinite(logits, 2, logits.length)).isEqualTo(3);
        assertThat(LogitProcessors.firstNonFinite(logits, 4, logits.length)).isEqualTo(5);
        assertThat(LogitProcessors.firstNonFinite(logits, 6, logits.length)).isEqualTo(-1);
        assertThat(LogitProcessors.firstNonFinite(new float[] {Float.MAX_VALUE, -Float.MAX_VALUE, 0f}, 0, 3))
                .isEqualTo(-1);
    }
}
