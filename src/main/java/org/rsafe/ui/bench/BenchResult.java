package org.rsafe.ui.bench;

import java.util.Objects;
import org.rsafe.policy.Policy;
import org.rsafe.trace.Judgement;

/**
 * A finished test-bench run: the judgement, the policy it was judged against, and the guard prompt.
 * {@code promptSent} is false for engines that send no prompt to a model (the quick engine): the prompt is
 * then what the LLM engine would receive for the same input.
 */
public record BenchResult(Judgement judgement, Policy policy, String guardPrompt, boolean promptSent) {
    public BenchResult {
        Objects.requireNonNull(judgement, "judgement");
        Objects.requireNonNull(policy, "policy");
        guardPrompt = guardPrompt == null ? "" : guardPrompt;
    }
}
