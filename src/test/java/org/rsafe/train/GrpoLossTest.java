package org.rsafe.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The GRPO loss stages against hand arithmetic. The fixed batch: two completions of width 3 over a two-token
 * vocabulary whose logits are all 0, so every sampled token has p = 1/2, log p = −ln 2 and the entropy of every
 * position is ln 2. Completion 0 uses all three tokens (mask 1 1 1), completion 1 ended at its first token
 * (mask 1 0 0). Advantages are A = (+1, −0.5). With one pass per batch the ratio is 1, so each masked token's
 * surrogate is −A: row 0 → −1, −1, −1; row 1 → +0.5.
 */
class GrpoLossTest {
    private static final double LN2 = Math.log(2);

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray logits() {
        return manager.zeros(new Shape(2, 3, 2));
    }

    private NDArray ids() {
        return manager.create(new long[] {0, 1, 0, 1, 0, 0}, new Shape(2, 3));
    }

    private NDArray mask() {
        return manager.create(new float[] {1, 1, 1, 1, 0, 0}, new Shape(2, 3));
    }

    private NDArray advantages() {
        return manager.create(new float[] {1f, -0.5f});
    }

    private static GrpoLoss.Settings settings(LossType type, double beta, double entropyCoef) {
        return new GrpoLoss.Settings(1.0, 0.2, 0.2, beta, entropyCoef, type, 4);
    }

    /*
     * Σ m·L = −1 −1 −1 + 0.5 = −2.5 over Σ m = 4 tokens (max_completion_length 4, 5 active tokens in the step).
     * grpo:    sequence means (−3/3, 0.5/1) = (−1, 0.5); their mean = −0.25
     * bnpo:    −2.5 / 4                     = −0.625
     * dr_grpo: −2.5 / (2 sequences · 4)     = −0.3125
     * dapo:    −2.5 / 5 active step tokens  = −0.5
     */
    @ParameterizedTest
    @CsvSource({"grpo, -0.25", "bnpo, -0.625", "dr_grpo, -0.3125", "dapo, -0.5"})
    void eachLossTypeAggregatesTheFixedBatchAsComputedByHand(String type, double expected) {
        GrpoLoss.Output out = GrpoLoss.compute(settings(LossType.parse(type), 0, 0), logits(), ids(), mask(),
                advantages(), null, null, 1, 5);

        assertThat(out.loss().getFloat()).isCloseTo((float) expected, within(1e-6f));
        assertThat(out.tokens()).isEqualTo(4);
    }

    /*
     * The entropy bonus subtracts c times the token mean of H, c·H = 0.1·ln 2 = 0.0693147 here: a micro-batch token
     * mean for grpo, bnpo and dr_grpo (grpo −0.25 − 0.0693147 = −0.3193147; bnpo −0.625 − 0.0693147 = −0.6943147;
     * dr_grpo −0.3125 − 0.0693147 = −0.3818147), a step token mean for dapo (−0.5 − 4·0.0693147/5 = −0.5554518).
     */
    @ParameterizedTest
    @CsvSource({"grpo, -0.3193147", "bnpo, -0.6943147", "dr_grpo, -0.3818147", "dapo, -0.5554518"})
    void theEntropyBonusLowersTheLossByCoefTimesEntropyPerToken(String type, double expected) {
        GrpoLoss.Output out = GrpoLoss.compute(settings(LossType.parse(type), 0, 0.1), logits(), ids(), mask(),
                advantages(), null, null, 1, 5);

        assertThat(out.loss().getFloat()).isCloseTo((float) expected, within(1e-6f));
        assertThat(out.entropy()).isCloseTo(LN2, within(1e-6));
    }

    /*
     * With no advantage the loss is the entropy bonus alone. Row 0 has three tokens of entropy ln 2 (zero logits),
     * row 1 one token of logits (5, −5), entropy h1 = ln(1 + e^10) − 10·e^10/(1 + e^10) = 0.0004994. The plain token
     * mean is (3·ln 2 + h1)/4 = 0.5199853; grpo's mean of sequence means, (ln 2 + h1)/2 = 0.3468233, must not be used.
     */
    @ParameterizedTest
    @CsvSource({"grpo", "dr_grpo", "bnpo"})
    void theEntropyBonusIsAPlainTokenMeanWhateverTheLossType(String type) {
        NDArray logits = manager.create(new float[] {0, 0, 0, 0, 0, 0, 5, -5, 0, 0, 0, 0}, new Shape(2, 3, 2));
        NDArray zero = manager.zeros(new Shape(2));
        double h1 = Math.log(1 + Math.exp(10)) - 10 * Math.exp(10) / (1 + Math.exp(10));

        GrpoLoss.Output out = GrpoLoss.compute(settings(LossType.parse(type), 0, 0.1), logits, ids(), mask(), zero,
                null, null, 1, 4);

        assertThat(out.loss().getFloat()).isCloseTo((float) (-0.1 * (3 * LN2 + h1) / 4), within(1e-6f));
    }

    /*
     * Reference log-probs differ from the policy's by d = ref − logp: row 0 (ln 2, 0, −ln 2), row 1 (ln 2, ·, ·).
     * k3 = e^d − d − 1: d = ln 2 → 2 − 0.6931472 − 1 = 0.3068528; d = 0 → 0; d = −ln 2 → 0.5 + 0.6931472 − 1 =
     * 0.1931472. Masked mean KL = (0.3068528 + 0 + 0.1931472 + 0.3068528) / 4 = 0.2017132.
     * With β = 0.1, bnpo: (−2.5 + 0.1·0.8068528) / 4 = (−2.5 + 0.08068528) / 4 = −0.6048287.
     * grpo: row 0 (−3 + 0.1·0.5) / 3 = −0.9833333; row 1 0.5 + 0.1·0.3068528 = 0.5306853; mean = −0.226324.
     */
    @ParameterizedTest
    @CsvSource({"bnpo, -0.6048287", "grpo, -0.226324"})
    void theKlPenaltyAddsBetaTimesTheK3EstimateComputedByHand(String type, double expected) {
        NDArray logp = manager.full(new Shape(2, 3), (float) -LN2);
        NDArray d = manager.create(new float[] {(float) LN2, 0, (float) -LN2, (float) LN2, 0, 0}, new Shape(2, 3));
        NDArray ref = logp.add(d);

        GrpoLoss.Output out = GrpoLoss.compute(settings(LossType.parse(type), 0.1, 0), logits(), ids(), mask(),
                advantages(), null, ref, 1, 4);

        assertThat(out.kl()).isCloseTo(0.2017132, within(1e-6));
        assertThat(out.loss().getFloat()).isCloseTo((float) expected, within(1e-6f));
    }

    @Test
    void tokenLogProbsUseTemperatureScaledLogits() {
        // logits (ln 3, 0) at T = 1: p = (3/4, 1/4). At T = 0.5 they become (2 ln 3, 0) = (ln 9, 0): p = (9/10, 1/10).
        NDArray logits = manager.create(new float[] {(float) Math.log(3), 0f}, new Shape(1, 1, 2));
        NDArray ids = manager.create(new long[] {1}, new Shape(1, 1));

        assertThat(GrpoLoss.tokenLogProbs(logits, ids, 1.0).getFloat()).isCloseTo((float) Math.log(0.25), within(1e-6f));
        assertThat(GrpoLoss.tokenLogProbs(logits, ids, 0.5).getFloat()).isCloseTo((float) Math.log(0.1), within(1e-6f));
    }

    @Test
    void theRatioIsOneInValueButCarriesThePolicyGradient() {
        // One token, logits (0, 0), sampled id 0, A = 1, bnpo: loss = −ratio·A and d ratio / d logits = d log p0 / d
        // logits = (1 − p0, −p1) = (0.5, −0.5), so the gradient of the loss is (−0.5, +0.5).
        NDArray logits = manager.zeros(new Shape(1, 1, 2));
        logits.setRequiresGradient(true);
        NDArray ids = manager.create(new long[] {0}, new Shape(1, 1));
        NDArray mask = manager.ones(new Shape(1, 1));
        NDArray a = manager.create(new float[] {1f});
        float loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            GrpoLoss.Output out = GrpoLoss.compute(settings(LossType.BNPO, 0, 0), logits, ids, mask, a, null, null, 1, 1);
            loss = out.loss().getFloat();
            gc.backward(out.loss());
        }

        assertThat(loss).isCloseTo(-1f, within(1e-6f));
        assertThat(logits.getGradient().toFloatArray()).containsExactly(new float[] {-0.5f, 0.5f}, within(1e-6f));
    }

    /*
     * Four tokens of one row, logp = −ln 2 each, old log-probs chosen so the ratios are 1.5, 0.5, 1.25, 1.0.
     * Row advantages: the same A for the row, so two rows: row 0 A = +1 with ratios (1.5, 1.25), row 1 A = −0.5
     * with ratios (0.5, 1.0). ε_low = 0.2, ε_high = 0.28:
     *   1.5·(+1):  min(1.5, 1.28)    = 1.28  → L = −1.28  (high-clipped)
     *   1.25·(+1): min(1.25, 1.25)   = 1.25  → L = −1.25  (inside 1.28: not clipped)
     *   0.5·(−0.5): min(−0.25, 0.8·−0.5 = −0.4) = −0.4 → L = 0.4 (low-clipped)
     *   1.0·(−0.5): −0.5 → L = 0.5
     * bnpo: (−1.28 − 1.25 + 0.4 + 0.5) / 4 = −0.4075; clip shares: low 1/4, high 1/4, region 2/4.
     */
    @Test
    void clippingBindsOnlyPastTheBoundaryOnTheAdvantagesSideAndIsCounted() {
        NDArray logits = manager.zeros(new Shape(2, 2, 2));
        NDArray ids = manager.zeros(new Shape(2, 2)).toType(ai.djl.ndarray.types.DataType.INT64, false);
        NDArray mask = manager.ones(new Shape(2, 2));
        NDArray a = manager.create(new float[] {1f, -0.5f});
        float lp = (float) -LN2;
        NDArray old = manager.create(new float[] {
            lp - (float) Math.log(1.5), lp - (float) Math.log(1.25), lp - (float) Math.log(0.5), lp}, new Shape(2, 2));

        GrpoLoss.Output out = GrpoLoss.compute(new GrpoLoss.Settings(1.0, 0.2, 0.28, 0, 0, LossType.BNPO, 2),
                logits, ids, mask, a, old, null, 1, 4);

        assertThat(out.loss().getFloat()).isCloseTo(-0.4075f, within(1e-5f));
        assertThat(out.clipLow()).isCloseTo(0.25, within(1e-9));
        assertThat(out.clipHigh()).isCloseTo(0.25, within(1e-9));
        assertThat(out.clipRegion()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void gradientAccumulationSplitsBnpoIntoEqualShares() {
        // Two micro-batches each contribute their own token mean divided by 2 accumulation steps.
        GrpoLoss.Output out = GrpoLoss.compute(settings(LossType.BNPO, 0, 0), logits(), ids(), mask(),
                advantages(), null, null, 2, 8);

        assertThat(out.loss().getFloat()).isCloseTo(-0.3125f, within(1e-6f));
    }

    @Test
    void aFullyMaskedCompletionContributesNothingToGrpo() {
        // Row 1 fully masked (a truncated completion with mask_truncated_completions): grpo = (−1 + 0) / 2 = −0.5.
        NDArray mask = manager.create(new float[] {1, 1, 1, 0, 0, 0}, new Shape(2, 3));

        GrpoLoss.Output out = GrpoLoss.compute(settings(LossType.GRPO, 0, 0), logits(), ids(), mask,
                advantages(), null, null, 1, 3);

        assertThat(out.loss().getFloat()).isCloseTo(-0.5f, within(1e-6f));
    }
}
