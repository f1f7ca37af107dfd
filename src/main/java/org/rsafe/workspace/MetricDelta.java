package org.rsafe.workspace;

import java.util.Objects;

/**
 * One metric of two runs on the same rows.
 *
 * @param metric         the metric's name: f1, precision, recall, fpr, accuracy, parse_failure_rate
 * @param a              its value in run A (the older version)
 * @param b              its value in run B (the newer version)
 * @param ciA            95% interval of {@code a} (bootstrap for F1 as the batch report gives it, Wilson otherwise)
 * @param ciB            95% interval of {@code b}
 * @param deltaCi        95% paired-bootstrap interval of {@code b - a} over the rows both runs judged: when it
 *                       excludes 0 the change is unlikely to be noise of this sample
 * @param higherIsBetter true for f1, precision, recall and accuracy; false for fpr and the parse-failure rate
 */
public record MetricDelta(String metric, double a, double b, Interval ciA, Interval ciB, Interval deltaCi,
                          boolean higherIsBetter) {
    public MetricDelta {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(ciA, "ciA");
        Objects.requireNonNull(ciB, "ciB");
        Objects.requireNonNull(deltaCi, "deltaCi");
    }

    /** {@code b - a}. */
    public double delta() {
        return b - a;
    }

    /** True when B is worse than A (by any amount). */
    public boolean worse() {
        return higherIsBetter ? b < a : b > a;
    }

    /** True when the paired interval of the change excludes 0. */
    public boolean significant() {
        return deltaCi.lo() > 0 || deltaCi.hi() < 0;
    }
}
