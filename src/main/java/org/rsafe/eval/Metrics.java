package org.rsafe.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.rsafe.trace.Verdict;

/**
 * Computes the unsafe-class metrics of a run: the confusion matrix and the metrics derived from it, the parse-failure
 * rate, per-clause one-vs-rest metrics, and a seeded bootstrap interval for F1.
 *
 * <p>Conventions: unsafe is the positive class; rows whose verdict is unknown are parse failures, counted and
 * excluded from every confusion-based number; rows whose verdict is REVIEW are counted apart too, so the confusion
 * matrix and its metrics are those of the decided rows, and {@link MetricsReport.Review} adds coverage and the
 * metrics with REVIEW counted as unsafe and as safe; any ratio with a zero denominator is 0.
 */
public final class Metrics {
    /** Bootstrap resamples used unless a caller asks for another number. */
    public static final int DEFAULT_RESAMPLES = 1000;

    private Metrics() { }

    public static MetricsReport compute(List<Prediction> predictions, long bootstrapSeed) {
        return compute(predictions, bootstrapSeed, DEFAULT_RESAMPLES);
    }

    /**
     * Metrics of a run of {@code policy}: the data's gold category names are first related to the policy's
     * clauses (see {@link CategoryMap}), so per-clause metrics are by clause id whatever the data calls them.
     */
    public static MetricsReport compute(List<Prediction> predictions, long bootstrapSeed, org.rsafe.policy.Policy policy) {
        return compute(predictions, bootstrapSeed, DEFAULT_RESAMPLES, CategoryMap.resolve(policy, predictions));
    }

    public static MetricsReport compute(List<Prediction> predictions, long bootstrapSeed, int resamples) {
        return compute(predictions, bootstrapSeed, resamples, CategoryMap.IDENTITY);
    }

    /** The labelled rows of a run as predictions; rows without a gold label count in none. */
    public static List<Prediction> predictions(java.util.Collection<ResultRow> results) {
        List<Prediction> out = new ArrayList<>(results.size());
        for (ResultRow r : results) {
            if (r.gold() != Verdict.UNKNOWN) {
                out.add(new Prediction(r.id(), r.gold(), r.verdict(), r.goldCategories(), r.flagged(),
                        r.engineError()));
            }
        }
        return out;
    }

    /**
     * @param resamples bootstrap resamples for the F1 interval (each draws as many rows as were evaluated, with
     *                  replacement, from the rows with a verdict; the interval is the 2.5th and 97.5th percentile,
     *                  linearly interpolated)
     * @param categories how gold category names relate to clause ids, for the per-clause metrics
     */
    public static MetricsReport compute(List<Prediction> predictions, long bootstrapSeed, int resamples,
                                        CategoryMap categories) {
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be at least 1");
        }
        int parseFailures = 0;
        int errorRows = 0;
        int reviewUnsafe = 0;
        int reviewSafe = 0;
        ConfusionMatrix.Tally tally = new ConfusionMatrix.Tally();
        List<Prediction> evaluated = new ArrayList<>(predictions.size());
        boolean hasCategories = false;
        for (Prediction p : predictions) {
            if (!p.goldCategories().isEmpty()) {
                hasCategories = true;
            }
            if (p.engineError()) {
                errorRows++;
                continue;
            }
            if (p.parseFailure()) {
                parseFailures++;
                continue;
            }
            if (p.predicted() == Verdict.REVIEW) {
                if (p.gold() == Verdict.UNSAFE) {
                    reviewUnsafe++;
                } else {
                    reviewSafe++;
                }
                continue;
            }
            evaluated.add(p);
            tally.add(p.gold() == Verdict.UNSAFE, p.predicted() == Verdict.UNSAFE);
        }
        ConfusionMatrix cm = tally.matrix();
        int rows = predictions.size();
        return new MetricsReport(rows, parseFailures, ConfusionMatrix.ratio(parseFailures, rows), cm,
                cm.precision(), cm.recall(), cm.f1(), cm.accuracy(), cm.fpr(), cm.kappa(), cm.mcc(),
                bootstrapF1(cm, bootstrapSeed, resamples), hasCategories ? perClause(evaluated, categories) : Map.of(),
                hasCategories ? categories : CategoryMap.IDENTITY, errorRows,
                new MetricsReport.Review(reviewUnsafe, reviewSafe));
    }

    /**
     * Percentile bootstrap of F1. Only the outcome kind of a row (tp/fp/tn/fn) matters to F1, so a resample is a
     * draw of n outcomes from the observed ones.
     */
    static double[] bootstrapF1(ConfusionMatrix cm, long seed, int resamples) {
        int n = cm.total();
        if (n == 0) {
            return new double[] {0, 0};
        }
        // outcome codes: 0 = tp, 1 = fp, 2 = tn, 3 = fn, laid out so that a uniform index picks one observed row
        int[] bounds = {cm.tp(), cm.tp() + cm.fp(), cm.tp() + cm.fp() + cm.tn()};
        SplittableRandom random = new SplittableRandom(seed);
        double[] f1s = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            ConfusionMatrix.Tally resample = new ConfusionMatrix.Tally();
            for (int i = 0; i < n; i++) {
                int k = random.nextInt(n);
                // below bounds[0] a tp, then an fp, then a tn; from bounds[2] on an fn
                resample.add(k < bounds[0] || k >= bounds[2], k < bounds[1]);
            }
            f1s[b] = resample.matrix().f1();
        }
        Arrays.sort(f1s);
        return new double[] {percentile(f1s, 0.025), percentile(f1s, 0.975)};
    }

    /** Linear interpolation between order statistics (the usual "type 7" definition). */
    static double percentile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /**
     * One-vs-rest metrics per clause. An unsafe row whose gold categories all lack a clause is left out: which
     * clause it should have triggered is unknown, so it would count as a false positive for whatever it triggered.
     */
    private static Map<String, ClauseMetrics> perClause(List<Prediction> all, CategoryMap categories) {
        List<Prediction> evaluated = new ArrayList<>(all.size());
        for (Prediction p : all) {
            List<String> clauses = categories.clausesOf(p.goldCategories());
            if (p.gold() == Verdict.UNSAFE && !p.goldCategories().isEmpty() && clauses.isEmpty()) {
                continue;
            }
            evaluated.add(clauses == p.goldCategories() ? p
                    : new Prediction(p.id(), p.gold(), p.predicted(), clauses, p.flaggedClauses()));
        }
        TreeSet<String> ids = new TreeSet<>(Metrics::compareIds);
        for (Prediction p : evaluated) {
            ids.addAll(p.goldCategories());
            ids.addAll(p.flaggedClauses());
        }
        Map<String, ClauseMetrics> out = new LinkedHashMap<>();
        for (String id : ids) {
            ConfusionMatrix.Tally tally = new ConfusionMatrix.Tally();
            for (Prediction p : evaluated) {
                tally.add(p.goldCategories().contains(id), p.flaggedClauses().contains(id));
            }
            out.put(id, ClauseMetrics.of(tally.matrix()));
        }
        return out;
    }

    /** Orders ids so that U2 comes before U10: equal prefixes compare their trailing numbers as numbers. */
    static int compareIds(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }
}
