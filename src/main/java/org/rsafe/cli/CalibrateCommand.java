package org.rsafe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.rsafe.app.Calibration;
import org.rsafe.app.DataSettings;
import org.rsafe.app.Evaluation;
import org.rsafe.engine.Engine;
import org.rsafe.eval.BatchSummary;
import org.rsafe.eval.CalibrationConfig;
import org.rsafe.eval.CalibrationResult;
import org.rsafe.eval.CalibrationTarget;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rsafe calibrate}: fits clause thresholds on part of a labelled set and reports on the rest. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Choose clause thresholds from a labelled data set and write them into the policy.",
            "The engine scores every row once. The rows are split by gold label into a fit part and a held-out part "
                + "(--holdout). On the fit part one global threshold is swept (its precision/recall curve is printed), "
                + "then each clause's threshold is refined while the others stay fixed. Metrics before and after are "
                + "reported on the held-out part only.",
            "With --target precision=P (quick engine) the REVIEW band is tuned with the thresholds: the most "
                + "correctly decided rows while the precision of the decided rows stays at least P; the band is "
                + "replayed on the stored scores, nothing is judged twice.",
            "The chosen thresholds are written as 'threshold:' entries of the clauses, and a tuned band as the "
                + "policy's 'review_band:' (comments and layout kept, atomic save) unless --dry-run is given. Values "
                + "that do worse than the current ones on the held-out rows (lower F1; for fpr=X, lower recall "
                + "without a lower false-positive rate; for precision=P, fewer correct decisions or a missed floor) "
                + "are not written unless --force is given.",
            "Exit codes: 0 done, 1 thresholds not written because they do worse on the held-out rows (the policy "
                + "file is unchanged; --force writes them), 2 a user mistake, 130 cancelled."})
public final class CalibrateCommand extends CliCommand {
    private static final int CURVE_ROWS = 15;
    @Mixin
    private PolicyDataOptions input = new PolicyDataOptions();

    @Option(names = "--target", paramLabel = "f1|fpr=X|precision=P", defaultValue = Calibration.DEFAULT_TARGET,
            description = "Objective on the fit rows: f1 (default) maximises unsafe-class F1; fpr=0.05 maximises recall "
                    + "while at most 5%% of safe rows are flagged; precision=0.90 (quick engine) tunes the REVIEW band "
                    + "too, for the most correct decisions while decided precision stays >= 0.90.")
    private String target;

    @Option(names = "--holdout", paramLabel = "F", defaultValue = "" + Calibration.DEFAULT_HOLDOUT,
            description = "Share of each label's rows held out for reporting, between 0 and 1 (default: ${DEFAULT-VALUE}).")
    private double holdout;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "" + Calibration.DEFAULT_SEED,
            description = "Seed of the split and of the bootstrap intervals (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--dry-run", description = "Print the chosen thresholds without changing the policy file.")
    private boolean dryRun;

    @Option(names = "--force", description = "Write the chosen thresholds even when they do worse than the current "
            + "ones on the held-out rows (without it such thresholds are reported, not written).")
    private boolean force;

    @Option(names = "--curve", paramLabel = "FILE", description = "Also write every point of the precision/recall curve as CSV.")
    private Path curveFile;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Keep the scoring run (results.jsonl, report.*) in DIR, so it can be resumed with --resume "
                    + "(default: a temporary folder, deleted afterwards).")
    private Path out;

    @Option(names = "--resume", description = "Continue or reuse the scoring run in --out.")
    private boolean resume;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N usable rows.")
    private Long limit;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "" + Calibration.DEFAULT_ROUNDS,
            description = "Passes of per-clause refinement; 0 = one global threshold only (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Mixin
    private DatasetRunOptions runOptions = new DatasetRunOptions();

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = out();
        PrintWriter err = err();
        CalibrationConfig calibration = calibration();
        if (resume && out == null) {
            throw new UserException("--resume needs the --out folder of the earlier run");
        }
        Policy policy = PolicyLoader.loadOrThrow(input.policyFile);
        DataSettings settings = runOptions.data.settings(input.data, limit, null, seed);
        Evaluation.Columns columns = EvalCommand.detect(settings, err, "calibrate");
        Calibration.Request request = new Calibration.Request(policy, input.policyFile, settings, columns.mapping(),
                calibration, runOptions.engine.defaultThreshold(), out, resume, !dryRun, force);
        Calibration.Result result;
        try (Engine engine = runOptions.engine.create()) {
            result = CtrlC.cancels(cancel -> {
                Calibration.Result r = Calibration.run(engine, request, runOptions.progress(err, "calibrate"), cancel);
                if (r.outcome() == Calibration.Outcome.CANCELLED) {
                    BatchSummary s = r.scoring();
                    err.println("rsafe: " + (out != null ? s.cancelMessage()
                            : "cancelled after " + s.done() + " rows; nothing written (give --out DIR to keep "
                            + "the scores and continue later with --resume)"));
                    err.flush();
                }
                return r;
            });
        }
        EvalCommand.printBadRows(err, result.scoring().badRows());
        if (result.outcome() == Calibration.Outcome.CANCELLED) {
            return Main.EXIT_CANCELLED;
        }
        return print(result, stdout, err);
    }

    /** The calibration settings the parsed flags ask for; mistakes are user errors. */
    public CalibrationConfig calibration() {
        return Calibration.config(CalibrationTarget.parse(target), holdout, seed, rounds);
    }

    private int print(Calibration.Result result, PrintWriter stdout, PrintWriter err) throws IOException {
        if (result.unscoredRows() > 0) {
            err.println("calibrate: " + result.unscoredRows() + " row(s) without clause scores (parse failures) are left out");
        }
        CalibrationResult fitted = result.calibration();
        stdout.println("calibrate: " + input.policyFile + " on " + input.data + " (engine "
                + runOptions.engine.kind().cliName() + ", default threshold " + runOptions.engine.defaultThreshold()
                + (fitted.tunedBand() ? ", review band " + Calibration.formatBand(fitted.bandBefore()) : "")
                + ")");
        stdout.print(fitted.render(CURVE_ROWS));
        if (curveFile != null) {
            AtomicFiles.writeString(curveFile, fitted.curveCsv());
            stdout.println("curve: " + fitted.curve().size() + " points written to " + curveFile);
        }
        if (result.worseOnHoldout() && !result.refused()) {
            stdout.flush();
            err.println("calibrate: warning: " + result.refusalReason() + "; the fit rows may be too few or unlike "
                    + "the held-out ones (see --dry-run, --holdout, --rounds 0)");
        }
        String values = written(result);
        int exit = Main.EXIT_OK;
        switch (result.outcome()) {
            case DRY_RUN -> stdout.println("dry run: " + input.policyFile + " not changed (" + values
                    + " would be written)");
            case UNCHANGED -> stdout.println(input.policyFile + " already holds these "
                    + (fitted.tunedBand() ? "thresholds and band" : "thresholds") + "; not changed");
            case WRITTEN -> stdout.println("wrote " + values + " to " + input.policyFile
                    + " (comments and layout kept)"
                    + (result.worseOnHoldout() ? " although they do worse on the held-out rows (--force)" : ""));
            case REFUSED_WORSE -> {
                stdout.println(input.policyFile + " not changed: " + values + " not written");
                stdout.flush();
                err.println("calibrate: " + result.refusalReason() + "; "
                        + (fitted.tunedBand() ? "thresholds and band" : "thresholds") + " not written. The fit rows may be "
                        + "too few or unlike the held-out ones (see --holdout, --rounds 0); --force writes them anyway");
                exit = Main.EXIT_FINDINGS;
            }
            case CANCELLED -> throw new IllegalStateException("a cancelled calibration has nothing to print");
        }
        stdout.flush();
        err.flush();
        return exit;
    }

    /** "3 threshold(s)", "3 threshold(s) and review_band 0.4". */
    private static String written(Calibration.Result r) {
        return r.thresholds().size() + " threshold(s)"
                + (r.reviewBand() == null ? "" : " and review_band " + Calibration.formatBand(r.reviewBand()));
    }
}
