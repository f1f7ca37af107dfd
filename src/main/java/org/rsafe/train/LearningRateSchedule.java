package org.rsafe.train;

import java.util.Locale;

/**
 * The learning rate at each optimizer step, as Hugging Face's schedulers compute it (TRL's
 * {@code lr_scheduler_type}, {@code warmup_ratio}).
 *
 * @param type        constant, linear or cosine
 * @param peak        the configured {@code learning_rate}
 * @param warmupSteps ⌈warmup_ratio · totalSteps⌉
 * @param totalSteps  optimizer steps in the whole run
 */
public record LearningRateSchedule(Type type, double peak, int warmupSteps, int totalSteps) {

    /** Decay shapes after warm-up. */
    public enum Type {
        CONSTANT, LINEAR, COSINE;

        public String hfName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Type parse(String s) {
            String t = s.strip().toLowerCase(Locale.ROOT);
            // HF spells warm-up into the name for constant; warm-up applies to every type here.
            if (t.equals("constant_with_warmup")) {
                return CONSTANT;
            }
            for (Type v : values()) {
                if (v.hfName().equals(t)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("lr_scheduler_type must be constant, linear or cosine, was '" + s + "'");
        }
    }

    public LearningRateSchedule {
        if (!(peak > 0) || warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("a schedule needs peak > 0, warmup >= 0, total >= 1");
        }
    }

    public static LearningRateSchedule of(Type type, double peak, double warmupRatio, int totalSteps) {
        return new LearningRateSchedule(type, peak, (int) Math.ceil(warmupRatio * totalSteps), totalSteps);
    }

    /**
     * The rate for optimizer step {@code step} (0-based: the first update uses step 0).
     * <ul>
     *   <li>warm-up, step &lt; W: {@code peak · step / W} (so the very first update with warm-up uses 0, as in HF);</li>
     *   <li>constant: {@code peak};</li>
     *   <li>linear: {@code peak · (N − step) / (N − W)}, reaching 0 at step N;</li>
     *   <li>cosine: {@code peak · ½·(1 + cos(π·(step − W)/(N − W)))}, a half cosine from peak to 0.</li>
     * </ul>
     */
    public double at(int step) {
        if (step < warmupSteps) {
            return peak * step / Math.max(1, warmupSteps);
        }
        double span = Math.max(1, totalSteps - warmupSteps);
        return switch (type) {
            case CONSTANT -> peak;
            case LINEAR -> peak * Math.max(0, (totalSteps - step) / span);
            case COSINE -> peak * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * Math.min(1, (step - warmupSteps) / span))));
        };
    }
}
