package org.rsafe.ui.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.beans.value.ChangeListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rsafe.engine.llm.ModelFolder;
import org.rsafe.train.Checkpoint;
import org.rsafe.train.GrpoRun;
import org.rsafe.train.StepMetrics;
import org.rsafe.train.ToyTask;
import org.rsafe.train.TrainLog;
import org.rsafe.train.TrainingRows;
import org.rsafe.ui.task.DirectTaskExecutor;
import org.rsafe.ui.task.HeldTaskExecutor;
import org.rsafe.ui.task.TaskExecutor;
import org.rsafe.ui.workspace.WorkbenchHome;

/** Starting, stopping and resuming GRPO runs from the Training tab's form, on the toy model (a run takes seconds). */
class TrainingRunViewModelTest {
    @TempDir
    Path dir;

    private Path model;
    private Path data;

    private TrainingViewModel formFor(TaskExecutor executor) throws IOException {
        model = ToyTask.writeModel(dir, "toy", 1);
        data = dir.resolve("train.jsonl");
        TrainingRows.write(data, ToyTask.rows(16));
        TrainingViewModel vm = new TrainingViewModel(executor, new WorkbenchHome(dir.resolve("home")));
        vm.modelDirProperty().set(model.toString());
        vm.dataFileProperty().set(data.toString());
        vm.deviceProperty().set("cpu");
        vm.knob("max_steps").set("2");
        vm.knob("num_generations").set("8");
        vm.knob("learning_rate").set("0.003");
        vm.knob("seed").set("1");
        // The toy's other settings (two-token completions, one micro-batch a step) go where a user types them.
        StringBuilder more = new StringBuilder();
        ToyTask.settings(2, 1).forEach((name, value) -> {
            if (!TrainingViewModel.FORM_KNOBS.contains(name)) {
                more.append(name).append('=').append(value).append("; ");
            }
        });
        vm.moreSettingsProperty().set(more.toString());
        return vm;
    }

    @Test
    void startingATwoStepRunWritesTheLogAndTheAdapterAndShowsBothSteps() throws IOException {
        TrainingViewModel vm = formFor(new DirectTaskExecutor());
        Path out = Path.of(vm.outDirProperty().get());
        assertThat(out.getParent()).as("the default run folder's parent")
                .isEqualTo(dir.resolve("home").resolve(TrainingViewModel.RUNS_FOLDER));
        assertThat(vm.getStartBlockedReason()).isEmpty();

        vm.startRun();

        assertThat(vm.getRunError()).isEmpty();
        assertThat(vm.runningProperty().get()).isFalse();
        assertThat(out.resolve(TrainLog.FILE_NAME)).isRegularFile();
        assertThat(out.resolve("adapter_config.json")).isRegularFile();
        assertThat(out.resolve("adapter_model.safetensors")).isRegularFile();
        try (ModelFolder withAdapter = ModelFolder.open(model, out)) {
            assertThat(withAdapter.adapter()).isPresent();
        }
        assertThat(vm.steps()).extracting(StepMetrics::step).containsExactly(1, 2);
        assertThat(vm.runDirProperty().get()).isEqualTo(out);
        assertThat(vm.lastSummaryProperty().get().stepsDone()).isEqualTo(2);
        assertThat(vm.getRunStatus()).startsWith("Done: 2 steps").contains("PEFT adapter written to " + out);
        assertThat(vm.runProgressProperty().get()).isEqualTo(1.0);
        assertThat(Path.of(vm.outDirProperty().get())).as("the next run gets a fresh folder").isNotEqualTo(out);
        assertThat(vm.getStartBlockedReason()).isEmpty();
    }

    @Test
    void theFormsKnobsReachTheRunUnderTheirTrlNames() throws IOException {
        TrainingViewModel vm = formFor(new DirectTaskExecutor());
        vm.knob("beta").set("0.04");
        Path out = Path.of(vm.outDirProperty().get());

        vm.startRun();

        String saved = Files.readString(out.resolve("grpo_config.json"));
        assertThat(saved).contains("\"max_steps\" : 2").contains("\"num_generations\" : 8").contains("\"beta\" : 0.04")
                .contains("\"seed\" : 1").contains("\"learning_rate\" : 0.003");
        assertThat(saved).contains("\"per_device_train_batch_size\" : 64").contains("\"completion_prefix\" : \"<think> </think>\"");
    }

    @Test
    void stopDuringARunEndsItCancelledWithTheCheckpointKeptAndResumeFinishesIt() throws IOException {
        HeldTaskExecutor executor = new HeldTaskExecutor();
        TrainingViewModel vm = formFor(executor);
        Path out = Path.of(vm.outDirProperty().get());
        // Stop as soon as the first step is reported, while the run is still going.
        ChangeListener<String> stopAfterStepOne = (obs, old, text) -> {
            if (text.startsWith("Step 1 of 2 done")) {
                vm.stopRun();
            }
        };
        vm.runStatusProperty().addListener(stopAfterStepOne);

        vm.startRun();
        assertThat(vm.runningProperty().get()).isTrue();
        assertThat(vm.getStartBlockedReason()).contains("in progress");
        vm.startRun();
        assertThat(executor.heldTitles()).as("a second run cannot start while one runs").hasSize(1);
        executor.runAll();
        vm.runStatusProperty().removeListener(stopAfterStepOne);

        GrpoRun.Summary stopped = vm.lastSummaryProperty().get();
        assertThat(stopped.cancelled()).isTrue();
        assertThat(stopped.stepsDone()).isEqualTo(1);
        assertThat(vm.getRunStatus()).startsWith("Stopped after step 1 of 2").contains(out.resolve(Checkpoint.DIR).toString());
        assertThat(out.resolve(Checkpoint.DIR).resolve(Checkpoint.folderName(1))).isDirectory();
        assertThat(out.resolve("adapter_model.safetensors")).as("no adapter for a stopped run").doesNotExist();
        assertThat(vm.resumeProperty().get()).isTrue();
        assertThat(vm.getStartBlockedReason()).isEmpty();

        vm.startRun();
        executor.runAll();

        GrpoRun.Summary resumed = vm.lastSummaryProperty().get();
        assertThat(resumed.cancelled()).isFalse();
        assertThat(resumed.resumedFrom()).isEqualTo(1);
        assertThat(resumed.stepsDone()).isEqualTo(2);
        assertThat(out.resolve("adapter_model.safetensors")).isRegularFile();
        assertThat(TrainLog.readAll(out.resolve(TrainLog.FILE_NAME))).extracting(StepMetrics::step).containsExactly(1, 2);
        assertThat(vm.steps()).extracting(StepMetrics::step).containsExactly(1, 2);
    }

    @Test
    void startIsBlockedWithTheReasonWhileTheModelFolderIsMissing() throws IOException {
        HeldTaskExecutor executor = new HeldTaskExecutor();
        TrainingViewModel vm = formFor(executor);
        vm.modelDirProperty().set("");
        assertThat(vm.getStartBlockedReason()).isEqualTo("Choose the model folder (a Hugging Face Qwen2 folder).");
        assertThat(vm.canStartProperty().get()).isFalse();

        Path gone = dir.resolve("no-such-model");
        vm.modelDirProperty().set(gone.toString());
        assertThat(vm.getStartBlockedReason()).isEqualTo("The model folder " + gone + " does not exist.");
        vm.startRun();

        assertThat(executor.heldTitles()).isEmpty();
        assertThat(vm.getRunError()).isEqualTo("The model folder " + gone + " does not exist.");
        assertThat(vm.runningProperty().get()).isFalse();
    }

    @Test
    void startIsBlockedWhileTheDataFileIsMissingOrTheOutputFolderHoldsAnotherRun() throws IOException {
        TrainingViewModel vm = formFor(new DirectTaskExecutor());
        vm.dataFileProperty().set(" ");
        assertThat(vm.getStartBlockedReason()).startsWith("Choose the training data file");
        vm.dataFileProperty().set(data.toString());
        Files.createDirectories(dir.resolve("used"));
        Files.writeString(dir.resolve("used").resolve("notes.txt"), "an earlier run");
        vm.outDirProperty().set(dir.resolve("used").toString());
        assertThat(vm.getStartBlockedReason()).endsWith("is not empty: tick Resume to continue the run in it, or choose a new output folder.");
        vm.resumeProperty().set(true);
        assertThat(vm.getStartBlockedReason()).startsWith("Nothing to resume:");
    }

    @Test
    void aBadDataFileGivesAReadableErrorNamingItsLine() throws IOException {
        TrainingViewModel vm = formFor(new DirectTaskExecutor());
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"id\":\"a\",\"prompt\":\"review : knife \",\"label\":\"unsafe\"}\nthis is not json\n");
        vm.dataFileProperty().set(bad.toString());
        Path out = Path.of(vm.outDirProperty().get());

        vm.startRun();

        assertThat(vm.runningProperty().get()).isFalse();
        assertThat(vm.getRunError()).startsWith("The training run failed: " + bad + ":2:")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out).as("a refused start writes nothing").doesNotExist();
        assertThat(vm.getStartBlockedReason()).isEmpty();
    }

    @Test
    void settingsGrpoRefusesAreReportedBeforeTheModelIsOpened() throws IOException {
        HeldTaskExecutor executor = new HeldTaskExecutor();
        TrainingViewModel vm = formFor(executor);
        vm.knob("num_generations").set("3");

        vm.startRun();

        assertThat(executor.heldTitles()).isEmpty();
        assertThat(vm.getRunError()).contains("num_generations");
        assertThat(vm.givenKnobs()).containsEntry("num_generations", "3").doesNotContainKey("beta");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            save_steps                | is not name=value
            max_steps=3               | max_steps has its own field on the form
            num-generations=8         | num_generations has its own field on the form
            """)
    void moreSettingsThatAreNotNameValueOrRepeatAFormFieldAreRefused(String more, String error) throws IOException {
        HeldTaskExecutor executor = new HeldTaskExecutor();
        TrainingViewModel vm = formFor(executor);
        vm.moreSettingsProperty().set(more);

        vm.startRun();

        assertThat(executor.heldTitles()).isEmpty();
        assertThat(vm.getRunError()).startsWith("More settings: ").contains(error);
    }

}
