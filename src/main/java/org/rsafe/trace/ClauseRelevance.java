package org.rsafe.trace;

import java.util.List;
import java.util.Map;
import org.rsafe.policy.Policy;

/**
 * How strongly short texts speak about each clause of a policy, on a 0..1 scale where 0.5 reads as a
 * borderline violation: what {@link ClauseLinker} needs from a sentence encoder to find the clauses a trace
 * step discusses without naming them.
 */
public interface ClauseRelevance {

    /**
     * One map per text, in the order given: every clause id of {@code policy}, in policy order, with its score.
     * Must be safe to call from several threads.
     */
    List<Map<String, Double>> score(List<String> texts, Policy policy);
}
