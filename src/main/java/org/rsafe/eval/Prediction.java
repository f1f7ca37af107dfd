package org.rsafe.eval;

import java.util.List;
import java.util.Objects;
import org.rsafe.trace.Verdict;

/**
 * One labelled row with the guard's decision, as {@link Metrics} consumes it.
 *
 * @param id              the row id (for reports)
 * @param gold            SAFE or UNSAFE
 * @param predicted       SAFE, UNSAFE, or UNKNOWN for a parse failure (null is read as UNKNOWN)
 * @param goldCategories  the row's gold categories (empty when the dataset has none)
 * @param flaggedClauses  the clauses the guard flagged
 * @param engineError     the engine gave no output for the row: neither evaluated nor a parse failure
 */
public record Prediction(String id, Verdict gold, Verdict predicted, List<String> goldCategories,
                         List<String> flaggedClauses, boolean engineError) {
    public Prediction {
        Objects.requireNonNull(id, "id");
        if (gold == null || gold == Verdict.UNKNOWN) {
            throw new IllegalArgumentException("row " + id + ": metrics need a SAFE or UNSAFE gold label, not " + gold);
        }
        predicted = predicted == null ? Verdict.UNKNOWN : predicted;
        goldCategories = goldCategories == null ? List.of() : List.copyOf(goldCategories);
        flaggedClauses = flaggedClauses == null ? List.of() : List.copyOf(flaggedClauses);
        if (engineError) {
            predicted = Verdict.UNKNOWN;
        }
    }

    /** A row the guard judged. */
    public Prediction(String id, Verdict gold, Verdict predicted, List<String> goldCategories,
                      List<String> flaggedClauses) {
        this(id, gold, predicted, goldCategories, flaggedClauses, false);
    }

    public boolean parseFailure() {
        return predicted == Verdict.UNKNOWN && !engineError;
    }
}
