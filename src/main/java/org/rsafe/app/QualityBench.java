package org.rsafe.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.eval.BadRowPolicy;
import org.rsafe.eval.Dataset;
import org.rsafe.eval.DatasetReader;
import org.rsafe.eval.LabelledRow;
import org.rsafe.eval.MappingOverrides;
import org.rsafe.eval.Metrics;
import org.rsafe.eval.MetricsReport;
import org.rsafe.eval.Prediction;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyEditor;
import org.rsafe.policy.PolicyLoadResult;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.Verdict;
import org.rsafe.util.UserException;

/**
 * The quick engine's quality and teach measurements, for {@code rsafe bench targets} and {@code rsafe bench teach}:
 * the issue-16 figures of every steerability suite and shared set in one run, and how fast a taught example flips
 * the rows it concerns. Judges in memory (no run folder); the embedding cache makes reruns cheap.
 */
public final class QualityBench {
    private QualityBench() { }

    /** One policy on one labelled set. */
    public record Suite(String name, Path policy, Path data) { }

    /** What one suite measured. */
    public record Measured(Suite suite, MetricsReport metrics, double seconds) { }

    /** The steerability suites under {@code dir} (every {@code X.yaml} with an {@code X.csv} beside it), by name. */
    public static List<Suite> steerabilitySuites(Path dir) {
        List<Suite> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().forEach(yaml -> {
                String name = yaml.getFileName().toString().replaceFirst("\\.yaml$", "");
                Path csv = yaml.resolveSibling(name + ".csv");
                if (Files.isRegularFile(csv)) {
                    out.add(new Suite(name, yaml, csv));
                }
            });
        } catch (java.io.IOException e) {
            throw new UserException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Judges every row of {@code suite} with {@code engine} and measures it against the gold labels. */
    public static Measured measure(Engine engine, Suite suite, Cancellation cancellation) {
        Policy policy = PolicyLoader.loadOrThrow(suite.policy());
        List<LabelledRow> rows = DatasetReader.readAll(suite.data(), MappingOverrides.NONE, BadRowPolicy.SKIP).rows()
                .stream().filter(LabelledRow::labelled).toList();
        long t0 = System.nanoTime();
        List<Judgement> judged = judge(engine, policy, rows, cancellation);
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Prediction> predictions = new ArrayList<>();
        for (int i = 0; i < judged.size(); i++) {
            LabelledRow r = rows.get(i);
            predictions.add(new Prediction(r.id(), r.gold(), judged.get(i).verdict(), r.categories(),
                    judged.get(i).flaggedClauses()));
        }
        return new Measured(suite, Metrics.compute(predictions, 42, policy), seconds);
    }

    private static List<Judgement> judge(Engine engine, Policy policy, List<LabelledRow> rows, Cancellation cancellation) {
        List<JudgeRequest> requests = new ArrayList<>(rows.size());
        for (LabelledRow r : rows) {
            requests.add(new JudgeRequest(r.id(), policy, r.prompt(), r.response(), TemplateKind.PAPER));
        }
        return engine.judgeBatch(requests, JudgeListener.NONE, cancellation);
    }

    /**
     * What teaching one example did: the row taught (a safe row the engine flagged or left to review), the clause it
     * was added to, its verdict before and after, the time to judge the rows again with the edited policy, and how
     * many verdicts changed.
     */
    public record Taught(int rows, LabelledRow row, String clauseId, Verdict before, Verdict after, double coldSeconds,
                         double rejudgeSeconds, int changed, int fixed, int broken) { }

    /**
     * Judges the first {@code limit} rows of {@code data} under {@code policyFile}, takes the first gold-safe row that
     * was flagged (else left to review), adds it as a safe example of its highest-scoring clause
     * ({@link PolicyEditor#addExample}, as the GUI's "Add as example" does), and judges all rows again.
     */
    public static Taught teach(Engine engine, Path policyFile, Path data, int limit, Consumer<String> progress,
                               Cancellation cancellation) {
        Policy policy = PolicyLoader.loadOrThrow(policyFile);
        Dataset all = DatasetReader.readAll(data, MappingOverrides.NONE, BadRowPolicy.SKIP);
        List<LabelledRow> rows = all.rows().subList(0, Math.min(limit, all.rows().size()));
        progress.accept("judging " + rows.size() + " rows");
        long t0 = System.nanoTime();
        List<Judgement> before = judge(engine, policy, rows, cancellation);
        double cold = (System.nanoTime() - t0) / 1e9;
        int pick = -1;
        for (Verdict wanted : List.of(Verdict.UNSAFE, Verdict.REVIEW)) {
            for (int i = 0; i < rows.size() && pick < 0; i++) {
                if (rows.get(i).gold() == Verdict.SAFE && before.get(i).verdict() == wanted) {
                    pick = i;
                }
            }
        }
        if (pick < 0) {
            throw new UserException(data + ": no safe row among the first " + rows.size()
                    + " is flagged or left to review; nothing to teach");
        }
        LabelledRow row = rows.get(pick);
        Judgement j = before.get(pick);
        String clause = j.clauseScores().entrySet().stream().max(java.util.Map.Entry.comparingByValue())
                .map(java.util.Map.Entry::getKey).orElse(policy.clauses().stream().map(Clause::id).findFirst().orElseThrow());
        String text = row.response() == null || row.response().isBlank() ? row.prompt() : row.response();
        PolicyEditor.Insertion ins = PolicyEditor.addExample(policy, clause, false, text);
        PolicyLoadResult edited = PolicyLoader.parse(policyFile.toString(), ins.text());
        progress.accept("row " + row.rowNumber() + " added as a safe example of " + clause + "; judging again");
        long t1 = System.nanoTime();
        List<Judgement> after = judge(engine, edited.policy(), rows, cancellation);
        double again = (System.nanoTime() - t1) / 1e9;
        int changed = 0;
        int fixed = 0;
        int broken = 0;
        for (int i = 0; i < rows.size(); i++) {
            Verdict a = before.get(i).verdict();
            Verdict b = after.get(i).verdict();
            if (a != b) {
                changed++;
                Verdict gold = rows.get(i).gold();
                if (b == gold) {
                    fixed++;
                } else if (a == gold) {
                    broken++;
                }
            }
        }
        return new Taught(rows.size(), row, clause, j.verdict(), after.get(pick).verdict(), cold, again, changed, fixed,
                broken);
    }
}
