package org.rsafe.ui.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.train.StepMetrics;
import org.rsafe.train.TrainLog;
import org.rsafe.ui.task.DirectTaskExecutor;
import org.rsafe.ui.workspace.WorkbenchHome;

/** Following a run folder's training log: steps appear as the trainer appends them. */
class TrainingViewModelTest {
    @TempDir
    Path run;

    @TempDir
    Path home;

    private TrainingViewModel vm;

    @BeforeEach
    void createViewModel() {
        vm = new TrainingViewModel(new DirectTaskExecutor(), new WorkbenchHome(home));
    }

    private static StepMetrics step(int n, double reward) {
        return new StepMetrics(n, n / 10.0, 0.5 / n, reward, 0.2, 1.0, 0.7, 0.01 * n, 0.9, 0, 0, 0, 120, 0, 0.25,
                300, 1.5, 2.0, 1e-6, 0.8);
    }

    private void append(StepMetrics... steps) throws IOException {
        try (TrainLog log = TrainLog.openForAppend(run.resolve(TrainLog.FILE_NAME))) {
            for (StepMetrics s : steps) {
                log.append(s);
            }
        }
    }

    @Test
    void openingARunShowsItsLoggedStepsAndAppendedStepsAreAddedOnTheNextPoll() throws IOException {
        append(step(1, 0.1), step(2, 0.3));
        vm.open(run);
        assertThat(vm.steps()).extracting(StepMetrics::step).containsExactly(1, 2);
        assertThat(vm.getMessage()).startsWith("2 steps read, last step 2");

        append(step(3, 0.5));
        vm.pollNow();
        assertThat(vm.steps()).extracting(StepMetrics::step).containsExactly(1, 2, 3);
        assertThat(vm.steps().get(2).reward()).isEqualTo(0.5);
        assertThat(vm.getMessage()).startsWith("3 steps read, last step 3");
    }

    @Test
    void aFolderWithoutALogSaysSoAndPicksUpTheLogOnceTheTrainerWritesIt() throws IOException {
        vm.open(run);
        assertThat(vm.steps()).isEmpty();
        assertThat(vm.getMessage()).contains("has no train_log.jsonl").contains("rsafe train grpo --out");

        append(step(1, 0.2));
        vm.pollNow();
        assertThat(vm.steps()).extracting(StepMetrics::step).containsExactly(1);
    }

    @Test
    void aLineStillBeingWrittenIsLeftUntilItIsComplete() throws IOException {
        append(step(1, 0.1));
        vm.open(run);
        Path file = run.resolve(TrainLog.FILE_NAME);
        String second = Files.readString(file).replace("\"step\":1,", "\"step\":2,");
        int half = second.length() / 2;
        Files.writeString(file, second.substring(0, half), StandardOpenOption.APPEND);
        vm.pollNow();
        assertThat(vm.steps()).hasSize(1);

        Files.writeString(file, second.substring(half), StandardOpenOption.APPEND);
        vm.pollNow();
        assertThat(vm.steps()).extracting(StepMetrics::step).containsExactly(1, 2);
    }

    @Test
    void aResumedRunThatCutsItsLogBackReplacesTheStepsAfterItsCheckpointInsteadOfRepeatingThem() throws IOException {
        append(step(1, 0.1), step(2, 0.2), step(3, 0.3));
        vm.open(run);
        TrainLog.truncateAfter(run.resolve(TrainLog.FILE_NAME), 1);
        append(step(2, 0.9));
        vm.pollNow();
        assertThat(vm.steps()).extracting(StepMetrics::step).containsExactly(1, 2);
        assertThat(vm.steps().get(1).reward()).isEqualTo(0.9);
    }

    @Test
    void stoppingKeepsTheStepsButReadsNoMore() throws IOException {
        append(step(1, 0.1));
        vm.open(run);
        vm.stopFollowing();
        append(step(2, 0.2));
        vm.pollNow();
        assertThat(vm.steps()).hasSize(1);
        assertThat(vm.followingProperty().get()).isFalse();
    }

    @Test
    void openingAnotherRunReplacesTheCurves(@TempDir Path other) throws IOException {
        append(step(1, 0.1), step(2, 0.2));
        vm.open(run);
        try (TrainLog log = TrainLog.openForAppend(other.resolve(TrainLog.FILE_NAME))) {
            log.append(step(7, 0.7));
        }
        vm.open(other);
        assertThat(vm.steps()).extracting(StepMetrics::step).containsExactly(7);
        assertThat(vm.runDirProperty().get()).isEqualTo(other);
    }
}
