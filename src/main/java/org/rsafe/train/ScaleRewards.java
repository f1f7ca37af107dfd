package org.rsafe.train;

import java.util.Locale;

/** What a reward's distance from its group mean is divided by (TRL's {@code scale_rewards}). */
public enum ScaleRewards {
    /** The standard deviation of the rewards of the same prompt's completions (GRPO, RSafe). */
    GROUP,
    /** The standard deviation of all rewards in the generation batch (more robust to near-constant groups). */
    BATCH,
    /** Nothing: the advantage is the reward minus the group mean (Dr. GRPO). */
    NONE;

    public String trlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ScaleRewards parse(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        // TRL's older boolean spelling: true = group, false = none.
        if (t.equals("true")) {
            return GROUP;
        }
        if (t.equals("false")) {
            return NONE;
        }
        for (ScaleRewards v : values()) {
            if (v.trlName().equals(t)) {
                return v;
            }
        }
        throw new IllegalArgumentException("scale_rewards must be group, batch or none, was '" + s + "'");
    }
}
