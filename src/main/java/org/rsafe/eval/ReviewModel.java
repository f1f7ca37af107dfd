package org.rsafe.eval;

import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * How an engine with a REVIEW band leaves a flag to a person, as calibration replays it on stored results: a clause
 * whose score reaches threshold t is REVIEW at band b &gt; 0 iff its stored REVIEW data ({@link CalibrationRow#reviewZ})
 * is below {@code bar(t) + b}. The engine supplies {@code bar}; this package does not know how it scores.
 *
 * @param bar         the standardised margin at which a clause's score equals a threshold
 * @param currentBand the band the scores were produced under (the policy's, the engine's option, or its default)
 */
public record ReviewModel(DoubleUnaryOperator bar, double currentBand) {

    public ReviewModel {
        Objects.requireNonNull(bar, "bar");
        if (!(currentBand >= 0)) {
            throw new IllegalArgumentException("band must be >= 0, was " + currentBand);
        }
    }

    /** Whether a clause that reached {@code threshold} is left to REVIEW at {@code band}. */
    public boolean review(double reviewZ, double threshold, double band) {
        return reviewZ < limit(threshold, band);
    }

    /** The REVIEW data below which a clause that reached {@code threshold} is REVIEW at {@code band}; none at band 0. */
    public double limit(double threshold, double band) {
        return band > 0 ? bar.applyAsDouble(threshold) + band : Double.NEGATIVE_INFINITY;
    }
}
