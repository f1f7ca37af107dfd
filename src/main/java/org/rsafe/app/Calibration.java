package org.rsafe.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.engine.quick.ClauseScorer;
import org.rsafe.engine.quick.QuickEngine;
import org.rsafe.engine.quick.QuickEngineOptions;
import org.rsafe.eval.BatchListener;
import org.rsafe.eval.BatchSummary;
import org.rsafe.eval.CalibrationConfig;
import org.rsafe.eval.CalibrationResult;
import org.rsafe.eval.CalibrationRow;
import org.rsafe.eval.CalibrationTarget;
import org.rsafe.eval.CalibrationWriter;
import org.rsafe.eval.Calibrator;
import org.rsafe.eval.ColumnMapping;
import org.rsafe.eval.MetricsReport;
import org.rsafe.eval.ResultRow;
import org.rsafe.eval.ReviewModel;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Policy;
import org.rsafe.util.FileTrees;
import org.rsafe.util.UserException;

/**
 * The calibrate use case: score a labelled data file once with an engine, fit clause thresholds (and, for the
 * decided-precision objective, the quick engine's REVIEW band) on one part of it, measure old and new settings on the
 * held-out part, and write the new ones into the policy file. Thresholds that
 * do worse on the held-out rows than the current ones are never written unless the request says {@code force}: a
 * calibration that looks good on the rows it was fitted on but loses on fresh rows would make the policy worse.
 */
public final class Calibration {
    /** The objective when the user names none: unsafe-class F1 on the fit rows. */
    public static final String DEFAULT_TARGET = "f1";
    /** Share of each label's rows held out for measuring when the user says nothing. */
    public static final double DEFAULT_HOLDOUT = CalibrationConfig.DEFAULT_HOLDOUT;
    /** Seed of the split and of the bootstrap intervals when the user says nothing. */
    public static final long DEFAULT_SEED = CalibrationConfig.DEFAULT_SEED;
    /** Passes of per-clause refinement when the user says nothing. */
    public static final int DEFAULT_ROUNDS = CalibrationConfig.DEFAULT_ROUNDS;

    private Calibration() { }

    /**
     * What to calibrate.
     *
     * @param policy           the policy as loaded from {@code policyFile}; its clauses and current thresholds
     * @param policyFile       the file that receives the thresholds (refused when it changed since {@code policy} was
     *                         read from it)
     * @param data             how the labelled data file is read
     * @param mapping          its columns, already detected ({@link Evaluation#detect})
     * @param config           objective, hold-out share, seed and refinement rounds
     * @param defaultThreshold the engine's threshold for clauses that set none ({@link EngineSpec#threshold()})
     * @param scoresDir        keep the scoring run here (so it can be resumed); null = a temporary folder, deleted
     *                         before {@link #run} returns
     * @param resume           continue or reuse the scoring run in {@code scoresDir}
     * @param write            write the chosen thresholds into {@code policyFile}; false = a dry run
     * @param force            write them even when they do worse on the held-out rows than the current ones
     */
    public record Request(Policy policy, Path policyFile, DataSettings data, ColumnMapping mapping,
                          CalibrationConfig config, double defaultThreshold, Path scoresDir, boolean resume,
                          boolean write, boolean force) {
        public Request {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(policyFile, "policyFile");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(mapping, "mapping");
            Objects.requireNonNull(config, "config");
            if (resume && scoresDir == null) {
                throw new UserException("--resume needs the --out folder of the earlier run");
            }
        }

        /** The same request, writing the thresholds even when they do worse on the held-out rows. */
        public Request forced() {
            return new Request(policy, policyFile, data, mapping, config, defaultThreshold, scoresDir, resume, true, true);
        }
    }

    /** What became of the chosen thresholds. */
    public enum Outcome {
        /** Scoring was cancelled; nothing was fitted or written. */
        CANCELLED,
        /** A dry run: the thresholds were only reported. */
        DRY_RUN,
        /** The policy file already holds these thresholds. */
        UNCHANGED,
        /** Not written: they do worse on the held-out rows than the current ones, and {@code force} was not given. */
        REFUSED_WORSE,
        /** Written into the policy file. */
        WRITTEN
    }

    /**
     * How a calibration ended.
     *
     * @param scoring       the scoring run (its bad rows, its cancellation)
     * @param unscoredRows  rows left out because they have no clause scores (parse failures)
     * @param calibration   what was fitted and measured; null when cancelled
     * @param thresholds    the clause thresholds that differ from the policy's (or that it lacks), to be written
     * @param worseOnHoldout the new thresholds do worse than the current ones on the held-out rows
     * @param outcome       what was done with them
     * @param written       the policy as saved when {@code outcome} is {@link Outcome#WRITTEN}, else null
     */
    public record Result(BatchSummary scoring, int unscoredRows, CalibrationResult calibration,
                         Map<String, Double> thresholds, Double reviewBand, boolean worseOnHoldout, Outcome outcome,
                         Policy written) {
        public Result {
            Objects.requireNonNull(scoring, "scoring");
            thresholds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
            Objects.requireNonNull(outcome, "outcome");
        }

        public boolean refused() {
            return outcome == Outcome.REFUSED_WORSE;
        }

        /** Whether there is anything to write: a threshold or the band. */
        public boolean hasChanges() {
            return !thresholds.isEmpty() || reviewBand != null;
        }

        /** How many values a write sets, for "n value(s) would be written". */
        public int changeCount() {
            return thresholds.size() + (reviewBand == null ? 0 : 1);
        }

        /** One sentence on the held-out comparison that made a refusal, for both faces to show. */
        public String refusalReason() {
            if (calibration == null) {
                return "";
            }
            MetricsReport b = calibration.holdoutBefore();
            MetricsReport a = calibration.holdoutAfter();
            String metric = switch (calibration.config().target().kind()) {
                case F1 -> String.format(java.util.Locale.ROOT, "F1 %.2f → %.2f", b.f1(), a.f1());
                case RECALL_AT_FPR -> String.format(java.util.Locale.ROOT, "recall %.2f → %.2f at FPR %.2f → %.2f",
                        b.recall(), a.recall(), b.fpr(), a.fpr());
                case DECIDED_PRECISION -> String.format(java.util.Locale.ROOT,
                        "decided precision %.2f → %.2f, coverage %.2f → %.2f, F1 with REVIEW as unsafe %.2f → %.2f",
                        b.precision(), a.precision(), b.coverage(), a.coverage(), b.reviewAsUnsafe().f1(),
                        a.reviewAsUnsafe().f1());
            };
            return "the new " + (calibration.tunedBand() ? "thresholds and band" : "thresholds")
                    + " do worse than the current ones on the " + calibration.holdoutRows()
                    + " held-out rows (" + metric + ")";
        }
    }

    /**
     * The calibration settings from what a user gives; a hold-out share outside (0, 1) or negative rounds is a
     * {@link UserException}.
     */
    public static CalibrationConfig config(CalibrationTarget target, double holdout, long seed, int rounds) {
        if (!(holdout > 0 && holdout < 1)) {
            throw new UserException("--holdout must be between 0 and 1 (exclusive), was " + holdout);
        }
        if (rounds < 0) {
            throw new UserException("--rounds must be 0 or more, was " + rounds);
        }
        return new CalibrationConfig(Objects.requireNonNull(target, "target"), holdout, seed,
                CalibrationConfig.DEFAULT_MIN_GAIN, rounds);
    }

    /**
     * Scores the data with {@code engine} (progress to {@code listener}), fits and measures the thresholds, and writes
     * them when the request asks and the held-out rows allow. A cancelled scoring run returns with
     * {@link Outcome#CANCELLED}, its temporary folder already removed.
     */
    public static Result run(Engine engine, Request request, BatchListener listener, Cancellation cancellation)
            throws IOException {
        Path outDir = request.scoresDir() != null ? request.scoresDir()
                : Files.createTempDirectory("rsafe-calibrate-");
        try {
            BatchSummary summary = Evaluation.run(engine, new Evaluation.Request(request.policy(), request.data(),
                    request.mapping(), outDir, request.resume()), listener, cancellation);
            if (summary.cancelled()) {
                return new Result(summary, 0, null, Map.of(), null, false, Outcome.CANCELLED, null);
            }
            return fitAndWrite(request, summary, reviewModel(engine, request.policy()));
        } finally {
            if (request.scoresDir() == null) {
                FileTrees.deleteQuietly(outDir); // a temporary folder left behind is harmless
            }
        }
    }

    /**
     * Writes the thresholds of a result that was refused (or a dry run) after all: the user saw the held-out numbers
     * and chose them. Refused when the policy file changed since the request's policy was read from it.
     */
    public static Result writeAnyway(Request request, Result earlier) {
        if (earlier.calibration() == null) {
            throw new IllegalArgumentException("nothing was calibrated: " + earlier.outcome());
        }
        if (!earlier.hasChanges()) {
            return withOutcome(earlier, Outcome.UNCHANGED, null);
        }
        Policy saved = CalibrationWriter.write(request.policyFile(), request.policy(), earlier.thresholds(),
                earlier.reviewBand());
        return withOutcome(earlier, Outcome.WRITTEN, saved);
    }

    /** A REVIEW band as people read it ("0.25", "0.4"): at most three decimals, as policy files keep. */
    public static String formatBand(double band) {
        return QuickEngineOptions.formatBand(band);
    }

    /**
     * How {@code engine} leaves flags to REVIEW, for replaying it on stored scores; null for an engine without a
     * REVIEW band. The quick engine's band for {@code policy} is the one the scores were produced under.
     */
    static ReviewModel reviewModel(Engine engine, Policy policy) {
        return engine.unwrap(QuickEngine.class).map(quick -> {
            QuickEngineOptions o = quick.options();
            return new ReviewModel(t -> ClauseScorer.barZ(t, o), o.reviewBandFor(policy));
        }).orElse(null);
    }

    private static Result fitAndWrite(Request request, BatchSummary summary, ReviewModel review) {
        List<CalibrationRow> rows = new ArrayList<>();
        for (ResultRow r : summary.results()) {
            CalibrationRow c = CalibrationRow.of(r);
            if (c != null) {
                rows.add(c);
            }
        }
        int unscored = summary.results().size() - rows.size();
        CalibrationResult fitted = new Calibrator(request.config())
                .calibrate(request.policy(), request.defaultThreshold(), rows, review);
        Map<String, Double> toWrite = changedThresholds(request.policy(), fitted);
        Double band = changedBand(request.policy(), fitted);
        boolean worse = worseOnHoldout(fitted);
        Result result = new Result(summary, unscored, fitted, toWrite, band, worse, Outcome.DRY_RUN, null);
        if (!request.write()) {
            return result;
        }
        if (!result.hasChanges()) {
            return withOutcome(result, Outcome.UNCHANGED, null);
        }
        if (worse && !request.force()) {
            return withOutcome(result, Outcome.REFUSED_WORSE, null);
        }
        return writeAnyway(request, result);
    }

    private static Result withOutcome(Result r, Outcome outcome, Policy written) {
        return new Result(r.scoring(), r.unscoredRows(), r.calibration(), r.thresholds(), r.reviewBand(),
                r.worseOnHoldout(), outcome, written);
    }

    /**
     * The tuned band when the policy states another value or none (so a tuned policy always says its band), else
     * null; null too when the band was not tuned.
     */
    static Double changedBand(Policy policy, CalibrationResult result) {
        if (!result.tunedBand()) {
            return null;
        }
        Double own = policy.reviewBand();
        double chosen = result.bandAfter();
        return own == null || Math.abs(own - chosen) > 1e-9 ? chosen : null;
    }

    /** Every clause whose chosen threshold differs from the one it states, or that states none. */
    static Map<String, Double> changedThresholds(Policy policy, CalibrationResult result) {
        Map<String, Double> toWrite = new LinkedHashMap<>();
        for (Clause c : policy.clauses()) {
            double t = result.after().get(c.id());
            if (c.threshold() == null || Math.abs(c.threshold() - t) > 1e-9) {
                toWrite.put(c.id(), t);
            }
        }
        return toWrite;
    }

    /**
     * Whether the new thresholds lose on the held-out rows: lower F1 for the F1 objective; for a false-positive
     * budget, lower recall without a lower false-positive rate to show for it; for a decided-precision floor, lower
     * F1 with REVIEW counted as unsafe, or a lower band objective (a floor met before and missed now, less coverage
     * at the floor, or further below it).
     */
    public static boolean worseOnHoldout(CalibrationResult r) {
        MetricsReport b = r.holdoutBefore();
        MetricsReport a = r.holdoutAfter();
        return switch (r.config().target().kind()) {
            case F1 -> a.f1() < b.f1();
            case RECALL_AT_FPR -> a.recall() < b.recall() && a.fpr() >= b.fpr();
            case DECIDED_PRECISION -> {
                Calibrator judge = new Calibrator(r.config());
                yield a.reviewAsUnsafe().f1() < b.reviewAsUnsafe().f1()
                        || judge.bandObjective(decidedPrecision(a), a.coverage())
                        < judge.bandObjective(decidedPrecision(b), b.coverage());
            }
        };
    }

    /** Decided precision, NaN when nothing was flagged (so it meets no floor), as the fit points have it. */
    private static double decidedPrecision(MetricsReport m) {
        return m.cm().tp() + m.cm().fp() == 0 ? Double.NaN : m.precision();
    }
}
