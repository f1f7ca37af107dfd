package org.rsafe.ui;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.rsafe.ui.style.Theme;
import org.rsafe.app.Engines;
import org.rsafe.ui.bench.EngineService;
import org.rsafe.ui.task.FxTaskExecutor;
import org.rsafe.ui.workspace.WorkbenchHome;

/** The JavaFX application: applies the theme, builds the main window and starts the session. */
public final class WorkbenchApp extends Application {
    private FxTaskExecutor executor;
    private MainViewModel vm;

    @Override
    public void start(Stage stage) {
        WorkbenchLauncher.startupDone();
        Theme.LIGHT.apply();
        executor = new FxTaskExecutor();
        vm = new MainViewModel(executor, WorkbenchHome.fromSystem(), () -> Engines.open(EngineService.guiQuickSpec()));
        vm.setJudgeSampleOnStart(true);
        WorkbenchWindow window = WorkbenchWindow.load(vm);
        Scene scene = window.scene();
        stage.setScene(scene);
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        window.controller().attach(stage);
        var icon = WorkbenchApp.class.getResourceAsStream("icon.png");
        if (icon != null) {
            stage.getIcons().add(new javafx.scene.image.Image(icon));
        }
        stage.show();
        vm.start(StartupFiles.fromArgs(getParameters().getRaw()));
    }

    @Override
    public void stop() {
        if (vm != null) {
            vm.shutdown();
        }
        if (executor != null) {
            executor.shutdown();
        }
    }
}
