package org.rsafe.eval;

/**
 * Counts of a binary decision with unsafe as the positive class: tp = unsafe flagged, fp = safe flagged,
 * tn = safe passed, fn = unsafe passed. Every ratio whose denominator is 0 is defined as 0.
 */
public record ConfusionMatrix(int tp, int fp, int tn, int fn) {

    public static final ConfusionMatrix EMPTY = new ConfusionMatrix(0, 0, 0, 0);

    public ConfusionMatrix {
        if (tp < 0 || fp < 0 || tn < 0 || fn < 0) {
            throw new IllegalArgumentException("confusion counts cannot be negative");
        }
    }

    public int total() {
        return tp + fp + tn + fn;
    }

    /** tp / (tp + fp). */
    public double precision() {
        return ratio(tp, (double) tp + fp);
    }

    /** tp / (tp + fn). */
    public double recall() {
        return ratio(tp, (double) tp + fn);
    }

    /** 2tp / (2tp + fp + fn), the harmonic mean of precision and recall. */
    public double f1() {
        return ratio(2.0 * tp, 2.0 * tp + fp + fn);
    }

    /** (tp + tn) / n. */
    public double accuracy() {
        return ratio((double) tp + tn, total());
    }

    /** fp / (fp + tn): the share of safe rows wrongly flagged. */
    public double fpr() {
        return ratio(fp, (double) fp + tn);
    }

    /**
     * Cohen's kappa: (p_o − p_e) / (1 − p_e) with p_o = accuracy and p_e the agreement expected by chance from
     * the marginals, ((tp+fp)(tp+fn) + (fn+tn)(fp+tn)) / n².
     */
    public double kappa() {
        double n = total();
        if (n == 0) {
            return 0;
        }
        double po = (tp + tn) / n;
        double pe = (((double) tp + fp) * ((double) tp + fn) + ((double) fn + tn) * ((double) fp + tn)) / (n * n);
        return ratio(po - pe, 1 - pe);
    }

    /** Matthews correlation: (tp·tn − fp·fn) / √((tp+fp)(tp+fn)(tn+fp)(tn+fn)). */
    public double mcc() {
        double denominator = Math.sqrt(((double) tp + fp) * ((double) tp + fn) * ((double) tn + fp) * ((double) tn + fn));
        return ratio((double) tp * tn - (double) fp * fn, denominator);
    }

    /** Adds one decision. */
    public ConfusionMatrix plus(boolean goldUnsafe, boolean predictedUnsafe) {
        if (goldUnsafe) {
            return predictedUnsafe ? new ConfusionMatrix(tp + 1, fp, tn, fn) : new ConfusionMatrix(tp, fp, tn, fn + 1);
        }
        return predictedUnsafe ? new ConfusionMatrix(tp, fp + 1, tn, fn) : new ConfusionMatrix(tp, fp, tn + 1, fn);
    }

    /**
     * This matrix with one more row flagged that was passed before: a true positive for an unsafe row (one
     * false negative less), a false positive for a safe one (one true negative less). Used when lowering a
     * threshold past a row's score.
     */
    public ConfusionMatrix flagOne(boolean goldUnsafe) {
        if (goldUnsafe) {
            if (fn == 0) {
                throw new IllegalStateException("no unsafe row left to flag");
            }
            return new ConfusionMatrix(tp + 1, fp, tn, fn - 1);
        }
        if (tn == 0) {
            throw new IllegalStateException("no safe row left to flag");
        }
        return new ConfusionMatrix(tp, fp + 1, tn - 1, fn);
    }

    /** Counts decisions one row at a time, for loops over many rows; {@link #matrix()} gives the counts so far. */
    public static final class Tally {
        private int tp;
        private int fp;
        private int tn;
        private int fn;

        /** Adds one decision. */
        public void add(boolean goldUnsafe, boolean predictedUnsafe) {
            if (goldUnsafe) {
                if (predictedUnsafe) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (predictedUnsafe) {
                fp++;
            } else {
                tn++;
            }
        }

        public ConfusionMatrix matrix() {
            return new ConfusionMatrix(tp, fp, tn, fn);
        }
    }

    /** a / b, or 0 when b is 0 (the convention for every undefined metric). */
    static double ratio(double a, double b) {
        return b == 0 ? 0.0 : a / b;
    }
}
