package org.rsafe.eval;

import java.util.Objects;

/**
 * Settings of one calibration.
 *
 * @param target          the objective maximised on the fit rows (default: unsafe F1)
 * @param holdoutFraction share of each label's rows kept out of fitting and used only for reporting (default 0.5)
 * @param seed            seeds the split and the bootstrap of the reported confidence intervals (default 42)
 * @param minGain         a per-clause threshold replaces the global one only when it raises the fit objective by at
 *                        least this much (default 0.005), or by the gain of two more caught unsafe rows when that
 *                        is larger: small gains on the fit rows rarely survive on new data
 * @param rounds          passes of per-clause refinement over all clauses (default 3; 0 = global threshold only)
 */
public record CalibrationConfig(CalibrationTarget target, double holdoutFraction, long seed, double minGain, int rounds) {

    public static final double DEFAULT_HOLDOUT = 0.5;
    public static final long DEFAULT_SEED = 42;
    public static final double DEFAULT_MIN_GAIN = 0.005;
    public static final int DEFAULT_ROUNDS = 3;

    public CalibrationConfig {
        Objects.requireNonNull(target, "target");
        if (!(holdoutFraction > 0 && holdoutFraction < 1)) {
            throw new IllegalArgumentException("the hold-out fraction must be in (0, 1), was " + holdoutFraction);
        }
        if (!(minGain >= 0)) {
            throw new IllegalArgumentException("minGain must be >= 0, was " + minGain);
        }
        if (rounds < 0) {
            throw new IllegalArgumentException("rounds must be >= 0, was " + rounds);
        }
    }

    public static CalibrationConfig defaults() {
        return new CalibrationConfig(CalibrationTarget.F1, DEFAULT_HOLDOUT, DEFAULT_SEED, DEFAULT_MIN_GAIN, DEFAULT_ROUNDS);
    }

    public CalibrationConfig withTarget(CalibrationTarget newTarget) {
        return new CalibrationConfig(newTarget, holdoutFraction, seed, minGain, rounds);
    }
}
