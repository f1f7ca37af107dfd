package org.rsafe.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Policy;
import org.rsafe.trace.Verdict;
import org.rsafe.util.UserException;

/**
 * Chooses clause thresholds from stored clause scores: a stratified fit/hold-out split, a sweep of one global
 * threshold on the fit rows, then per-clause coordinate refinement on the fit rows; metrics before and after are
 * measured on the hold-out rows only, so the reported gain is not the fit's own optimism.
 *
 * <p>The verdict rule it reproduces is the quick engine's: a row is unsafe iff some clause's score is at least
 * that clause's threshold. Thresholds are chosen in the middle of the gap between neighbouring scores (rounded to
 * four decimals), the widest margin the fit rows allow.
 */
public final class Calibrator {

    /** The fit and hold-out parts of the rows; disjoint, each label split in the configured proportion. */
    public record Split(List<CalibrationRow> fit, List<CalibrationRow> holdout) {
        public Split {
            fit = List.copyOf(fit);
            holdout = List.copyOf(holdout);
        }
    }

    private final CalibrationConfig config;

    public Calibrator(CalibrationConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public CalibrationConfig config() {
        return config;
    }

    /**
     * Splits rows per gold label: each label's rows are ordered by row number, shuffled with the seed, and the
     * first {@code round(n * holdoutFraction)} go to the hold-out part (at least one row to each part when the
     * label has two or more rows). The same rows and seed always give the same split.
     */
    public Split split(List<CalibrationRow> rows) {
        List<CalibrationRow> fit = new ArrayList<>();
        List<CalibrationRow> holdout = new ArrayList<>();
        for (Verdict label : List.of(Verdict.SAFE, Verdict.UNSAFE)) {
            List<CalibrationRow> group = new ArrayList<>(rows.stream().filter(r -> r.gold() == label).toList());
            group.sort(Comparator.comparingLong(CalibrationRow::row));
            // A separate stream per label keeps one label's split independent of how many rows the other has.
            SplittableRandom random = new SplittableRandom(config.seed() * 31 + label.ordinal());
            for (int i = group.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                CalibrationRow t = group.get(i);
                group.set(i, group.get(j));
                group.set(j, t);
            }
            int n = group.size();
            int held = (int) Math.round(n * config.holdoutFraction());
            if (n >= 2) {
                held = Math.max(1, Math.min(n - 1, held));
            }
            holdout.addAll(group.subList(0, held));
            fit.addAll(group.subList(held, n));
        }
        fit.sort(Comparator.comparingLong(CalibrationRow::row));
        holdout.sort(Comparator.comparingLong(CalibrationRow::row));
        return new Split(fit, holdout);
    }

    /**
     * Calibrates the policy's thresholds on the given rows.
     *
     * @param policy           supplies the clauses (in order) and their current thresholds
     * @param defaultThreshold the engine's threshold for clauses that set none
     * @param rows             rows with clause scores; rows without scores must already be left out
     */
    public CalibrationResult calibrate(Policy policy, double defaultThreshold, List<CalibrationRow> rows) {
        List<String> clauseIds = policy.clauses().stream().map(Clause::id).toList();
        if (clauseIds.isEmpty()) {
            throw new UserException("the policy has no clauses to calibrate");
        }
        Split split = split(rows);
        requireBothLabels(split.fit(), "fit");
        requireBothLabels(split.holdout(), "hold-out");

        Map<String, Double> before = new LinkedHashMap<>();
        for (Clause c : policy.clauses()) {
            before.put(c.id(), c.threshold() != null ? c.threshold() : defaultThreshold);
        }

        Scores fit = Scores.of(split.fit(), clauseIds);

        // Global sweep: one threshold for all clauses, so a row fires iff its highest clause score reaches it.
        boolean[] noneFixed = new boolean[fit.rows];
        List<CalibrationPoint> curve = sweep(fit.unsafe, noneFixed, fit.maxScores());
        CalibrationPoint global = best(curve);

        double[] thresholds = new double[clauseIds.size()];
        Arrays.fill(thresholds, global.threshold());
        CalibrationPoint current = fit.evaluate(thresholds);
        for (int round = 0; round < config.rounds(); round++) {
            boolean changed = false;
            for (int c = 0; c < clauseIds.size(); c++) {
                List<CalibrationPoint> points = sweep(fit.unsafe, fit.firedByOthers(thresholds, c), fit.scores[c]);
                CalibrationPoint candidate = best(points);
                if (objective(candidate) >= objective(current) + config.minGain()) {
                    thresholds[c] = candidate.threshold();
                    current = fit.evaluate(thresholds);
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
        }

        Map<String, Double> after = new LinkedHashMap<>();
        for (int c = 0; c < clauseIds.size(); c++) {
            after.put(clauseIds.get(c), thresholds[c]);
        }
        double[] beforeArray = clauseIds.stream().mapToDouble(before::get).toArray();
        CalibrationPoint fitBefore = fit.evaluate(beforeArray);
        Scores held = Scores.of(split.holdout(), clauseIds);
        List<CalibrationPoint> ascending = new ArrayList<>(curve);
        ascending.sort(Comparator.comparingDouble(CalibrationPoint::threshold));
        return new CalibrationResult(config, split.fit().size(), split.holdout().size(), ascending, global,
                before, after, fitBefore, current,
                held.evaluate(beforeArray), held.evaluate(thresholds),
                predictions(split.holdout(), clauseIds, beforeArray), predictions(split.holdout(), clauseIds, thresholds));
    }

    private static void requireBothLabels(List<CalibrationRow> part, String name) {
        boolean safe = part.stream().anyMatch(r -> !r.unsafe());
        boolean unsafe = part.stream().anyMatch(CalibrationRow::unsafe);
        if (!safe || !unsafe) {
            throw new UserException("calibration needs safe and unsafe rows in both parts of the split, but the "
                    + name + " part has " + (safe ? "no unsafe" : "no safe") + " rows; use a larger or more balanced data set");
        }
    }

    /** The verdicts the given thresholds produce on the rows, as predictions for {@link Metrics}. */
    static List<Prediction> predictions(List<CalibrationRow> rows, List<String> clauseIds, double[] thresholds) {
        List<Prediction> out = new ArrayList<>(rows.size());
        for (CalibrationRow r : rows) {
            List<String> flagged = new ArrayList<>();
            for (int c = 0; c < clauseIds.size(); c++) {
                if (r.score(clauseIds.get(c)) >= thresholds[c]) {
                    flagged.add(clauseIds.get(c));
                }
            }
            Verdict v = flagged.isEmpty() ? Verdict.SAFE : Verdict.UNSAFE;
            out.add(new Prediction(r.id(), r.gold(), v, r.goldCategories(), flagged));
        }
        return out;
    }

    /** The value maximised: F1, or recall when the FPR budget is kept (infeasible points rank below, by FPR). */
    double objective(CalibrationPoint p) {
        if (config.target().kind() == CalibrationTarget.Kind.F1) {
            return p.f1();
        }
        return p.fpr() <= config.target().maxFpr() + 1e-12 ? p.recall() : -1.0 - p.fpr();
    }

    /** The best point: highest objective, then fewest false positives, then the highest threshold. */
    CalibrationPoint best(List<CalibrationPoint> points) {
        CalibrationPoint best = null;
        for (CalibrationPoint p : points) {
            if (best == null) {
                best = p;
                continue;
            }
            double d = objective(p) - objective(best);
            if (d > 1e-12 || (Math.abs(d) <= 1e-12
                    && (p.fp() < best.fp() || (p.fp() == best.fp() && p.threshold() > best.threshold())))) {
                best = p;
            }
        }
        return best;
    }

    /**
     * Every distinct operating point of one threshold: a row is flagged when {@code fixed[i]} or
     * {@code score[i] >= t}. Points come from the highest threshold (only fixed rows flagged, when a threshold
     * in (max score, 1] exists) down to the lowest (every row flagged).
     */
    static List<CalibrationPoint> sweep(boolean[] unsafe, boolean[] fixed, double[] score) {
        long positives = 0;
        long negatives = 0;
        long tp = 0;
        long fp = 0;
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < unsafe.length; i++) {
            if (unsafe[i]) {
                positives++;
            } else {
                negatives++;
            }
            if (fixed[i]) {
                if (unsafe[i]) {
                    tp++;
                } else {
                    fp++;
                }
            } else {
                free.add(i);
            }
        }
        free.sort((a, b) -> Double.compare(score[b], score[a]));
        List<CalibrationPoint> points = new ArrayList<>();
        double top = free.isEmpty() ? 0.0 : score[free.get(0)];
        if (free.isEmpty() || top < 1.0) {
            points.add(new CalibrationPoint(free.isEmpty() ? 1.0 : between(top, 1.0), tp, fp, positives - tp, negatives - fp));
        }
        int k = 0;
        while (k < free.size()) {
            double value = score[free.get(k)];
            while (k < free.size() && score[free.get(k)] == value) {
                if (unsafe[free.get(k)]) {
                    tp++;
                } else {
                    fp++;
                }
                k++;
            }
            double next = k < free.size() ? score[free.get(k)] : Math.min(0.0, value);
            double t = next < value ? between(next, value) : value;
            points.add(new CalibrationPoint(t, tp, fp, positives - tp, negatives - fp));
        }
        return points;
    }

    /** A threshold in (lo, hi]: the midpoint rounded to four decimals, or hi when rounding would leave the gap. */
    static double between(double lo, double hi) {
        double mid = Math.round((lo + hi) / 2 * 10_000) / 10_000.0;
        return mid > lo && mid <= hi ? mid : hi;
    }

    /** Fit rows as arrays: {@code scores[c][i]} is clause c's score on row i. */
    private static final class Scores {
        final int rows;
        final boolean[] unsafe;
        final double[][] scores;

        private Scores(int rows, boolean[] unsafe, double[][] scores) {
            this.rows = rows;
            this.unsafe = unsafe;
            this.scores = scores;
        }

        static Scores of(List<CalibrationRow> rows, List<String> clauseIds) {
            boolean[] unsafe = new boolean[rows.size()];
            double[][] scores = new double[clauseIds.size()][rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                CalibrationRow r = rows.get(i);
                unsafe[i] = r.unsafe();
                for (int c = 0; c < clauseIds.size(); c++) {
                    scores[c][i] = r.score(clauseIds.get(c));
                }
            }
            return new Scores(rows.size(), unsafe, scores);
        }

        double[] maxScores() {
            double[] max = new double[rows];
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
            for (double[] clause : scores) {
                for (int i = 0; i < rows; i++) {
                    max[i] = Math.max(max[i], clause[i]);
                }
            }
            return max;
        }

        boolean[] firedByOthers(double[] thresholds, int except) {
            boolean[] fired = new boolean[rows];
            for (int c = 0; c < scores.length; c++) {
                if (c == except) {
                    continue;
                }
                for (int i = 0; i < rows; i++) {
                    fired[i] |= scores[c][i] >= thresholds[c];
                }
            }
            return fired;
        }

        CalibrationPoint evaluate(double[] thresholds) {
            long tp = 0;
            long fp = 0;
            long fn = 0;
            long tn = 0;
            for (int i = 0; i < rows; i++) {
                boolean flagged = false;
                for (int c = 0; c < scores.length && !flagged; c++) {
                    flagged = scores[c][i] >= thresholds[c];
                }
                if (unsafe[i]) {
                    if (flagged) {
                        tp++;
                    } else {
                        fn++;
                    }
                } else if (flagged) {
                    fp++;
                } else {
                    tn++;
                }
            }
            return new CalibrationPoint(Double.NaN, tp, fp, fn, tn);
        }
    }
}
