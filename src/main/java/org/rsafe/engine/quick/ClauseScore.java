package org.rsafe.engine.quick;

/**
 * How one clause scored on one input, with the evidence behind the number.
 *
 * @param clauseId            the clause
 * @param score               0..1; the clause is violated when this reaches its threshold
 * @param z                   the margin in standard deviations above the policy's allowed texts
 * @param margin              similarity to the clause prototype minus lambda times the nearest allowed text
 * @param chunk               the sentence that gave the best margin; null means the whole text
 * @param prototypeSimilarity cosine of that chunk with the clause prototype
 * @param positive            the clause's single anchor nearest to that chunk (null for a clause without
 *                            any text), and its cosine
 * @param negative            the allowed anchor nearest to that chunk (null when there is none), and its cosine
 * @param examples            how the whole text stands to the clause's own examples, and whether they bind
 */
public record ClauseScore(String clauseId, double score, double z, double margin, Span chunk,
                          double prototypeSimilarity, Anchor positive, double positiveSimilarity,
                          Anchor negative, double negativeSimilarity, Examples examples) {

    /** As before the examples rule: no comparison with the clause's own examples. */
    public ClauseScore(String clauseId, double score, double z, double margin, Span chunk, double prototypeSimilarity,
                       Anchor positive, double positiveSimilarity, Anchor negative, double negativeSimilarity) {
        this(clauseId, score, z, margin, chunk, prototypeSimilarity, positive, positiveSimilarity, negative,
                negativeSimilarity, Examples.NONE);
    }

    /** Whether the clause's own examples decided the clause, overriding the score. */
    public enum Binding {
        /** The score decides. */
        NONE,
        /** Closer to one of the clause's safe examples than to any of its violating ones, by the margin: not flagged. */
        SAFE,
        /**
         * Closer to a violating example than to any allowed text by the margin, and nearer to it than any allowed or
         * background text comes to the clause's violating examples: flagged.
         */
        VIOLATING
    }

    /**
     * The whole text compared with the clause's own examples.
     *
     * @param binding          what the comparison decided
     * @param violating        the clause's nearest violating example (null when it has none) and its cosine
     * @param safe             the clause's nearest safe example (null when it has none) and its cosine
     * @param nearestAllowed   cosine of the nearest allowed text of any kind (safe example of any clause, built-in)
     * @param radius           the clause's example radius (see {@link PolicyAnchors#exampleRadius})
     * @param margin           the margin the comparison needs ({@link ClauseScorer#EXAMPLE_MARGIN})
     * @param lift             standard deviations by which the policy's bar was raised ({@link PolicyAnchors#lift})
     * @param leanGated        whether the policy is narrow, so that a flag needs the text to lean toward its
     *                         violating examples ({@link PolicyAnchors#leanGated})
     * @param lean             how far the text leans that way ({@link PolicyAnchors#lean}), best chunk
     * @param intentShift      standard deviations the built-in intent contrast added to z (negative: taken off); 0
     *                         for responses ({@link ClauseScorer#intentShift})
     */
    public record Examples(Binding binding, Anchor violating, double violatingSimilarity, Anchor safe,
                           double safeSimilarity, double nearestAllowed, double radius, double margin, double lift,
                           boolean leanGated, double lean, double intentShift) {
        public static final Examples NONE = new Examples(Binding.NONE, null, 0, null, 0, 0, 0, 0, 0, false, 0, 0);

        /** A narrow policy's text that does not lean toward its violating examples: no clause may be flagged. */
        public boolean leansSafe() {
            return leanGated && lean < ClauseScorer.LEAN_MIN;
        }
    }
}
