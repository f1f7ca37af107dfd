package org.rsafe.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.llm.LocalModel;

/**
 * GRPO learns: on the {@link ToyTask} (a tiny random model whose right verdict is decided by a marker word), the mean
 * RSafe reward of the sampled completions rises from at most 0.2 to at least 0.8 within 40 steps. Seeded and
 * deterministic on the CPU; about two seconds.
 */
class ToyLearningTest {
    private static final int STEPS = 40;

    @TempDir
    Path dir;

    @Test
    void meanRewardRisesFromAtMostPointTwoToAtLeastPointEight() {
        Path model = ToyTask.writeModel(dir, "toy", 1);
        GrpoConfig config = GrpoConfig.fromSettings(ToyTask.settings(STEPS, 1));
        List<StepMetrics> log = new ArrayList<>();
        try (GrpoTrainer trainer = GrpoTrainer.start(LocalModel.open(model, null, Device.cpu(), DataType.FLOAT32),
                config, ToyTask.rows(64))) {
            while (!trainer.finished()) {
                log.add(trainer.trainStep(Cancellation.none(), GrpoTrainer.Listener.NONE));
            }
        }

        double start = (log.get(0).reward() + log.get(1).reward()) / 2;
        double end = log.subList(STEPS - 5, STEPS).stream().mapToDouble(StepMetrics::reward).average().orElseThrow();
        assertThat(start).as("mean reward of the first two steps").isLessThanOrEqualTo(0.2);
        assertThat(end).as("mean reward of the last five steps").isGreaterThanOrEqualTo(0.8);
        // Learning needs groups whose rewards differ; the toy has them from the first step.
        assertThat(log.get(0).fracRewardZeroStd()).isLessThan(1.0);
        assertThat(log.get(STEPS - 1).accuracy()).isGreaterThanOrEqualTo(0.8);
        assertThat(log.get(STEPS - 1).formatRate()).isGreaterThanOrEqualTo(0.9);
        assertThat(log).allSatisfy(m -> assertThat(m.gradNorm()).isFinite());
    }
}
