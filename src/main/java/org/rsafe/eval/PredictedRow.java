package org.rsafe.eval;

import java.util.List;
import java.util.Objects;
import org.rsafe.trace.Verdict;

/**
 * One line of a predictions file: the row id, the guard's verdict (UNKNOWN for a parse failure), and the clauses it
 * flagged.
 *
 * @param line 1-based line where the prediction starts in its file
 */
public record PredictedRow(long line, String id, Verdict verdict, List<String> flaggedClauses) {
    public PredictedRow {
        Objects.requireNonNull(id, "id");
        verdict = verdict == null ? Verdict.UNKNOWN : verdict;
        flaggedClauses = flaggedClauses == null ? List.of() : List.copyOf(flaggedClauses);
    }
}
