package org.rsafe.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdamWTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray param(float... values) {
        NDArray p = manager.create(values);
        p.setRequiresGradient(true);
        return p;
    }

    /** Makes p's gradient exactly g: zero it, then back-propagate Σ p·g. */
    private void setGradient(NDArray p, float... g) {
        p.getGradient().muli(0f);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(p.mul(manager.create(g)).sum());
        }
    }

    /*
     * p = (1, −2), η = 0.1, λ = 0.01, β = (0.9, 0.999), ε = 1e-8.
     * Step 1, g = (0.5, −0.1): decay p·(1 − 0.001) = (0.999, −1.998); m = 0.1·g = (0.05, −0.01); v = 0.001·g² =
     *   (0.00025, 0.00001); bias-corrected m̂ = g, v̂ = g², so the step is η·g/|g| = (0.1, −0.1) → (0.899, −1.898).
     * Step 2, g = (0.5, 0.3): decay → (0.898101, −1.896102); m = 0.9·m + 0.1·g = (0.095, 0.021);
     *   v = 0.999·v + 0.001·g² = (0.00049975, 0.00009999); m̂ = m/0.19 = (0.5, 0.1105263); v̂ = v/0.001999 =
     *   (0.25, 0.0500200); step = 0.1·m̂/√v̂ = (0.1, 0.0494186) → (0.798101, −1.9455206).
     */
    @Test
    void twoStepsMatchTheHandComputedDecoupledAdamUpdate() {
        NDArray p = param(1f, -2f);
        try (AdamW adam = new AdamW(manager, List.of(p), new AdamW.Hyper(0.9, 0.999, 1e-8, 0.01))) {
            setGradient(p, 0.5f, -0.1f);
            adam.step(0.1);
            assertThat(p.toFloatArray()).containsExactly(new float[] {0.899f, -1.898f}, within(1e-6f));

            setGradient(p, 0.5f, 0.3f);
            adam.step(0.1);
            assertThat(p.toFloatArray()).containsExactly(new float[] {0.798101f, -1.9455206f}, within(2e-6f));
            assertThat(adam.stepCount()).isEqualTo(2);
        }
    }

    @Test
    void weightDecayShrinksParametersEvenWithZeroGradient() {
        // Decoupled: with g = 0 the Adam part is 0/(0+ε) = 0 and only p·(1 − η·λ) = 2·(1 − 0.1·0.5) = 1.9 remains.
        NDArray p = param(2f);
        try (AdamW adam = new AdamW(manager, List.of(p), new AdamW.Hyper(0.9, 0.999, 1e-8, 0.5))) {
            adam.step(0.1);
        }
        assertThat(p.getFloat()).isCloseTo(1.9f, within(1e-6f));
    }

    @Test
    void savedStateContinuesExactlyLikeAnUninterruptedOptimizer() {
        NDArray a = param(1f, 2f);
        NDArray b = param(1f, 2f);
        AdamW.Hyper h = new AdamW.Hyper(0.9, 0.99, 1e-8, 0.01);
        try (AdamW first = new AdamW(manager, List.of(a), h); AdamW second = new AdamW(manager, List.of(b), h)) {
            setGradient(a, 0.3f, -0.7f);
            first.step(0.05);
            AdamW.State saved = first.state();
            try (NDArray view = b.stopGradient(); NDArray values = manager.create(a.toFloatArray())) {
                view.muli(0f).addi(values); // in place: the optimizer updates b's storage
            }
            second.restore(saved);

            setGradient(a, -0.2f, 0.4f);
            setGradient(b, -0.2f, 0.4f);
            first.step(0.05);
            second.step(0.05);

            assertThat(b.toFloatArray()).containsExactly(a.toFloatArray());
        }
    }

    @Test
    void clippingScalesAllGradientsToTheGlobalNormAndReportsTheNormBefore() {
        // Gradients (3, 4) and (0): global norm 5; max 1 → factor 1/(5 + 1e-6) → (0.6, 0.8).
        NDArray p = param(0f, 0f);
        NDArray q = param(0f);
        setGradient(p, 3f, 4f);
        setGradient(q, 0f);

        double norm = AdamW.clipGradNorm(List.of(p, q), 1.0);

        assertThat(norm).isCloseTo(5.0, within(1e-6));
        assertThat(p.getGradient().toFloatArray()).containsExactly(new float[] {0.6f, 0.8f}, within(1e-6f));
    }

    @Test
    void clippingLeavesSmallGradientsAlone() {
        NDArray p = param(0f, 0f);
        setGradient(p, 0.3f, 0.4f);

        assertThat(AdamW.clipGradNorm(List.of(p), 1.0)).isCloseTo(0.5, within(1e-6));
        assertThat(p.getGradient().toFloatArray()).containsExactly(0.3f, 0.4f);
    }

    @Test
    void zeroGradientsClearsAccumulatedGradients() {
        NDArray p = param(1f);
        setGradient(p, 2f);
        try (AdamW adam = new AdamW(manager, List.of(p), new AdamW.Hyper(0.9, 0.999, 1e-8, 0))) {
            adam.zeroGradients();
        }
        assertThat(p.getGradient().getFloat()).isZero();
    }

    /*
     * peak 1e-3, 10 steps, warmup_ratio 0.2 → W = 2. Warm-up: step 0 → 0, step 1 → 0.5e-3.
     * linear at step 6: 1e-3·(10 − 6)/(10 − 2) = 0.5e-3. cosine at step 6: progress (6 − 2)/8 = 0.5 → ½(1 + cos π/2)
     * = 0.5 → 0.5e-3; at step 4: progress 0.25 → ½(1 + cos π/4) = 0.8535534 → 0.8535534e-3. Step 10: 0 for both.
     */
    @ParameterizedTest
    @CsvSource({
        "constant, 0, 0", "constant, 1, 0.5e-3", "constant, 2, 1e-3", "constant, 9, 1e-3",
        "linear, 1, 0.5e-3", "linear, 2, 1e-3", "linear, 6, 0.5e-3", "linear, 10, 0",
        "cosine, 2, 1e-3", "cosine, 4, 0.8535534e-3", "cosine, 6, 0.5e-3", "cosine, 10, 0"})
    void theScheduleWarmsUpLinearlyThenDecaysAsItsTypeSays(String type, int step, double expected) {
        LearningRateSchedule s = LearningRateSchedule.of(LearningRateSchedule.Type.parse(type), 1e-3, 0.2, 10);

        assertThat(s.at(step)).isCloseTo(expected, within(1e-10));
    }
}
