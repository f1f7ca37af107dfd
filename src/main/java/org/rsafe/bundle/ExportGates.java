package org.rsafe.bundle;

/**
 * The evaluation gates a bundle must pass to be exported.
 *
 * <p>A metric measured on a handful of rows says little: ten rows can give an F1 of 0.80 whose 95% interval runs
 * from 0.29 to 1.00. So whenever a metric gate is set, the evaluation must also hold at least {@link #minRows()}
 * labelled rows ({@link #DEFAULT_MIN_ROWS} unless given; 0 accepts any number), and the F1 gate's line names the
 * bootstrap interval it was measured with.
 *
 * @param minF1   the lowest unsafe-class F1 accepted, 0..1; null for no gate
 * @param maxFpr  the highest false-positive rate accepted, 0..1; null for no gate
 * @param minRows the fewest labelled rows that may back a metric gate; null for {@link #DEFAULT_MIN_ROWS}
 */
public record ExportGates(Double minF1, Double maxFpr, Integer minRows) {
    /** Rows needed behind a metric gate unless told otherwise: below this a 95% interval spans most of 0..1. */
    public static final int DEFAULT_MIN_ROWS = 30;

    public static final ExportGates NONE = new ExportGates(null, null, null);

    public ExportGates {
        check("minimum F1", minF1);
        check("maximum false-positive rate", maxFpr);
        if (minRows != null && minRows < 0) {
            throw new IllegalArgumentException("the minimum number of rows must be 0 or more, was " + minRows);
        }
    }

    /** Metric gates with the default minimum of rows behind them. */
    public ExportGates(Double minF1, Double maxFpr) {
        this(minF1, maxFpr, null);
    }

    /** Whether any metric gate is set (a bundle without one claims no level of quality, so needs no evidence). */
    public boolean hasMetricGate() {
        return minF1 != null || maxFpr != null;
    }

    /** The fewest labelled rows the evaluation must hold: 0 without a metric gate. */
    public int requiredRows() {
        if (!hasMetricGate()) {
            return 0;
        }
        return minRows == null ? DEFAULT_MIN_ROWS : minRows;
    }

    private static void check(String what, Double v) {
        if (v != null && !(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(what + " must be from 0 to 1, was " + v);
        }
    }
}
