package org.rsafe.eval;

import java.util.List;
import java.util.Objects;

/**
 * The result of column auto-detection: the mapping and one human-readable note per decision, so a user (or the
 * GUI's mapping dialog) can see why a column was or was not chosen.
 */
public record DetectedMapping(ColumnMapping mapping, List<String> notes) {
    public DetectedMapping {
        Objects.requireNonNull(mapping, "mapping");
        notes = notes == null ? List.of() : List.copyOf(notes);
    }
}
