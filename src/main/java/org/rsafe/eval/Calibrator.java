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
 * that clause's threshold. Thresholds are chosen on the 0.001 grid that policy files keep, in the middle of the gap
 * between neighbouring scores: the widest margin the fit rows allow.
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
        List<CalibrationPoint> curve = sweep(fit.unsafe, noneFixed, fit.maxGrid());
        CalibrationPoint global = best(curve);

        long fitUnsafe = split.fit().stream().filter(CalibrationRow::unsafe).count();
        double minGain = minimumGain(fitUnsafe);
        double[] thresholds = new double[clauseIds.size()];
        Arrays.fill(thresholds, global.threshold());
        CalibrationPoint current = fit.evaluate(thresholds);
        for (int round = 0; round < config.rounds(); round++) {
            boolean changed = false;
            for (int c = 0; c < clauseIds.size(); c++) {
                List<CalibrationPoint> points = sweep(fit.unsafe, fit.firedByOthers(thresholds, c), fit.grid[c]);
                CalibrationPoint candidate = best(points);
                if (objective(candidate) >= objective(current) + minGain) {
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
        List<CalibrationPoint> ascending = new ArrayList<>(curve);
        ascending.sort(Comparator.comparingDouble(CalibrationPoint::threshold));
        return new CalibrationResult(config, split.fit().size(), split.holdout().size(), minGain, ascending, global,
                before, after, fitBefore, current,
                Metrics.compute(predictions(split.holdout(), clauseIds, beforeArray), config.seed(), policy),
                Metrics.compute(predictions(split.holdout(), clauseIds, thresholds), config.seed(), policy));
    }

    /**
     * The least fit gain that lets a clause leave the global threshold: the configured minimum, or the gain of
     * catching two more of the fit part's unsafe rows when that is larger. On small fit parts a one-row gain is
     * mostly noise and does not carry over to the hold-out rows.
     */
    double minimumGain(long fitUnsafeRows) {
        return Math.max(config.minGain(), fitUnsafeRows == 0 ? 0 : 2.0 / fitUnsafeRows);
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

    /** Thresholds live on a grid of this many steps per unit: policy files keep three decimals. */
    static final int GRID = 1000;

    /** The largest grid index j with {@code j / GRID <= score} (so {@code score >= j / GRID} iff index >= j); -1 below 0. */
    static int gridIndex(double score) {
        if (!(score >= 0)) {
            return -1;
        }
        if (score >= 1.0) {
            return GRID;
        }
        int k = (int) Math.floor(score * GRID);
        while (k + 1 <= GRID && (k + 1) / (double) GRID <= score) {
            k++;
        }
        while (k >= 0 && k / (double) GRID > score) {
            k--;
        }
        return k;
    }

    /**
     * Every distinct operating point of one threshold on the 0.001 grid: a row is flagged when {@code fixed[i]} or
     * its grid index reaches the threshold's. Points run from the highest threshold (only fixed rows flagged, when
     * a grid value above every score exists) down to the lowest; each threshold sits in the middle of the gap
     * between neighbouring scores, the widest margin the rows allow.
     */
    static List<CalibrationPoint> sweep(boolean[] unsafe, boolean[] fixed, int[] grid) {
        // The first point flags the fixed rows only; each lower threshold then flags the free rows it passes.
        ConfusionMatrix.Tally fixedOnly = new ConfusionMatrix.Tally();
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < unsafe.length; i++) {
            fixedOnly.add(unsafe[i], fixed[i]);
            if (!fixed[i] && grid[i] >= 0) {
                free.add(i);
            }
        }
        ConfusionMatrix cm = fixedOnly.matrix();
        free.sort((a, b) -> Integer.compare(grid[b], grid[a]));
        List<CalibrationPoint> points = new ArrayList<>();
        int top = free.isEmpty() ? -1 : grid[free.get(0)];
        if (top < GRID) {
            points.add(CalibrationPoint.of(threshold(top + (GRID - top + 1) / 2), cm));
        }
        int k = 0;
        while (k < free.size()) {
            int value = grid[free.get(k)];
            while (k < free.size() && grid[free.get(k)] == value) {
                cm = cm.flagOne(unsafe[free.get(k)]);
                k++;
            }
            int next = k < free.size() ? grid[free.get(k)] : -1;
            // thresholds next+1 .. value all give this point; take the middle of that range
            points.add(CalibrationPoint.of(threshold(next + (value - next + 1) / 2), cm));
        }
        return points;
    }

    private static double threshold(int gridIndex) {
        return gridIndex / (double) GRID;
    }

    /** Fit rows as arrays: {@code scores[c][i]} is clause c's score on row i. */
    private static final class Scores {
        final int rows;
        final boolean[] unsafe;
        final double[][] scores;
        final int[][] grid;

        private Scores(int rows, boolean[] unsafe, double[][] scores) {
            this.rows = rows;
            this.unsafe = unsafe;
            this.scores = scores;
            this.grid = new int[scores.length][rows];
            for (int c = 0; c < scores.length; c++) {
                for (int i = 0; i < rows; i++) {
                    grid[c][i] = gridIndex(scores[c][i]);
                }
            }
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

        int[] maxGrid() {
            int[] max = new int[rows];
            Arrays.fill(max, -1);
            for (int[] clause : grid) {
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
            ConfusionMatrix.Tally tally = new ConfusionMatrix.Tally();
            for (int i = 0; i < rows; i++) {
                boolean flagged = false;
                for (int c = 0; c < scores.length && !flagged; c++) {
                    flagged = scores[c][i] >= thresholds[c];
                }
                tally.add(unsafe[i], flagged);
            }
            return CalibrationPoint.of(Double.NaN, tally.matrix());
        }
    }
}
