package org.rsafe.cli;

import static org.rsafe.util.FileTrees.deleteQuietly;
import static org.rsafe.util.FileTrees.deleteTree;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rsafe.app.DataSettings;
import org.rsafe.app.Evaluation;
import org.rsafe.engine.Engine;
import org.rsafe.eval.BatchConfig;
import org.rsafe.eval.BatchRun;
import org.rsafe.eval.BatchSummary;
import org.rsafe.eval.CalibrationConfig;
import org.rsafe.eval.CalibrationResult;
import org.rsafe.eval.CalibrationRow;
import org.rsafe.eval.CalibrationTarget;
import org.rsafe.eval.CalibrationWriter;
import org.rsafe.eval.Calibrator;
import org.rsafe.eval.ResultRow;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rsafe calibrate}: fits clause thresholds on part of a labelled set and reports on the rest. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Choose clause thresholds from a labelled data set and write them into the policy.",
            "The engine scores every row once. The rows are split by gold label into a fit part and a held-out part "
                + "(--holdout). On the fit part one global threshold is swept (its precision/recall curve is printed), "
                + "then each clause's threshold is refined while the others stay fixed. Metrics before and after are "
                + "reported on the held-out part only.",
            "The chosen thresholds are written as 'threshold:' entries of the clauses (comments and layout kept, "
                + "atomic save) unless --dry-run is given."})
public final class CalibrateCommand implements Callable<Integer> {
    private static final int CURVE_ROWS = 15;

    @Spec
    private CommandSpec spec;

    @Option(names = "--policy", required = true, paramLabel = "P", description = "Policy file (YAML); receives the thresholds.")
    private Path policyFile;

    @Option(names = "--data", required = true, paramLabel = "LABELLED",
            description = "Labelled data set: CSV/TSV, JSON Lines or JSON array, optionally .gz.")
    private Path data;

    @Option(names = "--target", paramLabel = "f1|fpr=X", defaultValue = "f1",
            description = "Objective on the fit rows: f1 (default) maximises unsafe-class F1; fpr=0.05 maximises recall "
                    + "while at most 5%% of safe rows are flagged.")
    private String target;

    @Option(names = "--holdout", paramLabel = "F", defaultValue = "0.5",
            description = "Share of each label's rows held out for reporting, between 0 and 1 (default: ${DEFAULT-VALUE}).")
    private double holdout;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the split and of the bootstrap intervals (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--dry-run", description = "Print the chosen thresholds without changing the policy file.")
    private boolean dryRun;

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

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
            description = "Passes of per-clause refinement; 0 = one global threshold only (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Mixin
    private DatasetRunOptions runOptions = new DatasetRunOptions();

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CalibrationTarget objective = CalibrationTarget.parse(target);
        if (!(holdout > 0 && holdout < 1)) {
            throw new UserException("--holdout must be between 0 and 1 (exclusive), was " + holdout);
        }
        if (rounds < 0) {
            throw new UserException("--rounds must be 0 or more, was " + rounds);
        }
        if (resume && out == null) {
            throw new UserException("--resume needs the --out folder of the earlier run");
        }
        CalibrationConfig calibration = new CalibrationConfig(objective, holdout, seed, CalibrationConfig.DEFAULT_MIN_GAIN, rounds);
        Policy policy = PolicyLoader.loadOrThrow(policyFile);
        Path outDir = out != null ? out : Files.createTempDirectory("rsafe-calibrate-");
        try {
            DataSettings settings = runOptions.data.settings(data, limit, null, seed);
            Evaluation.Columns columns = EvalCommand.detect(settings, err, "calibrate");
            BatchSummary summary;
            try (Engine engine = runOptions.engine.create()) {
                Evaluation.Request request = new Evaluation.Request(policy, settings, columns.mapping(), outDir, resume);
                summary = CtrlC.cancels(cancel -> {
                    BatchSummary s = Evaluation.run(engine, request, runOptions.progress(err, "calibrate"), cancel);
                    if (s.cancelled()) {
                        err.println("rsafe: " + (out != null ? s.cancelMessage()
                                : "cancelled after " + s.done() + " rows; nothing written (give --out DIR to keep "
                                + "the scores and continue later with --resume)"));
                        err.flush();
                        if (out == null) {
                            // now, not later: on Ctrl-C the JVM exits as soon as this work returns
                            deleteQuietly(outDir);
                        }
                    }
                    return s;
                });
            }
            EvalCommand.printBadRows(err, summary.badRows());
            if (summary.cancelled()) {
                return Main.EXIT_CANCELLED;
            }
            return calibrate(policy, calibration, summary, stdout, err);
        } finally {
            if (out == null) {
                deleteTree(outDir);
            }
        }
    }

    private int calibrate(Policy policy, CalibrationConfig calibration, BatchSummary summary, PrintWriter stdout,
                          PrintWriter err) throws IOException {
        List<CalibrationRow> rows = new ArrayList<>();
        for (ResultRow r : summary.results()) {
            CalibrationRow c = CalibrationRow.of(r);
            if (c != null) {
                rows.add(c);
            }
        }
        int excluded = summary.results().size() - rows.size();
        if (excluded > 0) {
            err.println("calibrate: " + excluded + " row(s) without clause scores (parse failures) are left out");
        }
        CalibrationResult result = new Calibrator(calibration).calibrate(policy, runOptions.engine.defaultThreshold(), rows);

        stdout.println("calibrate: " + policyFile + " on " + data + " (engine " + runOptions.engine.kind().cliName()
                + ", default threshold " + runOptions.engine.defaultThreshold() + ")");
        stdout.print(result.render(CURVE_ROWS));
        if (curveFile != null) {
            AtomicFiles.writeString(curveFile, result.curveCsv());
            stdout.println("curve: " + result.curve().size() + " points written to " + curveFile);
        }
        if (worseOnHoldout(result)) {
            stdout.flush();
            err.println("calibrate: warning: the new thresholds do worse than the current ones on the held-out rows; "
                    + "the fit rows may be too few or unlike the held-out ones (see --dry-run, --holdout, --rounds 0)");
        }
        Map<String, Double> toWrite = new LinkedHashMap<>();
        for (Clause c : policy.clauses()) {
            double t = result.after().get(c.id());
            if (c.threshold() == null || Math.abs(c.threshold() - t) > 1e-9) {
                toWrite.put(c.id(), t);
            }
        }
        if (dryRun) {
            stdout.println("dry run: " + policyFile + " not changed (" + toWrite.size() + " threshold(s) would be written)");
        } else if (toWrite.isEmpty()) {
            stdout.println(policyFile + " already holds these thresholds; not changed");
        } else {
            CalibrationWriter.write(policyFile, policy, toWrite);
            stdout.println("wrote " + toWrite.size() + " threshold(s) to " + policyFile + " (comments and layout kept)");
        }
        stdout.flush();
        err.flush();
        return Main.EXIT_OK;
    }

    private static boolean worseOnHoldout(CalibrationResult r) {
        if (r.config().target().kind() == CalibrationTarget.Kind.F1) {
            return r.holdoutAfter().f1() < r.holdoutBefore().f1();
        }
        return r.holdoutAfter().recall() < r.holdoutBefore().recall() && r.holdoutAfter().fpr() >= r.holdoutBefore().fpr();
    }

}
