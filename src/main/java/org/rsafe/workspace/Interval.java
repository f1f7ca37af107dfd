package org.rsafe.workspace;

import java.util.Locale;

/** A 95% interval {@code [lo, hi]} around an estimate. */
public record Interval(double lo, double hi) {
    public Interval {
        if (Double.isNaN(lo) || Double.isNaN(hi) || lo > hi) {
            throw new IllegalArgumentException("bad interval [" + lo + ", " + hi + "]");
        }
    }

    public boolean contains(double x) {
        return x >= lo && x <= hi;
    }

    /**
     * Wilson score interval of a proportion {@code successes / trials} at 95%: unlike the normal approximation it
     * stays inside [0, 1] and is sensible for small counts and proportions near 0 or 1. {@code [0, 0]} with no trials.
     */
    public static Interval wilson(long successes, long trials) {
        if (trials <= 0) {
            return new Interval(0, 0);
        }
        double z = 1.959963984540054;
        double n = trials;
        double p = successes / n;
        double denominator = 1 + z * z / n;
        double centre = (p + z * z / (2 * n)) / denominator;
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator;
        return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "[%.4f, %.4f]", lo, hi);
    }
}
