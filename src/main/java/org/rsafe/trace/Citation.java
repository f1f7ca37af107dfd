package org.rsafe.trace;

import java.util.Objects;

/**
 * A link from a trace step to a policy clause. EXPLICIT: the step names the clause (id or title);
 * INFERRED: the clause linker found the step close in meaning. Strength is 0..1.
 */
public record Citation(String clauseId, Kind kind, double strength) {
    public enum Kind { EXPLICIT, INFERRED }

    public Citation {
        Objects.requireNonNull(clauseId, "clauseId");
        Objects.requireNonNull(kind, "kind");
        if (!(strength >= 0 && strength <= 1)) {
            throw new IllegalArgumentException("citation strength must be in 0..1, was " + strength);
        }
    }
}
