package org.rsafe.eval;

/**
 * One operating point of a threshold sweep: the threshold and the confusion counts it gives (unsafe is the
 * positive class), on the decided rows; {@code reviewed} rows were left to REVIEW and are in none of the four
 * counts (always 0 without a REVIEW band). Precision is NaN when nothing is flagged.
 */
public record CalibrationPoint(double threshold, long tp, long fp, long fn, long tn, long reviewed) {

    public CalibrationPoint {
        if (tp < 0 || fp < 0 || fn < 0 || tn < 0 || reviewed < 0) {
            throw new IllegalArgumentException("negative count");
        }
    }

    /** A point without REVIEW rows. */
    public CalibrationPoint(double threshold, long tp, long fp, long fn, long tn) {
        this(threshold, tp, fp, fn, tn, 0);
    }

    /** Decided rows over all rows (1 when nothing was left to REVIEW). */
    public double coverage() {
        long all = rows() + reviewed;
        return all == 0 ? 1.0 : (double) rows() / all;
    }

    /** The point of a threshold that gives these counts. */
    public static CalibrationPoint of(double threshold, ConfusionMatrix cm) {
        return new CalibrationPoint(threshold, cm.tp(), cm.fp(), cm.fn(), cm.tn());
    }

    public long rows() {
        return tp + fp + fn + tn;
    }

    public double precision() {
        return tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
    }

    public double recall() {
        return tp + fn == 0 ? 0.0 : (double) tp / (tp + fn);
    }

    /** False-positive rate: the share of safe rows flagged; 0 when there are no safe rows. */
    public double fpr() {
        return fp + tn == 0 ? 0.0 : (double) fp / (fp + tn);
    }

    public double f1() {
        long denominator = 2 * tp + fp + fn;
        return denominator == 0 ? 0.0 : 2.0 * tp / denominator;
    }

    public CalibrationPoint withThreshold(double t) {
        return new CalibrationPoint(t, tp, fp, fn, tn, reviewed);
    }
}
