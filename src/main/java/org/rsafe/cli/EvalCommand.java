package org.rsafe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.rsafe.app.DataSettings;
import org.rsafe.app.Evaluation;
import org.rsafe.app.SampledEngine;
import org.rsafe.engine.Engine;
import org.rsafe.eval.BatchConfig;
import org.rsafe.eval.BatchListener;
import org.rsafe.eval.BatchProgress;
import org.rsafe.eval.BatchSummary;
import org.rsafe.eval.EvidenceReport;
import org.rsafe.eval.SliceReport;
import org.rsafe.util.Diagnostic;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rsafe eval}: judges every row of a labelled data set and writes results and reports to a folder. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Judge every row of a labelled data set with a guard engine and measure it against the gold labels.",
            "Results are appended to DIR/results.jsonl as they are produced; a run that is stopped (Ctrl-C, a crash, "
                + "kill -9) continues with --resume, skipping finished rows. At the end DIR/report.json and "
                + "DIR/report.md hold the metrics (unsafe-class F1 with a bootstrap 95%% interval, precision, recall, "
                + "accuracy, false-positive rate, kappa, MCC), parse failures and per-clause metrics.",
            "Columns are detected from the header and the first rows; fix them with --text-col, --label-col, ...",
            "Exit codes: 0 done, 2 a user mistake, 130 cancelled (results so far are kept)."})
public final class EvalCommand extends CliCommand {
    private static final int SHOW_BAD_ROWS = 5;
    @Mixin
    private PolicyDataOptions input = new PolicyDataOptions();

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder for run.json, results.jsonl, report.json, report.md "
                    + "(default: runs/<policy id>-<data file name>).")
    private Path out;

    @Option(names = "--resume", description = "Continue the run in --out: finished rows are skipped. Refused when the "
            + "policy, data file, engine or columns differ from the earlier run.")
    private boolean resume;

    @Option(names = "--limit", paramLabel = "N", description = "Judge only the first N usable rows; the file is read no further.")
    private Long limit;

    @Option(names = "--chunk", paramLabel = "N",
            description = "Rows judged and written to disk together (default: 32 for the quick engine; 8, one "
                    + "generation batch, for llm).")
    private Integer chunk;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the bootstrap interval of F1 (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--samples", paramLabel = "K", defaultValue = "1",
            description = "Judge every row K times with the engine's sampling, in one batched generation per chunk, "
                    + "and report the share of unstable rows (default: ${DEFAULT-VALUE}; greedy and quick engines are "
                    + "stable by construction and are judged once).")
    private int samples;

    @Option(names = "--slice-by", paramLabel = "COLUMN",
            description = "Also give the metrics, with bootstrap intervals, per value of this column of the data "
                    + "(e.g. the categories column, an adversarial flag, a language column); 'language' without such a "
                    + "column guesses each text's language. Written to slices.json.")
    private String sliceBy;

    @Option(names = "--json", description = "Print report.json instead of the metrics table.")
    private boolean json;

    @Mixin
    private DatasetRunOptions runOptions = new DatasetRunOptions();

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = out();
        PrintWriter err = err();
        Policy policy = PolicyLoader.loadOrThrow(input.policyFile);
        Path outDir = out != null ? out : Evaluation.defaultOutDir(policy, input.data);
        DataSettings settings = runOptions.data.settings(input.data, limit, chunk, seed);
        Evaluation.Columns columns = detect(settings, err, "eval");

        if (sliceBy != null) {
            Evaluation.checkSliceColumn(settings, columns.mapping(), sliceBy);
        }
        BatchSummary summary;
        boolean engineSamples;
        try (Engine engine = SampledEngine.over(runOptions.engine.create(), samples)) {
            engineSamples = engine.identity().samples();
            Evaluation.Request request = new Evaluation.Request(policy, settings, columns.mapping(), outDir, resume);
            summary = CtrlC.cancels(cancel -> {
                BatchSummary s = Evaluation.run(engine, request, runOptions.progress(err, "eval"), cancel);
                if (s.cancelled()) {
                    err.println("rsafe: " + s.cancelMessage() + " (results kept in " + s.outDir() + ")");
                    err.flush();
                }
                return s;
            });
        }
        printBadRows(err, summary.badRows());
        if (summary.cancelled()) {
            return Main.EXIT_CANCELLED;
        }
        SliceReport slices = sliceBy == null ? null
                : Evaluation.slices(new Evaluation.Request(policy, settings, columns.mapping(), outDir, resume), summary,
                        sliceBy);
        BatchConfig written = BatchConfig.of(input.data, outDir);
        if (json) {
            stdout.print(Files.readString(written.reportJson()));
        } else {
            stdout.printf(Locale.ROOT, "eval: %d rows (%d judged now, %d from the earlier run) in %.1f s%n",
                    summary.rows(), summary.judged(), summary.resumed(), summary.elapsed().toMillis() / 1000.0);
            stdout.println("policy: " + input.policyFile + " (" + policy.id() + " " + policy.version() + ")");
            boolean whole = limit == null || limit <= 0 || summary.datasetRows() < limit;
            stdout.println("data:   " + input.data + " (" + summary.datasetRows() + " usable rows"
                    + (whole ? "" : " read, up to --limit") + "; "
                    + summary.mapping().describe() + ")");
            stdout.println();
            stdout.print(summary.metrics().toTable());
            EvidenceReport.of(policy, summary.results(), summary.metrics().categories(), engineSamples).lines()
                    .forEach(line -> stdout.println(line));
            if (slices != null) {
                stdout.println();
                stdout.print(slices.toTable());
            }
            stdout.println();
            stdout.println("wrote " + written.resultsFile() + ", " + written.reportJson() + ", "
                    + written.reportMarkdown());
        }
        stdout.flush();
        return Main.EXIT_OK;
    }

    /** Detects the columns once, before any engine work, printing why each was chosen. */
    static Evaluation.Columns detect(DataSettings settings, PrintWriter err, String prefix) {
        Evaluation.Columns columns = Evaluation.detect(settings);
        for (String note : columns.notes()) {
            err.println(prefix + ": " + note);
        }
        err.flush();
        return columns;
    }

    static void printBadRows(PrintWriter err, List<Diagnostic> bad) {
        bad.stream().limit(SHOW_BAD_ROWS).forEach(d -> err.println(d.format()));
        if (bad.size() > SHOW_BAD_ROWS) {
            err.println("rsafe: " + (bad.size() - SHOW_BAD_ROWS) + " more unusable row(s) skipped");
        }
        err.flush();
    }

    /** Prints a batch run's progress to stderr, one line every two seconds at most, so logs stay short. */
    static final class ProgressPrinter implements BatchListener {
        private static final long INTERVAL_NANOS = 2_000_000_000L;

        private final PrintWriter err;
        private final String prefix;
        private final boolean quiet;
        private long lastPrinted;
        private long lastDone = -1;
        private long printedDone = -1;

        ProgressPrinter(PrintWriter err, String prefix, boolean quiet) {
            this.err = err;
            this.prefix = prefix;
            this.quiet = quiet;
        }

        @Override
        public void onProgress(BatchProgress p) {
            if (lastDone < 0 && p.skippedResumed() > 0) {
                err.println(prefix + ": resuming: " + p.skippedResumed() + " of " + p.total()
                        + " rows were finished earlier and are skipped");
            }
            long now = System.nanoTime();
            boolean finished = p.total() >= 0 && p.done() >= p.total();
            boolean due = lastDone < 0 || now - lastPrinted >= INTERVAL_NANOS || (finished && p.done() != printedDone);
            if (!quiet && due) {
                err.println(prefix + ": " + p.render());
                lastPrinted = now;
                printedDone = p.done();
            }
            lastDone = p.done();
            err.flush();
        }
    }
}
