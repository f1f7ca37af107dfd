package org.rsafe.ui.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.beans.property.SimpleStringProperty;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.cli.CalibrationFixture;
import org.rsafe.engine.Engine;
import org.rsafe.engine.quick.QuickEngine;
import org.rsafe.engine.quick.QuickEngineOptions;
import org.rsafe.ui.LayoutCheck;
import org.rsafe.ui.style.Theme;
import org.rsafe.ui.task.FxTaskExecutor;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;

/** The Calibrate thresholds dialog driven through its buttons (headless), with the real quick engine. */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CalibrateDialogGuiTest {
    private static final long WAIT_SECONDS = 60;

    private static Engine quick;

    @TempDir
    Path dir;

    private Path policy;
    private byte[] original;
    private FxTaskExecutor executor;
    private CalibrateViewModel vm;
    private Dialog<Void> dialog;

    @BeforeAll
    static void loadEngine() {
        quick = QuickEngine.create(QuickEngineOptions.defaults());
    }

    @AfterAll
    static void closeEngine() {
        quick.close();
    }

    @Start
    void start(Stage stage) throws Exception {
        policy = CalibrationFixture.writePolicy(dir);
        original = Files.readAllBytes(policy);
        Theme.LIGHT.apply();
        executor = new FxTaskExecutor();
        vm = new CalibrateViewModel(executor, policy, (onReady, onFailed) -> onReady.accept(quick),
                new SimpleStringProperty("the quick engine"), () -> 0.5, written -> { });
        vm.dataFileProperty().set(CalibrationFixture.writeNoisyData(dir.resolve("noisy.csv")));
        vm.seedProperty().set(Long.toString(CalibrationFixture.WORSE_SEED));
        dialog = CalibrateView.build(vm);
        dialog.show();
    }

    @Stop
    void stop() {
        dialog.close();
        executor.shutdown();
    }

    @Test
    void aRefusalIsShownWithWriteAnywayWhichWritesTheThresholdsWhenClicked(FxRobot robot) throws Exception {
        Button writeAnyway = robot.lookup("#writeAnywayButton").queryButton();
        assertThat(fx(writeAnyway::isVisible)).isFalse();

        robot.clickOn(robot.lookup("#calibrateButton").queryAs(Node.class));
        waitUntil(() -> vm.stateProperty().get() == CalibrateViewModel.State.REFUSED);

        waitUntil(writeAnyway::isVisible);
        Label refusal = robot.lookup("#refusalLabel").queryAs(Label.class);
        assertThat(fx(refusal::getText)).contains("do worse than the current ones on the 12 held-out rows");
        assertThat(Files.readAllBytes(policy)).isEqualTo(original);

        robot.clickOn(writeAnyway);
        waitUntil(() -> vm.stateProperty().get() == CalibrateViewModel.State.WRITTEN);

        assertThat(Files.readString(policy)).contains("threshold: ");
        waitUntil(() -> !writeAnyway.isVisible());
    }

    @Test
    void aPrecisionTargetShowsTheChosenBandAndWritesItIntoThePolicy(FxRobot robot) throws Exception {
        Path suite = Path.of("sample-inputs/steerability").toAbsolutePath();
        Files.writeString(policy, Files.readString(suite.resolve("homework-helper.yaml")));
        robot.interact(() -> {
            vm.dataFileProperty().set(suite.resolve("homework-helper.csv"));
            vm.seedProperty().set("1");
        });
        assertThat(fx(() -> robot.lookup("#targetHintLabel").queryAs(Label.class).getText()))
                .contains("precision=0.90", "REVIEW band");
        Label band = robot.lookup("#bandSummaryLabel").queryAs(Label.class);
        assertThat(fx(band::isVisible)).isFalse();
        robot.clickOn("#targetField").eraseText(2).write("precision=0.90");
        assertThat(fx(() -> vm.targetProperty().get())).isEqualTo("precision=0.90");

        robot.clickOn(robot.lookup("#calibrateButton").queryAs(Node.class));
        waitUntil(() -> vm.stateProperty().get() == CalibrateViewModel.State.REFUSED);

        waitUntil(band::isVisible);
        assertThat(fx(band::getText)).startsWith("REVIEW band 0.25 → ").contains("Held-out rows: coverage",
                "decided precision");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> LayoutCheck.truncatedTexts(dialog.getDialogPane()))).as("texts cut to an ellipsis").isEmpty();
        robot.clickOn(robot.lookup("#writeAnywayButton").queryButton());
        waitUntil(() -> vm.stateProperty().get() == CalibrateViewModel.State.WRITTEN);
        assertThat(Files.readString(policy)).contains("review_band: ");
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static void waitUntil(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS, () -> fx(condition));
    }
}
