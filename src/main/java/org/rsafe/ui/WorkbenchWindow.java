package org.rsafe.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import org.rsafe.ui.style.Theme;
import org.rsafe.ui.batch.BatchView;
import org.rsafe.ui.bench.TestBenchView;
import org.rsafe.ui.editor.PolicyEditorView;
import org.rsafe.ui.result.ResultView;
import org.rsafe.ui.versions.CompareView;
import org.rsafe.ui.versions.VersionsView;

/**
 * Builds the main window from its FXML files, handing each controller its view model. The application and
 * the GUI tests both build the window here, so the tests exercise the real wiring.
 */
public final class WorkbenchWindow {
    public static final double WIDTH = 1440;
    public static final double HEIGHT = 900;

    private final Parent root;
    private final MainWindowView controller;

    private WorkbenchWindow(Parent root, MainWindowView controller) {
        this.root = root;
        this.controller = controller;
    }

    public static WorkbenchWindow load(MainViewModel vm) {
        FXMLLoader loader = new FXMLLoader(WorkbenchWindow.class.getResource("MainWindow.fxml"));
        loader.setControllerFactory(type -> controllerFor(type, vm));
        try {
            Parent root = loader.load();
            return new WorkbenchWindow(root, loader.getController());
        } catch (IOException e) {
            throw new UncheckedIOException("the main window's FXML is missing or broken", e);
        }
    }

    private static Object controllerFor(Class<?> type, MainViewModel vm) {
        if (type == MainWindowView.class) {
            return new MainWindowView(vm);
        }
        if (type == PolicyEditorView.class) {
            return new PolicyEditorView(vm.editor(), vm.find());
        }
        if (type == TestBenchView.class) {
            return new TestBenchView(vm.bench());
        }
        if (type == ResultView.class) {
            return new ResultView(vm.result(), vm.bench());
        }
        if (type == BatchView.class) {
            return new BatchView(vm.batch());
        }
        if (type == VersionsView.class) {
            return new VersionsView(vm.versions());
        }
        if (type == CompareView.class) {
            return new CompareView(vm.compare());
        }
        if (type == org.rsafe.ui.training.TrainingView.class) {
            return new org.rsafe.ui.training.TrainingView(vm.training());
        }
        throw new IllegalArgumentException("no controller known for " + type.getName());
    }

    /** A scene holding the window, with the workbench stylesheet, no larger than the screen. */
    public Scene scene() {
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(root, Math.min(WIDTH, screen.getWidth()), Math.min(HEIGHT, screen.getHeight()));
        scene.getStylesheets().add(Theme.workbenchStylesheet());
        controller.installShortcuts(scene);
        return scene;
    }

    public Parent root() {
        return root;
    }

    public MainWindowView controller() {
        return controller;
    }
}
