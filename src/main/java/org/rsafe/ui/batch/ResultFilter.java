package org.rsafe.ui.batch;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.rsafe.eval.ResultRow;
import org.rsafe.trace.Verdict;

/** The result-table filters of the batch tab. */
public enum ResultFilter implements Predicate<ResultRow> {
    ALL("All rows"),
    FALSE_POSITIVES("False positives"),
    FALSE_NEGATIVES("False negatives"),
    PARSE_FAILURES("Parse failures"),
    /** Rows the engine left to a person (verdict REVIEW). */
    REVIEW("REVIEW rows"),
    /** The guard disagrees with the gold data: a wrong verdict, or unsafe for a clause other than the gold category. */
    DISAGREEMENTS("Disagreements"),
    /** Rows judged several times (--samples) whose sampled verdicts did not all agree. */
    UNSTABLE("Unstable verdicts"),
    /** Rows whose reasoning cites an id the policy does not have, or names an id as another clause. */
    INVALID_CITATIONS("Invalid citations");

    private final String label;

    ResultFilter(String label) {
        this.label = label;
    }

    @Override
    public boolean test(ResultRow r) {
        return switch (this) {
            case ALL -> true;
            case FALSE_POSITIVES -> r.falsePositive();
            case FALSE_NEGATIVES -> r.falseNegative();
            case PARSE_FAILURES -> !r.parseOk() || r.verdict() == Verdict.UNKNOWN;
            case REVIEW -> r.verdict() == Verdict.REVIEW;
            case DISAGREEMENTS -> disagrees(r);
            case UNSTABLE -> r.evidence().unstable();
            case INVALID_CITATIONS -> r.evidence().hasInvalidCitations();
        };
    }

    private static boolean disagrees(ResultRow r) {
        if (r.gold() == Verdict.UNKNOWN || r.verdict() == Verdict.UNKNOWN) {
            return false;
        }
        if (r.gold() != r.verdict()) {
            return true;
        }
        if (r.gold() == Verdict.UNSAFE && !r.goldCategories().isEmpty()) {
            Set<String> flagged = new HashSet<>(r.flagged());
            return r.goldCategories().stream().noneMatch(flagged::contains);
        }
        return false;
    }

    @Override
    public String toString() {
        return label;
    }
}
