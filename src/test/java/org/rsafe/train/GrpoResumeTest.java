package org.rsafe.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.llm.LocalModel;
import org.rsafe.util.UserException;

/** A run restored from a checkpoint continues exactly as the uninterrupted run. */
class GrpoResumeTest {
    @TempDir
    Path dir;

    private GrpoTrainer start(Path model, GrpoConfig config) {
        return GrpoTrainer.start(open(model), config, ToyTask.rows(16));
    }

    private static LocalModel open(Path model) {
        return LocalModel.open(model, null, Device.cpu(), DataType.FLOAT32);
    }

    @Test
    void aResumedRunTakesTheSameNextStepAsAnUninterruptedOne() throws IOException {
        Path model = ToyTask.writeModel(dir, "toy", 3);
        GrpoConfig config = GrpoConfig.fromSettings(ToyTask.settings(4, 5));
        StepMetrics third;
        List<PeftAdapterWriter.Module> after;
        try (GrpoTrainer straight = start(model, config)) {
            straight.trainStep(Cancellation.none(), GrpoTrainer.Listener.NONE);
            straight.trainStep(Cancellation.none(), GrpoTrainer.Listener.NONE);
            third = straight.trainStep(Cancellation.none(), GrpoTrainer.Listener.NONE);
            after = straight.lora().export();
        }
        Path saved;
        try (GrpoTrainer first = start(model, config)) {
            first.trainStep(Cancellation.none(), GrpoTrainer.Listener.NONE);
            first.trainStep(Cancellation.none(), GrpoTrainer.Listener.NONE);
            saved = first.checkpoint().save(dir.resolve("run"));
        }

        StepMetrics resumed;
        List<PeftAdapterWriter.Module> resumedAfter;
        try (GrpoTrainer second = GrpoTrainer.resume(open(model), config, ToyTask.rows(16), saved)) {
            assertThat(second.step()).isEqualTo(2);
            resumed = second.trainStep(Cancellation.none(), GrpoTrainer.Listener.NONE);
            resumedAfter = second.lora().export();
        }

        assertThat(resumed.step()).isEqualTo(3);
        assertThat(resumed.loss()).isEqualTo(third.loss());
        assertThat(resumed.reward()).isEqualTo(third.reward());
        assertThat(resumed.gradNorm()).isEqualTo(third.gradNorm());
        for (int i = 0; i < after.size(); i++) {
            assertThat(resumedAfter.get(i).b()).containsExactly(after.get(i).b());
        }
    }

    @Test
    void aCancelledStepLeavesTheRunAtTheLastCompletedStep() {
        Path model = ToyTask.writeModel(dir, "toy", 3);
        GrpoConfig config = GrpoConfig.fromSettings(ToyTask.settings(4, 5));
        try (GrpoTrainer straight = start(model, config); GrpoTrainer interrupted = start(model, config)) {
            StepMetrics one = straight.trainStep(Cancellation.none(), GrpoTrainer.Listener.NONE);
            StepMetrics two = straight.trainStep(Cancellation.none(), GrpoTrainer.Listener.NONE);

            interrupted.trainStep(Cancellation.none(), GrpoTrainer.Listener.NONE);
            Cancellation cancel = new Cancellation();
            assertThatThrownBy(() -> interrupted.trainStep(cancel, new GrpoTrainer.Listener() {
                @Override
                public void onRollouts(int step, int done, int total) {
                    cancel.cancel(); // after sampling, before the backward passes
                }
            })).isInstanceOf(CancellationException.class);
            assertThat(interrupted.step()).isEqualTo(1);
            StepMetrics again = interrupted.trainStep(Cancellation.none(), GrpoTrainer.Listener.NONE);

            assertThat(one.step()).isEqualTo(1);
            assertThat(again.step()).isEqualTo(2);
            assertThat(again.loss()).isEqualTo(two.loss());
            assertThat(again.gradNorm()).isEqualTo(two.gradNorm());
        }
    }

    @Test
    void aRunOnAWorkerThreadTakesTheSameStepsAsOnTheMainThread() throws Exception {
        // PyTorch's autograd switch is per thread and on by default in threads the engine did not start in (a GUI's
        // background task): training must not depend on it.
        Path model = ToyTask.writeModel(dir, "toy", 3);
        GrpoConfig config = GrpoConfig.fromSettings(ToyTask.settings(4, 5));
        List<StepMetrics> here = new java.util.ArrayList<>();
        try (GrpoTrainer t = start(model, config)) {
            here.add(t.trainStep(Cancellation.none(), GrpoTrainer.Listener.NONE));
            here.add(t.trainStep(Cancellation.none(), GrpoTrainer.Listener.NONE));
        }
        List<StepMetrics> there = new java.util.ArrayList<>();
        Thread worker = new Thread(() -> {
            try (GrpoTrainer t = start(model, config)) {
                there.add(t.trainStep(Cancellation.none(), GrpoTrainer.Listener.NONE));
                there.add(t.trainStep(Cancellation.none(), GrpoTrainer.Listener.NONE));
            }
        });
        worker.start();
        worker.join();

        assertThat(there).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(there.get(i).loss()).isEqualTo(here.get(i).loss());
            assertThat(there.get(i).gradNorm()).isEqualTo(here.get(i).gradNorm());
        }
    }

    @Test
    void resumingWithOtherSettingsIsRefused() throws IOException {
        Path model = ToyTask.writeModel(dir, "toy", 3);
        GrpoConfig config = GrpoConfig.fromSettings(ToyTask.settings(4, 5));
        Path saved;
        try (GrpoTrainer first = start(model, config)) {
            first.trainStep(Cancellation.none(), GrpoTrainer.Listener.NONE);
            saved = first.checkpoint().save(dir.resolve("run"));
        }
        GrpoConfig other = config.with(Map.of("learning_rate", "0.01"));

        assertThatThrownBy(() -> GrpoTrainer.resume(open(model), other, ToyTask.rows(16), saved))
                .isInstanceOf(UserException.class).hasMessageContaining("GRPO settings differ");
        assertThatThrownBy(() -> GrpoTrainer.resume(open(model), config, ToyTask.rows(18), saved))
                .isInstanceOf(UserException.class).hasMessageContaining("training data file differs");
    }
}
