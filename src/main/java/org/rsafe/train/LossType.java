package org.rsafe.train;

import java.util.Locale;

/**
 * How per-token GRPO losses are averaged into one number (TRL's {@code loss_type}); m is the completion mask.
 * Each value's javadoc gives its normaliser for one optimizer step over the whole generation batch; with gradient
 * accumulation every micro-batch contributes its share so that the sum over micro-batches is that value.
 */
public enum LossType {
    /** Mean over sequences of each sequence's token mean (the original GRPO; favours short completions' tokens). */
    GRPO,
    /**
     * Σ m·L / Σ m over the local (micro-)batch, then averaged over accumulation steps. This is what RSafe's recipe
     * computed: at the reference's commit verl's "token-mean" is taken per micro-batch (of 8 completions) and the
     * micro-batch losses are averaged, so RSafe's numbers come from bnpo with micro-batches of 8, not from dapo.
     */
    BNPO,
    /** Σ m·L / (sequences · max_completion_length): a constant normaliser, so no length bias (Dr. GRPO). */
    DR_GRPO,
    /** Σ m·L / active tokens of the whole generation batch: one token mean over the step (DAPO). */
    DAPO;

    /** The name users type ({@code dr_grpo}). */
    public String trlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LossType parse(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        for (LossType v : values()) {
            if (v.trlName().equals(t)) {
                return v;
            }
        }
        throw new IllegalArgumentException("loss_type must be grpo, bnpo, dr_grpo or dapo, was '" + s + "'");
    }
}
