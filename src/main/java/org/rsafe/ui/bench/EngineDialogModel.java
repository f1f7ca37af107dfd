package org.rsafe.ui.bench;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.beans.value.ObservableValue;
import org.rsafe.engine.Engine;
import org.rsafe.ui.task.TaskExecutor;
import org.rsafe.ui.task.TaskHandle;

/**
 * What the dialogs that run the test bench's engine over a labelled data file for a saved policy (Calibrate
 * thresholds, Export bundle) have in common: the policy file, the engine and its one-line summary, the data file, the
 * dialog's state, a message and the progress, and how the state returns to idle when the work stops.
 *
 * @param <S> the dialog's states; {@code idle} is the one it starts in and returns to
 */
public abstract class EngineDialogModel<S extends Enum<S>> {
    protected final TaskExecutor executor;
    protected final Path policyFile;
    protected final EngineSource engine;
    protected final ReadOnlyStringWrapper engineSummary = new ReadOnlyStringWrapper(this, "engineSummary", "");
    protected final ObjectProperty<Path> dataFile = new SimpleObjectProperty<>(this, "dataFile");
    protected final ReadOnlyObjectWrapper<S> state;
    protected final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    protected final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final S idle;

    protected EngineDialogModel(TaskExecutor executor, Path policyFile, EngineSource engine,
                                ObservableStringValue engineSummary, S idle) {
        this.executor = Objects.requireNonNull(executor);
        this.policyFile = Objects.requireNonNull(policyFile);
        this.engine = Objects.requireNonNull(engine);
        this.engineSummary.bind(engineSummary);
        this.idle = Objects.requireNonNull(idle);
        this.state = new ReadOnlyObjectWrapper<>(this, "state", idle);
    }

    /** Runs {@code action} whenever any of {@code inputs} changes value. */
    protected static void onChange(Runnable action, ObservableValue<?>... inputs) {
        for (ObservableValue<?> input : inputs) {
            input.addListener((obs, old, v) -> action.run());
        }
    }

    /** Back to idle, saying why. */
    protected void idle(String why) {
        state.set(idle);
        message.set(why);
    }

    /** Back to idle with the progress cleared, saying why (the work failed or was cancelled). */
    protected void stopped(String why) {
        progress.set(0);
        idle(why);
    }

    /**
     * Obtains the engine and starts {@code work} with it; when the engine cannot be had the dialog goes back to idle
     * with the reason, and when it is cancelled while opening, with {@code cancelledMessage}.
     */
    protected TaskHandle startWithEngine(Function<Engine, TaskHandle> work, String cancelledMessage) {
        return engine.start(work, () -> idle(cancelledMessage), this::stopped);
    }

    // ---- properties -------------------------------------------------------------------------------------

    public Path policyFile() {
        return policyFile;
    }

    /** The engine that does the work, in one line. */
    public ReadOnlyStringProperty engineSummaryProperty() {
        return engineSummary.getReadOnlyProperty();
    }

    /** The labelled data file the work runs on. */
    public ObjectProperty<Path> dataFileProperty() {
        return dataFile;
    }

    public ReadOnlyObjectProperty<S> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Share of rows done, 0..1; -1 while the engine opens or the row count is unknown. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }
}
