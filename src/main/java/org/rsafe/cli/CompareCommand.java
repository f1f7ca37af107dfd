package org.rsafe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rsafe.app.Comparison;
import org.rsafe.app.DataSettings;
import org.rsafe.app.Evaluation;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoadResult;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.util.UserException;
import org.rsafe.workspace.DiffRow;
import org.rsafe.workspace.FlipTraces;
import org.rsafe.workspace.MetricDelta;
import org.rsafe.workspace.PolicyDiff;
import org.rsafe.workspace.PolicyVersion;
import org.rsafe.workspace.RegressionGate;
import org.rsafe.workspace.RunComparison;
import org.rsafe.workspace.StoredRun;
import org.rsafe.workspace.TextDiff;
import org.rsafe.workspace.VerdictFlip;
import org.rsafe.workspace.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rsafe compare}: two versions of a policy (files or saved versions) compared as text, as policy structure,
 * and — with {@code --data} — by judging the same data set with each, with an optional regression gate for CI.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare two versions of a policy: what changed (clauses added, removed, renamed; per-field "
                + "changes), and with --data how the verdicts and metrics changed on the same data set.",
            "A and B are files (--policy-a/--policy-b) or saved versions (--rev-a/--rev-b: v1, v2, …, latest, HEAD~1, "
                + "a revision id) of --policy (default: the other side's file). B defaults to the current text of "
                + "--policy.",
            "Runs are stored under WORKSPACE/.rsafe/runs and reused when the policy text, engine and data are the same.",
            "--fail-on-regression takes name=limit pairs: f1, precision, recall, accuracy (largest drop allowed), fpr, "
                + "parse-failures (largest rise allowed), new-fn, new-fp, flips (most rows allowed).",
            "Exit codes: 0 done (gates held), 1 a gate was broken, 2 a user mistake."})
public final class CompareCommand extends CliCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());
    @Option(names = "--policy-a", paramLabel = "FILE", description = "Version A as a file.")
    private Path policyA;

    @Option(names = "--rev-a", paramLabel = "REV", description = "Version A as a saved version of --policy.")
    private String revA;

    @Option(names = "--policy-b", paramLabel = "FILE", description = "Version B as a file.")
    private Path policyB;

    @Option(names = "--rev-b", paramLabel = "REV", description = "Version B as a saved version of --policy.")
    private String revB;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "The policy file whose saved versions --rev-a/--rev-b name (default: --policy-b, else "
                    + "--policy-a); also version B when neither --policy-b nor --rev-b is given.")
    private Path policy;

    @Option(names = "--workspace", paramLabel = "DIR",
            description = "Workspace folder for saved versions and stored runs (default: the git repository holding "
                    + "the policy file, else its folder).")
    private Path workspace;

    @Option(names = "--data", paramLabel = "D", description = "Labelled data set to judge with both versions.")
    private Path data;

    @Option(names = "--limit", paramLabel = "N", description = "Judge only the first N usable rows.")
    private Long limit;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the bootstrap intervals (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--fail-on-regression", paramLabel = "GATES",
            description = "Exit with 1 when B regresses beyond these limits, e.g. f1=0.01,new-fn=0.")
    private String failOnRegression;

    @Option(names = "--text", description = "Also print the side-by-side text diff.")
    private boolean text;

    @Option(names = "--flips", paramLabel = "N", defaultValue = "20",
            description = "List at most N verdict flips (default: ${DEFAULT-VALUE}).")
    private int maxFlips;

    @Option(names = "--traces", paramLabel = "N", defaultValue = "0",
            description = "Judge the first N flipped rows again and print both traces side by side.")
    private int traces;

    @Option(names = "--width", paramLabel = "COLS", defaultValue = "120",
            description = "Output width for side-by-side text (default: ${DEFAULT-VALUE}).")
    private int width;

    @Mixin
    private DatasetRunOptions runOptions = new DatasetRunOptions();

    /** One side of the comparison, loaded. */
    private record Side(String label, String fileName, String text, Policy policy) { }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = out();
        PrintWriter err = err();
        if (policyA != null && revA != null || policyB != null && revB != null) {
            throw new UserException("give each version once: --policy-a or --rev-a, --policy-b or --rev-b");
        }
        if (policyA == null && revA == null) {
            throw new UserException("no version A: give --policy-a FILE or --rev-a REV");
        }
        if (maxFlips < 0 || traces < 0 || width < 40) {
            throw new UserException("--flips and --traces must be 0 or more, --width at least 40");
        }
        RegressionGate gate = failOnRegression == null ? null : RegressionGate.parse(failOnRegression);
        if (gate != null && data == null) {
            throw new UserException("--fail-on-regression needs --data: gates are about results on a data set");
        }
        Path versioned = policy != null ? policy : policyB != null ? policyB : policyA;
        if ((revA != null || revB != null) && versioned == null) {
            throw new UserException("--rev-a/--rev-b name saved versions of a file: give it with --policy FILE");
        }
        if (policyB == null && revB == null && policy == null) {
            throw new UserException("no version B: give --policy-b FILE, --rev-b REV, or --policy FILE (its current text)");
        }

        Side a;
        Side b;
        Workspace ws = null;
        try {
            if (revA != null || revB != null) {
                ws = workspace != null ? Workspace.findExisting(workspace).orElse(null) : Workspace.findExisting(versioned).orElse(null);
                if (ws == null) {
                    throw new UserException(versioned + " has no saved versions (it is not in a workspace); save one "
                            + "with 'rsafe version save " + versioned + "'");
                }
            }
            a = revA != null ? fromRevision(ws, versioned, revA) : fromFile(policyA);
            b = revB != null ? fromRevision(ws, versioned, revB) : fromFile(policyB != null ? policyB : policy);
        } finally {
            if (ws != null) {
                ws.close();
            }
        }

        out.println("A: " + a.label);
        out.println("B: " + b.label);
        out.println();
        printStructure(out, a, b);
        List<DiffRow> rows = TextDiff.sideBySide(a.text, b.text);
        printTextSummary(out, rows);
        if (text && TextDiff.hasChanges(rows)) {
            out.println();
            SideBySide.printDiff(out, rows, width, 2);
        }
        out.flush();
        if (data == null) {
            return Main.EXIT_OK;
        }

        Path root = Workspace.locate(versioned != null ? versioned : policyB, workspace);
        DataSettings settings = runOptions.data.settings(data, limit, null, seed);
        Evaluation.Columns columns = EvalCommand.detect(settings, err, "compare");
        Comparison.Request request = new Comparison.Request(a.policy, b.policy, settings, columns.mapping(), root,
                traces);
        EvalCommand.ProgressPrinter progressA = runOptions.progress(err, "compare A");
        EvalCommand.ProgressPrinter progressB = runOptions.progress(err, "compare B");
        Comparison.Result result;
        try (Engine engine = runOptions.engine.create()) {
            result = Comparison.run(engine, request,
                    p -> (p.side() == Comparison.Side.A ? progressA : progressB).onProgress(p.batch()),
                    Cancellation.none());
        }
        RunComparison comparison = result.comparison();
        out.println();
        printRuns(out, comparison, root);
        out.println();
        printMetrics(out, comparison);
        out.println();
        printFlips(out, comparison);
        for (FlipTraces t : result.traces()) {
            out.println();
            out.println("Row " + t.flip().row() + " (" + t.flip().id() + "), gold " + t.flip().gold().label() + ", "
                    + t.flip().direction() + ":");
            SideBySide.printColumns(out, "A: " + t.a().verdict().label() + " " + t.a().flaggedClauses(),
                    t.a().rawOutput(), "B: " + t.b().verdict().label() + " " + t.b().flaggedClauses(),
                    t.b().rawOutput(), width);
        }
        int exit = Main.EXIT_OK;
        if (gate != null) {
            out.println();
            out.println("Gates (--fail-on-regression " + gate + "):");
            List<RegressionGate.Check> checks = gate.check(comparison);
            long broken = checks.stream().filter(c -> !c.passed()).count();
            for (RegressionGate.Check c : checks) {
                out.println((c.passed() ? "  ok      " : "  BROKEN  ") + c.message());
            }
            if (broken > 0) {
                err.println("rsafe: " + broken + " regression gate(s) broken");
                exit = Main.EXIT_FINDINGS;
            } else {
                out.println("all gates held");
            }
        }
        out.flush();
        err.flush();
        return exit;
    }

    private static Side fromFile(Path file) {
        String content;
        try {
            content = org.rsafe.util.BoundedFiles.readUtf8(file, org.rsafe.util.BoundedFiles.POLICY_BYTES, "a policy file");
        } catch (NoSuchFileException e) {
            throw new UserException(file + ": no such file");
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Policy p = parse(file.toString(), content);
        return new Side(file + " — " + describe(p), file.getFileName().toString(), content, p);
    }

    private static Side fromRevision(Workspace ws, Path file, String rev) {
        PolicyVersion v = ws.resolve(file, rev);
        String content = ws.showAt(file, rev);
        String name = file.getFileName() + "@" + v.label();
        Policy p = parse(name, content);
        return new Side(file + " @ " + v.label() + " (" + v.shortId() + ", " + TIME.format(v.time()) + ", \""
                + v.summary() + "\") — " + describe(p), name, content, p);
    }

    private static Policy parse(String name, String content) {
        PolicyLoadResult r = PolicyLoader.parse(name, content);
        if (!r.ok()) {
            throw new UserException(r.errors());
        }
        return r.policy();
    }

    private static String describe(Policy p) {
        return p.id() + " " + p.version() + ", " + p.clauses().size() + " clauses";
    }

    private static void printStructure(PrintWriter out, Side a, Side b) {
        PolicyDiff diff = PolicyDiff.between(a.policy, b.policy);
        out.println("Policy changes: " + diff.summary());
        diff.describe().forEach(line -> out.println("  " + line));
    }

    private static void printTextSummary(PrintWriter out, List<DiffRow> rows) {
        long changed = rows.stream().filter(r -> r.kind() == DiffRow.Kind.CHANGED).count();
        long added = rows.stream().filter(r -> r.kind() == DiffRow.Kind.ADDED).count();
        long removed = rows.stream().filter(r -> r.kind() == DiffRow.Kind.REMOVED).count();
        if (changed + added + removed == 0) {
            out.println("Text: identical");
        } else {
            out.printf(Locale.ROOT, "Text: %d line(s) changed, %d added, %d removed%n", changed, added, removed);
        }
    }

    private static void printRuns(PrintWriter out, RunComparison c, Path root) {
        StoredRun a = c.a();
        out.println("Run: " + a.dataFile() + " (" + c.pairedRows() + " rows), engine " + engineLine(a));
        for (StoredRun r : List.of(c.a(), c.b())) {
            String which = r == c.a() ? "A" : "B";
            Path shown = r.dir().startsWith(root) ? root.relativize(r.dir()) : r.dir();
            out.println("  " + which + ": " + (r.reused() ? "reused stored results " : "judged now, stored in ") + shown);
        }
    }

    private static String engineLine(StoredRun r) {
        var e = r.engine();
        StringBuilder sb = new StringBuilder(e.engine());
        if (!e.modelId().isEmpty()) {
            sb.append(" (").append(e.modelId()).append(')');
        }
        Map<String, String> s = e.settings();
        if (s.containsKey("defaultThreshold")) {
            sb.append(", threshold ").append(s.get("defaultThreshold"));
        }
        return sb.toString();
    }

    private static void printMetrics(PrintWriter out, RunComparison c) {
        out.printf(Locale.ROOT, "%-19s %8s %-18s %8s %-18s %8s %-19s%n", "metric", "A", "  95% CI", "B", "  95% CI",
                "B−A", "  95% CI of B−A");
        for (MetricDelta d : c.deltas()) {
            String note = d.delta() == 0 ? "" : d.worse() ? (d.significant() ? "  worse" : "  worse (within noise)")
                    : (d.significant() ? "  better" : "  better (within noise)");
            out.printf(Locale.ROOT, "%-19s %8.4f %-18s %8.4f %-18s %+8.4f %-19s%s%n", d.metric(), d.a(),
                    "  " + ci(d.ciA().lo(), d.ciA().hi()), d.b(), "  " + ci(d.ciB().lo(), d.ciB().hi()), d.delta(),
                    "  " + ci(d.deltaCi().lo(), d.deltaCi().hi()), note);
        }
    }

    private static String ci(double lo, double hi) {
        return String.format(Locale.ROOT, "[%.3f, %.3f]", lo, hi);
    }

    private void printFlips(PrintWriter out, RunComparison c) {
        List<VerdictFlip> flips = c.flips();
        if (flips.isEmpty()) {
            out.println("Verdict flips: none");
            return;
        }
        StringBuilder counts = new StringBuilder();
        for (VerdictFlip.Effect e : VerdictFlip.Effect.values()) {
            int n = c.flips(e).size();
            if (n > 0) {
                counts.append(counts.length() == 0 ? "" : ", ").append(n).append(' ').append(e.label());
            }
        }
        out.println("Verdict flips: " + flips.size() + " (" + counts + ")");
        out.printf(Locale.ROOT, "  %-5s %-12s %-6s %-15s %-21s %-25s %s%n", "row", "id", "gold", "A→B", "effect",
                "flagged A | B", "text");
        for (VerdictFlip f : flips.subList(0, Math.min(maxFlips, flips.size()))) {
            String flagged = (f.flaggedA().isEmpty() ? "-" : String.join(",", f.flaggedA())) + " | "
                    + (f.flaggedB().isEmpty() ? "-" : String.join(",", f.flaggedB()));
            out.printf(Locale.ROOT, "  %-5d %-12s %-6s %-15s %-21s %-25s %s%n", f.row(), SideBySide.fit(f.id(), 12),
                    f.gold().label(), f.direction(), f.effect().label(), SideBySide.fit(flagged, 25),
                    SideBySide.fit(f.excerpt(), 60));
        }
        if (flips.size() > maxFlips) {
            out.println("  … " + (flips.size() - maxFlips) + " more (--flips N to list more)");
        }
    }
}
