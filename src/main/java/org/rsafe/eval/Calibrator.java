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
        return calibrate(policy, defaultThreshold, rows, null);
    }

    /**
     * Calibrates the policy's thresholds, and for an objective that {@linkplain CalibrationTarget#tunesBand tunes the
     * band} the REVIEW band after them (see {@link #withBand}), replaying the engine's REVIEW rule on the stored data
     * ({@code review}; null for an engine without REVIEW, which such an objective refuses). Nothing is judged again.
     */
    public CalibrationResult calibrate(Policy policy, double defaultThreshold, List<CalibrationRow> rows,
                                       ReviewModel review) {
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

        if (config.target().tunesBand()) {
            requireReviewData(review, rows, clauseIds);
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
        List<CalibrationPoint> ascending = new ArrayList<>(curve);
        ascending.sort(Comparator.comparingDouble(CalibrationPoint::threshold));
        if (config.target().tunesBand()) {
            return withBand(policy, clauseIds, split, fit, review, ascending, global, minGain, before, after,
                    beforeArray, thresholds);
        }
        CalibrationPoint fitBefore = fit.evaluate(beforeArray);
        return new CalibrationResult(config, split.fit().size(), split.holdout().size(), minGain, ascending, global,
                before, after, fitBefore, current,
                Metrics.compute(predictions(split.holdout(), clauseIds, beforeArray), config.seed(), policy),
                Metrics.compute(predictions(split.holdout(), clauseIds, thresholds), config.seed(), policy),
                null, null, List.of());
    }

    /** Bands tried: 0 (REVIEW off) to {@link #BAND_MAX} standard deviations in steps of {@link #BAND_STEP}, and the current band. */
    static final double BAND_STEP = 0.05;
    static final double BAND_MAX = 1.0;

    static List<Double> bandGrid(double current) {
        List<Double> bands = new ArrayList<>();
        int steps = (int) Math.round(BAND_MAX / BAND_STEP);
        for (int k = 0; k <= steps; k++) {
            bands.add(k * BAND_STEP);
        }
        if (bands.stream().noneMatch(b -> Math.abs(b - current) < 1e-9)) {
            bands.add(current);
            bands.sort(Double::compare);
        }
        return bands;
    }

    private static void requireReviewData(ReviewModel review, List<CalibrationRow> rows, List<String> clauseIds) {
        if (review == null) {
            throw new UserException("--target " + "precision=… tunes the REVIEW band, and this engine has none; "
                    + "use the quick engine, or --target f1 / fpr=…");
        }
        long without = rows.stream().filter(r -> !r.hasReviewData(clauseIds)).count();
        if (without > 0) {
            throw new UserException(without + " of " + rows.size() + " stored rows have no REVIEW data (scored by an "
                    + "older version?); score them again (leave out --resume, or use a new --out folder)");
        }
    }

    /**
     * The band step of the decided-precision objective, after the thresholds were fitted for F1 with REVIEW counted
     * as unsafe (what the threshold sweep's verdicts are, since REVIEW only ever replaces a flag): every band of the
     * grid is replayed at those thresholds, and the chosen one is the narrowest whose decided precision meets the
     * floor on the fit rows, the most coverage that keeps it; when none does, the one with the highest decided
     * precision (the narrowest of equals).
     */
    private CalibrationResult withBand(Policy policy, List<String> clauseIds, Split split, Scores fit,
                                       ReviewModel review, List<CalibrationPoint> curve, CalibrationPoint global,
                                       double minGain, Map<String, Double> before, Map<String, Double> after,
                                       double[] beforeArray, double[] thresholds) {
        List<CalibrationResult.BandPoint> bandCurve = new ArrayList<>();
        CalibrationPoint chosen = null;
        double band = review.currentBand();
        for (double b : bandGrid(review.currentBand())) {
            CalibrationPoint q = fit.evaluate(thresholds, b, review);
            bandCurve.add(new CalibrationResult.BandPoint(b, q));
            if (chosen == null || bandObjective(q.precision(), q.coverage()) > bandObjective(chosen.precision(),
                    chosen.coverage()) + 1e-12) {
                chosen = q;
                band = b;
            }
        }
        CalibrationPoint fitBefore = fit.evaluate(beforeArray, review.currentBand(), review);
        return new CalibrationResult(config, split.fit().size(), split.holdout().size(), minGain, curve, global,
                before, after, fitBefore, chosen,
                Metrics.compute(predictions(split.holdout(), clauseIds, beforeArray, review.currentBand(), review),
                        config.seed(), policy),
                Metrics.compute(predictions(split.holdout(), clauseIds, thresholds, band, review), config.seed(), policy),
                review.currentBand(), band, bandCurve);
    }

    /**
     * What the band step maximises: coverage when decided precision meets the floor, else below every such value by
     * the shortfall. Nothing flagged at all counts as precision 0: a band that decides only "safe" meets no floor.
     */
    public double bandObjective(double decidedPrecision, double coverage) {
        double floor = config.target().minPrecision();
        double p = Double.isNaN(decidedPrecision) ? 0.0 : decidedPrecision;
        return p >= floor - 1e-12 ? coverage : -1.0 - (floor - p);
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
        return predictions(rows, clauseIds, thresholds, 0, null);
    }

    /**
     * As above, with REVIEW replayed at {@code band} ({@code review} null: no REVIEW): unsafe when some clause reaches
     * its threshold and is not left to review, REVIEW when some clause reached it, else safe, as the engine decides.
     */
    public static List<Prediction> predictions(List<CalibrationRow> rows, List<String> clauseIds, double[] thresholds,
                                               double band, ReviewModel review) {
        List<Prediction> out = new ArrayList<>(rows.size());
        for (CalibrationRow r : rows) {
            List<String> flagged = new ArrayList<>();
            boolean reached = false;
            for (int c = 0; c < clauseIds.size(); c++) {
                String id = clauseIds.get(c);
                if (r.score(id) >= thresholds[c]) {
                    reached = true;
                    if (review == null || !review.review(r.reviewZ(id), thresholds[c], band)) {
                        flagged.add(id);
                    }
                }
            }
            Verdict v = !flagged.isEmpty() ? Verdict.UNSAFE : reached ? Verdict.REVIEW : Verdict.SAFE;
            out.add(new Prediction(r.id(), r.gold(), v, r.goldCategories(), flagged));
        }
        return out;
    }

    /**
     * The value the thresholds maximise: F1 (for the decided-precision objective too, with REVIEW counted as unsafe),
     * or recall when the FPR budget is kept (infeasible points rank below, by FPR).
     */
    double objective(CalibrationPoint p) {
        CalibrationTarget t = config.target();
        return switch (t.kind()) {
            case F1 -> p.f1();
            case RECALL_AT_FPR -> p.fpr() <= t.maxFpr() + 1e-12 ? p.recall() : -1.0 - p.fpr();
            // The thresholds of the decided-precision objective are fitted for F1 (REVIEW counts as unsafe here);
            // the band is chosen after them (bandObjective).
            case DECIDED_PRECISION -> p.f1();
        };
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

    /** Fit rows as arrays: {@code scores[c][i]} is clause c's score on row i, {@code reviewZ[c][i]} its REVIEW data. */
    private static final class Scores {
        final int rows;
        final boolean[] unsafe;
        final double[][] scores;
        final double[][] reviewZ;
        final int[][] grid;

        private Scores(int rows, boolean[] unsafe, double[][] scores, double[][] reviewZ) {
            this.rows = rows;
            this.unsafe = unsafe;
            this.scores = scores;
            this.reviewZ = reviewZ;
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
            double[][] reviewZ = new double[clauseIds.size()][rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                CalibrationRow r = rows.get(i);
                unsafe[i] = r.unsafe();
                for (int c = 0; c < clauseIds.size(); c++) {
                    scores[c][i] = r.score(clauseIds.get(c));
                    reviewZ[c][i] = r.reviewZ(clauseIds.get(c));
                }
            }
            return new Scores(rows.size(), unsafe, scores, reviewZ);
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

        /** The counts of these thresholds with REVIEW replayed at {@code band}; REVIEW rows counted apart. */
        CalibrationPoint evaluate(double[] thresholds, double band, ReviewModel review) {
            double[] limits = new double[thresholds.length];
            for (int c = 0; c < thresholds.length; c++) {
                limits[c] = review.limit(thresholds[c], band);
            }
            long tp = 0;
            long fp = 0;
            long fn = 0;
            long tn = 0;
            long reviewed = 0;
            for (int i = 0; i < rows; i++) {
                boolean reached = false;
                boolean flagged = false;
                for (int c = 0; c < scores.length && !flagged; c++) {
                    if (scores[c][i] >= thresholds[c]) {
                        reached = true;
                        flagged = !(reviewZ[c][i] < limits[c]);
                    }
                }
                if (flagged) {
                    if (unsafe[i]) {
                        tp++;
                    } else {
                        fp++;
                    }
                } else if (reached) {
                    reviewed++;
                } else if (unsafe[i]) {
                    fn++;
                } else {
                    tn++;
                }
            }
            return new CalibrationPoint(Double.NaN, tp, fp, fn, tn, reviewed);
        }
    }
}
