package org.rsafe.ui.result;

/** One row of the per-clause score bars: the clause, its score in 0..1, and whether it was flagged. */
public record ClauseScore(String clauseId, String title, double score, boolean flagged) {
    public String label() {
        return title.isEmpty() ? clauseId : clauseId + "  " + title;
    }
}
