package org.rsafe.engine.quick;

import org.rsafe.util.SourcePos;

/**
 * One reference text the quick engine compares inputs with, and its vector (the mean of its contextual
 * token vectors, pooled like the input's chunks). {@code clauseId} is empty for built-in near-misses.
 */
public record Anchor(String clauseId, Kind kind, String text, SourcePos pos, float[] mean) {

    /**
     * Where the anchor comes from; the first three count for a clause, SAFE to REFUSAL/ANSWER against every clause.
     * BACKGROUND texts (ordinary requests from many domains) are never compared with an input: they only tell the
     * policy, at load time, how close an ordinary text can come to a clause's violating examples. REQUEST and USE texts
     * are never compared with an input either: they only fit the intent contrast ({@link PolicyAnchors#intent}).
     */
    public enum Kind {
        TITLE("title"), DESCRIPTION("description"), VIOLATING("violating example"),
        SAFE("safe example"), NEAR_MISS("built-in near-miss"), REFUSAL("built-in refusal"),
        ANSWER("built-in harmless answer"), BACKGROUND("built-in background text"),
        REQUEST("built-in harmful request"), USE("built-in harmless use"),
        /**
         * A violating example of the built-in policy that a custom clause borrows ({@link BorrowedExamples}): part of
         * the clause's prototype with a small weight, never binding. Its {@code clauseId} names the source and why.
         */
        BORROWED("built-in example");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public boolean positive() {
            return this == TITLE || this == DESCRIPTION || this == VIOLATING || this == BORROWED;
        }

        /** Allowed only in an assistant's response, never as a prompt (refusals and harmless answers). */
        public boolean responseOnly() {
            return this == REFUSAL || this == ANSWER;
        }
    }

    /** How the anchor is named in a trace, e.g. "violating example of U1" or "built-in near-miss". */
    public String describe() {
        return clauseId.isEmpty() ? kind.label() : kind.label() + " of " + clauseId;
    }
}
