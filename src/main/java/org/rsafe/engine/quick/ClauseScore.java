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
 */
public record ClauseScore(String clauseId, double score, double z, double margin, Span chunk,
                          double prototypeSimilarity, Anchor positive, double positiveSimilarity,
                          Anchor negative, double negativeSimilarity) {
}
