package org.rsafe.engine.quick;

/**
 * How one clause scored on one input, with the evidence behind the number.
 *
 * @param clauseId   the clause
 * @param score      0..1; the clause is violated when this reaches its threshold
 * @param margin     best positive similarity minus lambda times the nearest negative, at the best chunk
 * @param chunk      the chunk that gave the best margin; null means the whole text
 * @param positive   nearest anchor of this clause to that chunk, and its cosine similarity
 * @param negative   nearest allowed anchor to that chunk (null when the policy has none), and its similarity
 */
public record ClauseScore(String clauseId, double score, double margin, Span chunk,
                          Anchor positive, double positiveSimilarity, Anchor negative, double negativeSimilarity) {
}
