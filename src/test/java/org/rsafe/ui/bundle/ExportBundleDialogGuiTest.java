package org.rsafe.ui.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.beans.property.SimpleStringProperty;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Dialog;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.bundle.SigningKeys;
import org.rsafe.engine.Engine;
import org.rsafe.engine.quick.QuickEngine;
import org.rsafe.engine.quick.QuickEngineOptions;
import org.rsafe.ui.style.Theme;
import org.rsafe.ui.task.FxTaskExecutor;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;

/** The Export bundle dialog driven through its fields and buttons (headless), with the real quick engine. */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExportBundleDialogGuiTest {
    private static final Path POLICY = Path.of("policies/rsafe-default.yaml").toAbsolutePath();
    private static final Path PROMPTS = Path.of("sample-inputs/prompts.csv").toAbsolutePath();
    private static final long WAIT_SECONDS = 60;

    private static Engine quick;
    private static String oldConfigDir;

    @TempDir
    Path dir;

    private FxTaskExecutor executor;
    private ExportBundleViewModel vm;
    private Dialog<Void> dialog;

    @BeforeAll
    static void loadEngine() {
        quick = QuickEngine.create(QuickEngineOptions.defaults());
        oldConfigDir = System.getProperty(SigningKeys.CONFIG_PROPERTY);
    }

    @AfterAll
    static void closeEngine() {
        quick.close();
    }

    @Start
    void start(Stage stage) throws Exception {
        System.setProperty(SigningKeys.CONFIG_PROPERTY, dir.resolve("config").toString());
        Path policy = dir.resolve("ws/policy.yaml");
        Files.createDirectories(policy.getParent());
        Files.copy(POLICY, policy);
        Theme.LIGHT.apply();
        executor = new FxTaskExecutor();
        vm = new ExportBundleViewModel(executor, policy, (onReady, onFailed) -> onReady.accept(quick),
                new SimpleStringProperty("the quick engine"), "test");
        vm.dataFileProperty().set(PROMPTS);
        dialog = ExportBundleView.build(vm);
        dialog.show();
    }

    @Stop
    void stop() {
        dialog.close();
        executor.shutdown();
    }

    @AfterEach
    void restoreConfigDir() {
        if (oldConfigDir == null) {
            System.clearProperty(SigningKeys.CONFIG_PROPERTY);
        } else {
            System.setProperty(SigningKeys.CONFIG_PROPERTY, oldConfigDir);
        }
    }

    @Test
    void aFailedGateIsMarkedFailedAndKeepsExportDisabledUntilEveryGatePasses(FxRobot robot) throws Exception {
        Button export = robot.lookup("#exportButton").queryButton();
        assertThat(fx(export::isDisabled)).isTrue();

        robot.clickOn(robot.lookup("#minF1Field").queryAs(Node.class)).write("1");
        robot.clickOn(robot.lookup("#validateButton").queryAs(Node.class));
        waitUntil(() -> vm.stateProperty().get() == ExportBundleViewModel.State.CHECKED);

        ListView<?> checks = robot.lookup("#checksList").queryListView();
        assertThat(fx(() -> checks.getItems().size())).isGreaterThan(1);
        // The cells are styled on the next layout pass after the checklist changes.
        waitUntil(() -> robot.lookup("." + ExportBundleView.GATE_FAILED).tryQuery().isPresent());
        assertThat(robot.lookup(".list-cell").match((javafx.scene.control.Labeled c) -> c.getText() != null
                && c.getText().startsWith("✘ failed  F1")).tryQuery()).isPresent();
        assertThat(fx(export::isDisabled)).isTrue();

        robot.doubleClickOn(robot.lookup("#minF1Field").queryAs(Node.class)).write("0");
        assertThat(fx(() -> checks.getItems().isEmpty())).isTrue();
        robot.clickOn(robot.lookup("#validateButton").queryAs(Node.class));
        waitUntil(() -> vm.stateProperty().get() == ExportBundleViewModel.State.CHECKED);
        waitUntil(() -> robot.lookup("." + ExportBundleView.GATE_PASSED).queryAll().size() == checks.getItems().size());

        assertThat(robot.lookup("." + ExportBundleView.GATE_FAILED).tryQuery()).isEmpty();
        assertThat(fx(export::isDisabled)).isFalse();
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static void waitUntil(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS, () -> fx(condition));
    }
}
