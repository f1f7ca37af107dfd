package org.rsafe.ui.batch;

import java.util.Locale;
import org.rsafe.eval.ResultRow;

/** One row of the results table: a stored result and the values the table shows for it. */
public record BatchRowItem(ResultRow result) {

    public long row() {
        return result.row();
    }

    public String id() {
        return result.id();
    }

    public String gold() {
        return result.gold().label();
    }

    public String verdict() {
        return result.verdict().label();
    }

    public String flagged() {
        return String.join(", ", result.flagged());
    }

    /** The highest clause score, or NaN when the engine gave none. */
    public double topScore() {
        return result.clauseScores().values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    public String topScoreText() {
        double s = topScore();
        return Double.isNaN(s) ? "" : String.format(Locale.ROOT, "%.2f", s);
    }

    public String excerpt() {
        return result.excerpt();
    }

    /** True when {@code query} (case-insensitive) occurs in the id, excerpt, labels or flagged clauses. */
    public boolean matches(String query) {
        if (query == null || query.isBlank()) {
            return true;
        }
        String q = query.strip().toLowerCase(Locale.ROOT);
        return result.id().toLowerCase(Locale.ROOT).contains(q)
                || result.excerpt().toLowerCase(Locale.ROOT).contains(q)
                || flagged().toLowerCase(Locale.ROOT).contains(q)
                || String.join(",", result.goldCategories()).toLowerCase(Locale.ROOT).contains(q)
                || verdict().equals(q) || gold().equals(q);
    }
}
