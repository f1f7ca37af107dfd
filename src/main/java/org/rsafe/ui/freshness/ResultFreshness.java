package org.rsafe.ui.freshness;

import java.util.Objects;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import org.rsafe.app.RunSource;

/**
 * Whether the result a pane shows still belongs to what the window would run now. A view model records the
 * {@link RunSource} it captured when its run started ({@link #ran}); whenever the current source (policy, engine,
 * input) differs, {@link #messageBinding()} holds the line to show over the greyed result and {@link #staleBinding()}
 * is true. Views only bind to these.
 */
public final class ResultFreshness {
    private final ObservableValue<RunSource> current;
    private final ReadOnlyObjectWrapper<RunSource> producedBy = new ReadOnlyObjectWrapper<>(this, "producedBy");
    private final StringBinding message;
    private final BooleanBinding stale;

    /** @param current the source a run started now would have; changes whenever the policy, engine or input does */
    public ResultFreshness(ObservableValue<RunSource> current) {
        this.current = Objects.requireNonNull(current);
        message = Bindings.createStringBinding(() -> RunSource.staleness(producedBy.get(), current.getValue()),
                producedBy, current);
        stale = Bindings.createBooleanBinding(() -> !message.get().isEmpty(), message);
    }

    /** The source a run starting now would have; capture it when the run starts and pass it to {@link #ran}. */
    public RunSource now() {
        return current.getValue();
    }

    /** The shown result came from a run of {@code source}. */
    public void ran(RunSource source) {
        producedBy.set(Objects.requireNonNull(source));
    }

    /** No result is shown any more. */
    public void clear() {
        producedBy.set(null);
    }

    /** What produced the result shown, or null when none is. */
    public ReadOnlyObjectProperty<RunSource> producedByProperty() {
        return producedBy.getReadOnlyProperty();
    }

    /** "Policy changed since this run — Run again" (or engine, input…), or empty while the result stands. */
    public StringBinding messageBinding() {
        return message;
    }

    public BooleanBinding staleBinding() {
        return stale;
    }
}
