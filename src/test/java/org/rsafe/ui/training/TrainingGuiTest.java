package org.rsafe.ui.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.quick.QuickEngine;
import org.rsafe.engine.quick.QuickEngineOptions;
import org.rsafe.train.StepMetrics;
import org.rsafe.train.ToyTask;
import org.rsafe.train.TrainLog;
import org.rsafe.train.TrainingRows;
import org.rsafe.ui.MainViewModel;
import org.rsafe.ui.style.Theme;
import org.rsafe.ui.WorkbenchWindow;
import org.rsafe.ui.task.FxTaskExecutor;
import org.rsafe.ui.workspace.WorkbenchHome;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Training tab in the real window (headless): its curves grow while a trainer appends to the log, and its
 * new-run form only lets a run start once the model and data are chosen.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TrainingGuiTest {
    private static final long WAIT_SECONDS = 20;

    @TempDir
    Path dir;

    private FxTaskExecutor executor;
    private MainViewModel vm;
    private WorkbenchWindow window;

    @Start
    void start(Stage stage) {
        Theme.LIGHT.apply();
        executor = new FxTaskExecutor();
        vm = new MainViewModel(executor, new WorkbenchHome(dir.resolve("home")),
                () -> QuickEngine.create(QuickEngineOptions.defaults()));
        window = WorkbenchWindow.load(vm);
        stage.setScene(window.scene());
        window.controller().attach(stage);
        stage.show();
    }

    @Stop
    void stop() {
        vm.shutdown();
        executor.shutdown();
    }

    private static StepMetrics step(int n) {
        return new StepMetrics(n, n / 10.0, 1.0 / n, 0.1 * n, 0.2, 1.0, 0.7, 0.01 * n, 0.9, 0, 0, 0, 120, 0, 0.25,
                300, 1.5, 2.0, 1e-6, 0.8);
    }

    @Test
    void theTrainingTabDrawsStepsAppendedWhileItFollowsARun(FxRobot robot) throws Exception {
        Path run = dir.resolve("run");
        Path log = run.resolve(TrainLog.FILE_NAME);
        append(log, step(1), step(2));
        robot.clickOn(robot.lookup(".tab-label").match((Labeled l) -> l.getText().equals("Training")).queryLabeled());
        fx(() -> {
            vm.training().open(run);
            return null;
        });
        TrainingView view = window.controller().trainingView();
        waitUntil(() -> view.seriesOf(TrainingMetric.REWARD).getData().size() == 2);

        append(log, step(3));
        // Nothing but the tab's own timer reads the log again.
        waitUntil(() -> view.seriesOf(TrainingMetric.KL).getData().size() == 3);
        assertThat(fx(() -> view.seriesOf(TrainingMetric.LOSS).getData().get(2).getYValue().doubleValue()))
                .isEqualTo(1.0 / 3);
        assertThat(fx(() -> vm.training().getMessage())).startsWith("3 steps read, last step 3");
    }

    @Test
    void theNewRunFormKeepsStartDisabledUntilTheModelAndDataAreChosenThenRunsAndDrawsTheRun(FxRobot robot) throws Exception {
        Path model = ToyTask.writeModel(dir, "toy", 1);
        Path data = dir.resolve("train.jsonl");
        TrainingRows.write(data, ToyTask.rows(4));
        robot.clickOn(robot.lookup(".tab-label").match((Labeled l) -> l.getText().equals("Training")).queryLabeled());
        Button start = robot.lookup("#startRunButton").queryButton();
        Button stopRun = robot.lookup("#stopRunButton").queryButton();
        TextField modelField = robot.lookup("#modelField").queryAs(TextField.class);
        TextField dataField = robot.lookup("#dataField").queryAs(TextField.class);
        TextField outField = robot.lookup("#outField").queryAs(TextField.class);
        Labeled reason = robot.lookup("#startBlockedLabel").queryLabeled();

        assertThat(fx(() -> robot.lookup("#maxStepsField").queryAs(TextField.class).getText())).isEqualTo("-1");
        assertThat(fx(() -> robot.lookup("#numGenerationsField").queryAs(TextField.class).getText())).isEqualTo("4");
        assertThat(fx(() -> outField.getText())).startsWith(dir.resolve("home").resolve(TrainingViewModel.RUNS_FOLDER).toString());
        assertThat(fx(() -> start.isDisabled())).isTrue();
        assertThat(fx(() -> stopRun.isDisabled())).as("nothing to stop").isTrue();
        assertThat(fx(() -> reason.getText())).startsWith("Choose the model folder");

        fx(() -> {
            modelField.setText(model.toString());
            return null;
        });
        assertThat(fx(() -> start.isDisabled())).isTrue();
        assertThat(fx(() -> reason.getText())).startsWith("Choose the training data file");

        fx(() -> {
            dataField.setText(data.toString());
            return null;
        });
        assertThat(fx(() -> start.isDisabled())).isFalse();
        assertThat(fx(() -> reason.getText())).isEmpty();
        assertThat(fx(() -> vm.training().dataFileProperty().get())).isEqualTo(data.toString());

        // A real (toy) run through the window's executor: progress, log following and the summary on the UI thread.
        fx(() -> {
            TrainingViewModel t = vm.training();
            t.deviceProperty().set("cpu");
            ToyTask.settings(2, 1).forEach((name, value) -> {
                if (TrainingViewModel.FORM_KNOBS.contains(name)) {
                    t.knob(name).set(value);
                } else {
                    t.moreSettingsProperty().set(t.moreSettingsProperty().get() + name + "=" + value + ";");
                }
            });
            return null;
        });
        robot.clickOn(start);
        TrainingView view = window.controller().trainingView();
        waitUntil(() -> vm.training().getRunStatus().startsWith("Done: 2 steps"));
        waitUntil(() -> view.seriesOf(TrainingMetric.REWARD).getData().size() == 2);
        assertThat(fx(() -> robot.lookup("#runErrorLabel").queryLabeled().getText())).isEmpty();
        assertThat(fx(() -> start.isDisabled())).as("a new run may start in the fresh folder").isFalse();
    }

    private static void append(Path log, StepMetrics... steps) throws IOException {
        try (TrainLog t = TrainLog.openForAppend(log)) {
            for (StepMetrics s : steps) {
                t.append(s);
            }
        }
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static void waitUntil(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS, () -> fx(condition));
    }
}
