package org.rsafe.workspace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.rsafe.eval.ConfusionMatrix;
import org.rsafe.eval.MetricsReport;
import org.rsafe.eval.ResultRow;
import org.rsafe.trace.Verdict;

/**
 * Two runs of the same engine on the same data, one per policy version, set side by side: each metric of both runs
 * with its interval and the paired interval of the change, and every row whose verdict flipped.
 *
 * @param a          the run of the older version
 * @param b          the run of the newer version
 * @param deltas     f1, precision, recall, fpr, accuracy and parse_failure_rate, in that order
 * @param flips      rows with different verdicts, in data-set order
 * @param pairedRows rows judged in both runs (matched by row number)
 */
public record RunComparison(StoredRun a, StoredRun b, List<MetricDelta> deltas, List<VerdictFlip> flips,
                            int pairedRows) {

    /** Bootstrap resamples for the paired intervals. */
    public static final int RESAMPLES = 1000;
    private static final String[] METRICS = {"f1", "precision", "recall", "fpr", "accuracy", "parse_failure_rate"};
    private static final int TP = 0;
    private static final int FP = 1;
    private static final int TN = 2;
    private static final int FN = 3;
    private static final int UNKNOWN = 4;
    private static final int REVIEW = 5;

    public RunComparison {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        deltas = List.copyOf(deltas);
        flips = List.copyOf(flips);
    }

    /**
     * Compares two runs. Refuses runs of different data files, since their rows could not be paired.
     *
     * @param seed seeds the paired bootstrap, so the same runs always give the same intervals
     */
    public static RunComparison of(StoredRun a, StoredRun b, long seed) {
        if (!a.datasetSha256().equals(b.datasetSha256())) {
            throw new IllegalArgumentException("runs of different data sets cannot be compared row by row");
        }
        Map<Long, ResultRow> byRow = new HashMap<>();
        for (ResultRow r : b.results()) {
            byRow.put(r.row(), r);
        }
        List<VerdictFlip> flips = new ArrayList<>();
        List<int[]> paired = new ArrayList<>();
        int pairedRows = 0;
        for (ResultRow ra : a.results()) {
            ResultRow rb = byRow.get(ra.row());
            if (rb == null) {
                continue;
            }
            pairedRows++;
            if (ra.verdict() != rb.verdict()) {
                flips.add(new VerdictFlip(ra, rb));
            }
            if (ra.gold() != Verdict.UNKNOWN) {
                paired.add(new int[] {outcome(ra), outcome(rb)});
            }
        }
        Interval[] deltaCis = pairedBootstrap(paired, seed, RESAMPLES);
        MetricsReport ma = a.metrics();
        MetricsReport mb = b.metrics();
        double[] va = values(ma);
        double[] vb = values(mb);
        Interval[] ca = intervals(ma);
        Interval[] cb = intervals(mb);
        List<MetricDelta> deltas = new ArrayList<>();
        for (int i = 0; i < METRICS.length; i++) {
            boolean higherIsBetter = !METRICS[i].equals("fpr") && !METRICS[i].equals("parse_failure_rate");
            deltas.add(new MetricDelta(METRICS[i], va[i], vb[i], ca[i], cb[i], deltaCis[i], higherIsBetter));
        }
        return new RunComparison(a, b, deltas, flips, pairedRows);
    }

    /** The delta of one metric by name. */
    public MetricDelta delta(String metric) {
        return deltas.stream().filter(d -> d.metric().equals(metric)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no metric " + metric));
    }

    /** The flips with a given effect. */
    public List<VerdictFlip> flips(VerdictFlip.Effect effect) {
        return flips.stream().filter(f -> f.effect() == effect).toList();
    }

    /** True when both runs were taken from the store without judging anything. */
    public boolean fullyReused() {
        return a.reused() && b.reused();
    }

    /** A REVIEW counts like a parse failure here: the paired deltas are of the decided rows, as the metrics are. */
    private static int outcome(ResultRow r) {
        if (r.verdict() == Verdict.REVIEW) {
            return REVIEW;
        }
        if (r.verdict() == Verdict.UNKNOWN) {
            return UNKNOWN;
        }
        boolean gold = r.gold() == Verdict.UNSAFE;
        boolean pred = r.verdict() == Verdict.UNSAFE;
        return gold ? (pred ? TP : FN) : (pred ? FP : TN);
    }

    private static double[] values(MetricsReport m) {
        return new double[] {m.f1(), m.precision(), m.recall(), m.fpr(), m.accuracy(), m.parseFailureRate()};
    }

    private static Interval[] intervals(MetricsReport m) {
        ConfusionMatrix cm = m.cm();
        double[] f1 = m.f1Ci95();
        return new Interval[] {
            new Interval(Math.min(f1[0], f1[1]), Math.max(f1[0], f1[1])),
            Interval.wilson(cm.tp(), (long) cm.tp() + cm.fp()),
            Interval.wilson(cm.tp(), (long) cm.tp() + cm.fn()),
            Interval.wilson(cm.fp(), (long) cm.fp() + cm.tn()),
            Interval.wilson((long) cm.tp() + cm.tn(), cm.total()),
            Interval.wilson(m.parseFailures(), m.rows()),
        };
    }

    /**
     * Percentile bootstrap of each metric's change over paired rows: a resample draws rows (with replacement) and
     * keeps each row's outcome in both runs together, so the interval reflects how the same rows moved.
     */
    static Interval[] pairedBootstrap(List<int[]> paired, long seed, int resamples) {
        int n = paired.size();
        Interval[] out = new Interval[METRICS.length];
        if (n == 0) {
            Arrays.fill(out, new Interval(0, 0));
            return out;
        }
        int[] oa = new int[n];
        int[] ob = new int[n];
        for (int i = 0; i < n; i++) {
            oa[i] = paired.get(i)[0];
            ob[i] = paired.get(i)[1];
        }
        double[][] deltas = new double[METRICS.length][resamples];
        SplittableRandom random = new SplittableRandom(seed);
        int[] ca = new int[6];
        int[] cb = new int[6];
        for (int s = 0; s < resamples; s++) {
            Arrays.fill(ca, 0);
            Arrays.fill(cb, 0);
            for (int i = 0; i < n; i++) {
                int k = random.nextInt(n);
                ca[oa[k]]++;
                cb[ob[k]]++;
            }
            double[] ma = metrics(ca, n);
            double[] mb = metrics(cb, n);
            for (int m = 0; m < METRICS.length; m++) {
                deltas[m][s] = mb[m] - ma[m];
            }
        }
        for (int m = 0; m < METRICS.length; m++) {
            Arrays.sort(deltas[m]);
            out[m] = new Interval(percentile(deltas[m], 0.025), percentile(deltas[m], 0.975));
        }
        return out;
    }

    private static double[] metrics(int[] c, int n) {
        ConfusionMatrix cm = new ConfusionMatrix(c[TP], c[FP], c[TN], c[FN]);
        return new double[] {cm.f1(), cm.precision(), cm.recall(), cm.fpr(), cm.accuracy(), (double) c[UNKNOWN] / n};
    }

    private static double percentile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
