package org.rsafe.workspace;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.rsafe.policy.Clause;

/** How one clause differs between two versions of a policy; clauses are matched by id. */
public sealed interface ClauseChange permits ClauseChange.ClauseAdded, ClauseChange.ClauseRemoved,
        ClauseChange.ClauseChanged {

    /** The clause id. */
    String id();

    /** A clause only in the newer version. */
    record ClauseAdded(Clause clause) implements ClauseChange {
        public ClauseAdded {
            Objects.requireNonNull(clause, "clause");
        }

        @Override
        public String id() {
            return clause.id();
        }
    }

    /** A clause only in the older version. */
    record ClauseRemoved(Clause clause) implements ClauseChange {
        public ClauseRemoved {
            Objects.requireNonNull(clause, "clause");
        }

        @Override
        public String id() {
            return clause.id();
        }
    }

    /** A clause in both versions with at least one field changed. */
    record ClauseChanged(String id, List<FieldChange> fields) implements ClauseChange {
        public ClauseChanged {
            Objects.requireNonNull(id, "id");
            fields = List.copyOf(fields);
        }

        /** The title change when the clause was renamed (same id, another title). */
        public Optional<FieldChange.ValueChanged> rename() {
            return field(PolicyDiff.TITLE).map(FieldChange.ValueChanged.class::cast);
        }

        public boolean renamed() {
            return rename().isPresent();
        }

        /** The change of one field, if it changed. */
        public Optional<FieldChange> field(String name) {
            return fields.stream().filter(f -> f.field().equals(name)).findFirst();
        }
    }
}
