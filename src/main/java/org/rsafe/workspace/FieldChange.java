package org.rsafe.workspace;

import java.util.List;
import java.util.Objects;

/** One changed field of a clause or of a policy, as the structural comparison reports it. */
public sealed interface FieldChange permits FieldChange.ValueChanged, FieldChange.ExamplesChanged {

    /** The field's name as written in the policy file (title, description, severity, threshold, violating, …). */
    String field();

    /** A one-line description for people, e.g. {@code threshold: 0.5 → 0.6}. */
    String describe();

    /**
     * A single value that changed.
     *
     * @param before the old value as text ("" when absent; "default" for a threshold left to the engine)
     * @param after  the new value as text
     */
    record ValueChanged(String field, String before, String after) implements FieldChange {
        public ValueChanged {
            Objects.requireNonNull(field, "field");
            before = before == null ? "" : before;
            after = after == null ? "" : after;
        }

        @Override
        public String describe() {
            return field + ": " + quote(before) + " → " + quote(after);
        }

        private static String quote(String s) {
            String one = s.strip().replaceAll("\\s+", " ");
            if (one.length() > 80) {
                one = one.substring(0, 79) + "…";
            }
            return one.isEmpty() ? "(none)" : "\"" + one + "\"";
        }
    }

    /**
     * Examples of one kind ({@code violating} or {@code safe}) compared as sets of texts: order and repeats do not
     * count, a reworded example is one removed and one added.
     */
    record ExamplesChanged(String field, List<String> added, List<String> removed) implements FieldChange {
        public ExamplesChanged {
            Objects.requireNonNull(field, "field");
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }

        @Override
        public String describe() {
            return field + " examples: " + added.size() + " added, " + removed.size() + " removed";
        }
    }
}
