package org.rsafe.ui.bundle;

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
import org.rsafe.ui.task.DirectTaskExecutor;
import org.rsafe.ui.task.FxTaskExecutor;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;

/** The Import bundle dialog driven through its fields and buttons (headless), verifying on background tasks. */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ImportBundleDialogGuiTest {
    private static final Path POLICY = Path.of("policies/rsafe-default.yaml").toAbsolutePath();
    private static final Path PROMPTS = Path.of("sample-inputs/prompts.csv").toAbsolutePath();
    private static final long WAIT_SECONDS = 60;

    private static Engine quick;
    private static String oldConfigDir;

    @TempDir
    Path dir;

    private FxTaskExecutor executor;
    private ImportBundleViewModel vm;
    private Dialog<Void> dialog;
    private Path bundle;
    private Path workspace;

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
        // This user imports into the workspace of their open policy.
        workspace = dir.resolve("team");
        Path mine = workspace.resolve("mine.yaml");
        Files.createDirectories(workspace);
        Files.copy(POLICY, mine);
        Theme.LIGHT.apply();
        executor = new FxTaskExecutor();
        vm = new ImportBundleViewModel(executor, mine);
        dialog = ImportBundleView.build(vm);
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

    /** Someone else (their own configuration folder and key) exports the bundle; off the FX thread, as a test step. */
    private void receiveBundleFromSomeoneElse() throws Exception {
        System.setProperty(SigningKeys.CONFIG_PROPERTY, dir.resolve("sender").toString());
        Path sent = dir.resolve("sender-ws/policy.yaml");
        Files.createDirectories(sent.getParent());
        Files.copy(POLICY, sent);
        ExportBundleViewModel export = new ExportBundleViewModel(new DirectTaskExecutor(), sent,
                (onReady, onFailed) -> onReady.accept(quick), new SimpleStringProperty("the quick engine"), "test");
        export.dataFileProperty().set(PROMPTS);
        export.validate();
        bundle = dir.resolve("default.rsafe.zip");
        export.export(bundle);
        assertThat(bundle).as(export.messageProperty().get()).isRegularFile();
        System.setProperty(SigningKeys.CONFIG_PROPERTY, dir.resolve("recipient").toString());
    }

    @Test
    void anUntrustedSignerIsImportedOnlyAfterBeingNamedAndTrusted(FxRobot robot) throws Exception {
        receiveBundleFromSomeoneElse();
        Button importButton = robot.lookup("#importButton").queryButton();
        Button trustButton = robot.lookup("#trustAndImportButton").queryButton();
        Node trustBox = robot.lookup("#trustBox").query();
        assertThat(fx(importButton::isDisabled)).isTrue();
        assertThat(fx(trustBox::isVisible)).isFalse();

        fx(() -> {
            vm.choose(bundle);
            return null;
        });
        waitUntil(() -> vm.stateProperty().get() != ImportBundleViewModel.State.VERIFYING);
        assertThat(fx(() -> vm.stateProperty().get())).as(vm.messageProperty().get())
                .isEqualTo(ImportBundleViewModel.State.CHECKED);

        Label signer = robot.lookup("#signerLabel").queryAs(Label.class);
        Label verdict = robot.lookup("#verdictLabel").queryAs(Label.class);
        assertThat(fx(signer::getText)).contains("NOT trusted");
        assertThat(fx(verdict::getText)).startsWith("UNTRUSTED");
        assertThat(fx(importButton::isDisabled)).isTrue();
        assertThat(fx(trustBox::isVisible)).isTrue();
        assertThat(fx(trustButton::isDisabled)).isTrue();

        javafx.scene.control.TextField name = robot.lookup("#signerNameField").queryAs(javafx.scene.control.TextField.class);
        robot.clickOn(name).write("Kim");
        WaitForAsyncUtils.waitForFxEvents();
        String typed = fx(name::getText);
        assertThat(typed).isEqualTo("Kim");
        waitUntil(() -> !trustButton.isDisabled());
        robot.clickOn(trustButton);
        waitUntil(() -> vm.stateProperty().get() == ImportBundleViewModel.State.IMPORTED);

        Label message = robot.lookup("#importMessageLabel").queryAs(Label.class);
        assertThat(fx(message::getText)).startsWith("Imported into ");
        assertThat(workspace.resolve("bundles/default/policy.yaml")).isRegularFile();
        assertThat(Files.readString(workspace.resolve(".rsafe/trusted-signers.txt"))).contains(" Kim");
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static void waitUntil(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS, () -> fx(condition));
    }
}
