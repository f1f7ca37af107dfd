package org.rsafe.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Parent;
import javafx.scene.control.Dialog;
import javafx.scene.control.Tab;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.quick.QuickEngine;
import org.rsafe.engine.quick.QuickEngineOptions;
import org.rsafe.ui.batch.BatchViewModel;
import org.rsafe.ui.bench.TestBenchViewModel;
import org.rsafe.ui.bundle.ExportBundleView;
import org.rsafe.ui.bundle.ExportBundleViewModel;
import org.rsafe.ui.style.Theme;
import org.rsafe.ui.task.FxTaskExecutor;
import org.rsafe.ui.versions.CompareSide;
import org.rsafe.ui.workspace.WorkbenchHome;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window at laptop size (1366×768), headless: with a verdict, a batch run, two saved versions, a run comparison
 * and a validated export dialog on show, every label, button, tab and column header and every list or tree cell shows
 * its full text — none is cut to an ellipsis.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LayoutGuiTest {
    static final int WIDTH = 1366;
    static final int HEIGHT = 768;
    private static final Path POLICY = Path.of("policies/rsafe-default.yaml").toAbsolutePath();
    private static final Path PROMPTS = Path.of("sample-inputs/prompts.csv").toAbsolutePath();
    private static final long WAIT_SECONDS = 90;

    @TempDir
    Path dir;

    private FxTaskExecutor executor;
    private MainViewModel vm;
    private WorkbenchWindow window;
    private Path policy;

    @Start
    void start(Stage stage) throws Exception {
        Theme.LIGHT.apply();
        policy = Files.copy(POLICY, Files.createDirectories(dir.resolve("ws")).resolve("rsafe-default.yaml"));
        executor = new FxTaskExecutor();
        vm = new MainViewModel(executor, new WorkbenchHome(dir.resolve("home")),
                () -> QuickEngine.create(QuickEngineOptions.defaults()));
        window = WorkbenchWindow.load(vm);
        stage.setScene(window.scene());
        window.controller().attach(stage);
        stage.setX(0);
        stage.setY(0);
        stage.setWidth(WIDTH);
        stage.setHeight(HEIGHT);
        stage.show();
        vm.start(new StartupFiles(policy, PROMPTS));
    }

    @Stop
    void stop() {
        vm.shutdown();
        executor.shutdown();
    }

    @Test
    void nothingIsCutOffAtLaptopSize(FxRobot robot) throws Exception {
        List<String> cut = new ArrayList<>();

        waitUntil(() -> vm.bench().canRunBinding().get() && !vm.bench().promptProperty().get().isBlank());
        fx(() -> {
            vm.bench().run();
            return null;
        });
        waitUntil(() -> vm.bench().stateProperty().get() == TestBenchViewModel.State.DONE);
        cut.addAll(cutOffIn("Test bench"));

        waitUntil(() -> vm.batch().canRunBinding().get());
        fx(() -> {
            vm.batch().run();
            return null;
        });
        waitUntil(() -> vm.batch().stateProperty().get() == BatchViewModel.State.DONE);
        cut.addAll(cutOffIn("Batch"));

        fx(() -> {
            vm.versions().save("First draft of the default policy");
            return null;
        });
        waitUntil(() -> vm.versions().versions().size() == 1);
        fx(() -> {
            vm.editor().textProperty().set(vm.editor().getText().replaceFirst("version: ([0-9.]+)", "version: 9.9.9"));
            vm.save(() -> { });
            return null;
        });
        waitUntil(() -> !vm.editor().isDirty());
        fx(() -> {
            vm.versions().save("Bump the version for the laptop-size check");
            return null;
        });
        waitUntil(() -> vm.versions().versions().size() == 2);
        cut.addAll(cutOffIn("Versions"));

        fx(() -> {
            vm.compare().compare(CompareSide.saved(policy, vm.versions().versions().get(1)), CompareSide.current(policy));
            return null;
        });
        waitUntil(() -> !vm.compare().rows().isEmpty() && !vm.compare().busyProperty().get());
        fx(() -> {
            vm.compare().runComparison();
            return null;
        });
        waitUntil(() -> !vm.compare().runningProperty().get() && !vm.compare().deltas().isEmpty());
        cut.addAll(cutOffIn("Compare"));
        cut.addAll(cutOffIn("Training"));

        // The column-mapping dialog opens by itself when a dataset is inspected.
        fx(() -> {
            vm.batch().inspectDataset(PROMPTS);
            return null;
        });
        waitUntil(() -> dialogPaneWith("#previewTable") != null);
        WaitForAsyncUtils.waitForFxEvents();
        cut.addAll(fx(() -> prefixed("Column mapping dialog", LayoutCheck.truncatedTexts(dialogPaneWith("#previewTable")))));
        fx(() -> {
            ((javafx.scene.control.Button) dialogPaneWith("#previewTable").lookupButton(javafx.scene.control.ButtonType.CANCEL)).fire();
            return null;
        });
        waitUntil(() -> dialogPaneWith("#previewTable") == null);

        ExportBundleViewModel export = fx(vm::newExportBundle);
        Dialog<Void> dialog = fx(() -> {
            Dialog<Void> d = ExportBundleView.build(export);
            d.initOwner(window.root().getScene().getWindow());
            d.show();
            return d;
        });
        fx(() -> {
            export.minF1Property().set("0.5");
            export.validate();
            return null;
        });
        waitUntil(() -> export.stateProperty().get() == ExportBundleViewModel.State.CHECKED);
        WaitForAsyncUtils.waitForFxEvents();
        cut.addAll(fx(() -> prefixed("Export bundle dialog", LayoutCheck.truncatedTexts(dialog.getDialogPane()))));
        fx(() -> {
            dialog.close();
            return null;
        });

        assertThat(cut).as("texts cut off at %dx%d", WIDTH, HEIGHT).isEmpty();
    }

    /** Shows the tab, lets the window lay it out, and lists what it cuts off (the whole window: editor included). */
    private List<String> cutOffIn(String tabText) throws Exception {
        fx(() -> {
            for (Tab t : window.controller().tabPane().getTabs()) {
                if (t.getText().equals(tabText)) {
                    window.controller().tabPane().getSelectionModel().select(t);
                }
            }
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        return fx(() -> {
            Parent root = window.root();
            root.applyCss();
            root.layout();
            return prefixed(tabText, LayoutCheck.truncatedTexts(root));
        });
    }

    /** The showing dialog's pane that holds {@code selector}, or null. */
    private static javafx.scene.control.DialogPane dialogPaneWith(String selector) {
        for (javafx.stage.Window w : javafx.stage.Window.getWindows()) {
            if (w.isShowing() && w.getScene() != null && w.getScene().getRoot() instanceof javafx.scene.control.DialogPane pane
                    && pane.lookup(selector) != null) {
                return pane;
            }
        }
        return null;
    }

    private static List<String> prefixed(String where, List<String> found) {
        return found.stream().map(s -> where + ": " + s).toList();
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static void waitUntil(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS, () -> fx(condition));
    }
}
