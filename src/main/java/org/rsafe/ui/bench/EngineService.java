package org.rsafe.ui.bench;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.rsafe.engine.Engine;
import org.rsafe.ui.task.BackgroundTask;
import org.rsafe.ui.task.TaskExecutor;

/**
 * Owns the engines of the session. The quick engine is created once, in the background at start-up (its
 * first creation loads a model for a few seconds), and shared by the test bench and batch runs.
 */
public final class EngineService implements AutoCloseable {
    /** The text shown wherever the local LLM engine would be used. */
    public static final String LLM_NOT_AVAILABLE =
            "The local LLM engine is not available in this build yet; use the quick engine.";

    public enum Status { NOT_LOADED, LOADING, READY, FAILED }

    private final TaskExecutor executor;
    private final Supplier<Engine> quickFactory;
    private final ReadOnlyObjectWrapper<Status> quickStatus = new ReadOnlyObjectWrapper<>(this, "quickStatus", Status.NOT_LOADED);
    private final ReadOnlyStringWrapper quickError = new ReadOnlyStringWrapper(this, "quickError", "");
    private final ReadOnlyStringWrapper quickModel = new ReadOnlyStringWrapper(this, "quickModel", "");
    private final ReadOnlyStringWrapper quickDevice = new ReadOnlyStringWrapper(this, "quickDevice", "");
    private volatile Engine quick;

    /**
     * Quick-engine settings for the GUI: one encoder thread fewer than there are cores, so that during a batch
     * run a core stays free for the JavaFX and render threads (on 2 cores the stall bench measured the longest
     * FX-thread stall falling from about 0.5-1 s to the value in the README). The CLI keeps every core.
     */
    public static org.rsafe.engine.quick.QuickEngineOptions guiQuickOptions() {
        int cores = Runtime.getRuntime().availableProcessors();
        return org.rsafe.engine.quick.QuickEngineOptions.defaults().withThreads(Math.max(1, cores - 1));
    }

    public EngineService(TaskExecutor executor, Supplier<Engine> quickFactory) {
        this.executor = Objects.requireNonNull(executor);
        this.quickFactory = Objects.requireNonNull(quickFactory);
    }

    /** Starts creating the quick engine unless it is loading or loaded. */
    public void loadQuick() {
        if (quickStatus.get() == Status.LOADING || quickStatus.get() == Status.READY) {
            return;
        }
        executor.execute(BackgroundTask.of("Load quick engine", (progress, cancel) -> new FxSafeEngine(quickFactory.get()))
                .onRunning(() -> quickStatus.set(Status.LOADING))
                .onSuccess(engine -> {
                    quick = engine;
                    quickModel.set(engine.identity().modelId());
                    quickDevice.set(engine.identity().device().isEmpty() ? "cpu" : engine.identity().device());
                    quickError.set("");
                    quickStatus.set(Status.READY);
                })
                .onFailure(e -> {
                    quickError.set("The quick engine could not start: " + e.getMessage());
                    quickStatus.set(Status.FAILED);
                }));
    }

    public ReadOnlyObjectProperty<Status> quickStatusProperty() {
        return quickStatus.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty quickErrorProperty() {
        return quickError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty quickModelProperty() {
        return quickModel.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty quickDeviceProperty() {
        return quickDevice.getReadOnlyProperty();
    }

    /** The engine of that kind when it is ready to judge. */
    public Optional<Engine> engine(EngineKind kind) {
        return kind == EngineKind.QUICK ? Optional.ofNullable(quick) : Optional.empty();
    }

    @Override
    public void close() {
        Engine e = quick;
        if (e != null) {
            e.close();
        }
    }
}
