package org.rsafe.ui.editor;

import java.util.Locale;
import java.util.Optional;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** State of the editor's find bar: the query, whether the bar is shown, and a "3 of 7" style status. */
public final class FindViewModel {

    /** A match: [start, end) in the searched text. */
    public record Match(int start, int end) { }

    private final BooleanProperty visible = new SimpleBooleanProperty(this, "visible");
    private final StringProperty query = new SimpleStringProperty(this, "query", "");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");

    public BooleanProperty visibleProperty() {
        return visible;
    }

    public StringProperty queryProperty() {
        return query;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The first match at or after {@code from} (case-insensitive), wrapping to the start. */
    public Optional<Match> next(String text, int from) {
        return find(text, from, true);
    }

    /** The last match that starts before {@code before}, wrapping to the end. */
    public Optional<Match> previous(String text, int before) {
        return find(text, before, false);
    }

    private Optional<Match> find(String text, int pos, boolean forward) {
        String q = query.get();
        if (q == null || q.isEmpty()) {
            status.set("");
            return Optional.empty();
        }
        String hay = text.toLowerCase(Locale.ROOT);
        String needle = q.toLowerCase(Locale.ROOT);
        int at;
        if (forward) {
            at = hay.indexOf(needle, Math.max(0, pos));
            if (at < 0) {
                at = hay.indexOf(needle);
            }
        } else {
            at = pos - 1 < 0 ? -1 : hay.lastIndexOf(needle, pos - 1);
            if (at < 0) {
                at = hay.lastIndexOf(needle);
            }
        }
        if (at < 0) {
            status.set("no match");
            return Optional.empty();
        }
        int count = 0;
        int ordinal = 0;
        for (int i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length())) {
            count++;
            if (i == at) {
                ordinal = count;
            }
        }
        status.set(ordinal + " of " + count);
        return Optional.of(new Match(at, at + needle.length()));
    }
}
