package org.rsafe.ui.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.rsafe.app.EngineKind;
import org.rsafe.app.EngineSpec;
import org.rsafe.app.Engines;
import org.rsafe.engine.Engine;
import org.rsafe.ui.task.BackgroundTask;
import org.rsafe.ui.task.TaskExecutor;

/**
 * Owns the engines of the session. The quick engine is created once, in the background at start-up (its
 * first creation loads a model for a few seconds). The local LLM engine, or the remote engine, is opened on first use
 * through {@link Engines#open} for the chosen spec (model folder, device and decoding; or server, model, key variable
 * and decoding), and kept until the spec changes: one opened engine at a time, whose state the {@code llm*}
 * properties report. Tabs obtain the engine of the user's {@link EngineChoice} through {@link #acquire}.
 */
public final class EngineService implements AutoCloseable {
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
    public static EngineSpec guiQuickSpec() {
        int cores = Runtime.getRuntime().availableProcessors();
        return EngineSpec.quick().withThreads(Math.max(1, cores - 1));
    }

    private final Function<EngineSpec, Engine> llmFactory;
    private final ReadOnlyObjectWrapper<Status> llmStatus = new ReadOnlyObjectWrapper<>(this, "llmStatus", Status.NOT_LOADED);
    private final ReadOnlyStringWrapper llmError = new ReadOnlyStringWrapper(this, "llmError", "");
    private final ReadOnlyStringWrapper llmModel = new ReadOnlyStringWrapper(this, "llmModel", "");
    private final ReadOnlyStringWrapper llmDevice = new ReadOnlyStringWrapper(this, "llmDevice", "");
    private volatile Engine llm;
    private EngineSpec llmSpec;
    private final List<Waiting> llmWaiting = new ArrayList<>();

    public EngineService(TaskExecutor executor, Supplier<Engine> quickFactory) {
        this(executor, quickFactory, Engines::open);
    }

    public EngineService(TaskExecutor executor, Supplier<Engine> quickFactory, Function<EngineSpec, Engine> llmFactory) {
        this.executor = Objects.requireNonNull(executor);
        this.quickFactory = Objects.requireNonNull(quickFactory);
        this.llmFactory = Objects.requireNonNull(llmFactory);
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

    /**
     * Obtains the engine of {@code choice} and hands it to {@code onReady}, or the reason it cannot judge to
     * {@code onFailed}; both on the UI thread. The quick engine answers at once (ready, or still loading / failed);
     * the local LLM opens in the background when none is open for the chosen settings, and a second caller while it
     * opens waits for the same load. Every tab that judges goes through here, so they all use the same engine.
     */
    public void acquire(EngineChoice choice, Consumer<Engine> onReady, Consumer<String> onFailed) {
        if (choice.engineKindProperty().get() == EngineKind.QUICK || choice.engineKindProperty().get() == null) {
            Engine ready = quick;
            if (ready != null) {
                onReady.accept(ready);
            } else {
                onFailed.accept(choice.blockedReasonBinding().get());
            }
            return;
        }
        String problem = choice.modelFolderProblem();
        if (!problem.isEmpty()) {
            onFailed.accept(problem);
            return;
        }
        withLlm(choice.spec(), onReady, onFailed);
    }

    /**
     * Makes the local LLM or remote engine ready for {@code settings}, opening it in the background when none is open
     * or the settings changed. A folder that cannot be used, or a server that cannot, ends in {@link Status#FAILED}
     * with the reason in {@link #llmErrorProperty()}.
     */
    private void withLlm(EngineSpec settings, Consumer<Engine> onReady, Consumer<String> onFailed) {
        if (llmStatus.get() == Status.LOADING) {
            if (settings.equals(llmSpec)) {
                llmWaiting.add(new Waiting(onReady, onFailed));
            } else {
                onFailed.accept("Another model is still loading; try again once it is ready.");
            }
            return;
        }
        if (llm != null && settings.equals(llmSpec) && llmStatus.get() == Status.READY) {
            onReady.accept(llm);
            return;
        }
        if (llm instanceof FxSafeEngine open && open.busy()) {
            // Closing it now would pull the weights from under the run; opening a second model beside it could
            // need twice the memory of a large checkpoint.
            onFailed.accept("The open model is busy with a run; let it finish or cancel it before switching models.");
            return;
        }
        Engine old = llm;
        llm = null;
        llmSpec = settings;
        llmStatus.set(Status.LOADING);
        llmError.set("");
        // Registered before the task starts: an executor may run the whole task before execute() returns.
        llmWaiting.add(new Waiting(onReady, onFailed));
        boolean remote = settings.kind() == EngineKind.REMOTE;
        executor.execute(BackgroundTask.of(remote ? "Connect to the server" : "Load local model", (progress, cancel) -> {
            if (old != null) {
                old.close();
            }
            return new FxSafeEngine(llmFactory.apply(settings));
        }).onSuccess(engine -> {
            llm = engine;
            llmModel.set(engine.identity().modelId());
            llmDevice.set(engine.identity().device());
            llmStatus.set(Status.READY);
            takeWaiting().forEach(w -> w.onReady().accept(engine));
        }).onFailure(e -> {
            String message = (remote ? "The server could not be used: " : "The model could not be loaded: ")
                    + org.rsafe.ui.editor.PolicyEditorViewModel.describe(e);
            llmError.set(message);
            llmStatus.set(Status.FAILED);
            takeWaiting().forEach(w -> w.onFailed().accept(message));
        }));
    }

    private List<Waiting> takeWaiting() {
        List<Waiting> all = List.copyOf(llmWaiting);
        llmWaiting.clear();
        return all;
    }

    /** A caller waiting for the local model that is being opened. */
    private record Waiting(Consumer<Engine> onReady, Consumer<String> onFailed) { }

    public ReadOnlyObjectProperty<Status> llmStatusProperty() {
        return llmStatus.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty llmErrorProperty() {
        return llmError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty llmModelProperty() {
        return llmModel.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty llmDeviceProperty() {
        return llmDevice.getReadOnlyProperty();
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

    /** The engine of that kind when it is ready to judge (the opened engine for the local LLM and remote kinds). */
    public Optional<Engine> engine(EngineKind kind) {
        return Optional.ofNullable(kind == EngineKind.QUICK ? quick : llm);
    }

    @Override
    public void close() {
        for (Engine e : new Engine[] {quick, llm}) {
            if (e != null) {
                e.close();
            }
        }
    }
}
