package org.rsafe.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.rsafe.policy.Policy;
import org.rsafe.trace.EngineIdentity;
import org.rsafe.trace.JudgementJson;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.Diagnostic;

/**
 * Writes the end-of-run reports of a batch run: {@code report.json} for programs (a fixed shape) and
 * {@code report.md} for people (metrics with their interval, confusion matrix, parse failures, per-clause table and
 * the worst mistakes with their ids and text).
 */
public final class ReportWriter {

    public static final String JSON_NAME = "report.json";
    public static final String MARKDOWN_NAME = "report.md";
    /** Mistakes listed per kind in report.md. */
    static final int TOP_MISTAKES = 10;

    private ReportWriter() { }

    /**
     * Everything a report states.
     *
     * @param datasetRows usable rows in the data file; with a limit, those read up to it (see {@link #readWholeFile})
     * @param limit       the row limit of the run (0 = none)
     * @param results     the covered rows' results in dataset order
     */
    public record Input(Policy policy, EngineIdentity engine, Path datasetPath, String datasetSha256, long datasetRows,
                        long limit, List<Diagnostic> badRows, ColumnMapping mapping, MetricsReport metrics,
                        List<ResultRow> results) {
        /** False when reading stopped at the limit, so the rows after it were neither read nor counted. */
        public boolean readWholeFile() {
            return limit <= 0 || datasetRows < limit;
        }

        public Input {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(engine, "engine");
            Objects.requireNonNull(datasetPath, "datasetPath");
            Objects.requireNonNull(datasetSha256, "datasetSha256");
            badRows = badRows == null ? List.of() : List.copyOf(badRows);
            Objects.requireNonNull(metrics, "metrics");
            results = List.copyOf(results);
        }
    }

    public static void write(Path outDir, Input in) throws IOException {
        AtomicFiles.writeString(outDir.resolve(JSON_NAME), json(in));
        AtomicFiles.writeString(outDir.resolve(MARKDOWN_NAME), markdown(in));
    }

    /**
     * The report.json object: {@code rows, parse_failures, error_rows, metrics{f1, precision, recall, accuracy, fpr,
     * kappa, mcc, f1_ci95}, per_clause, evidence{citations, stability, coverage}, engine, policy{id, version, sha256},
     * dataset{path, sha256, rows}}.
     */
    public static Map<String, Object> jsonMap(Input in) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", in.metrics().rows());
        m.put("parse_failures", in.metrics().parseFailures());
        m.put("error_rows", in.metrics().errorRows());
        m.put("metrics", in.metrics().toJsonMap());
        m.put("review", in.metrics().reviewJsonMap());
        m.put("per_clause", in.metrics().perClauseJsonMap());
        if (!in.metrics().categories().isIdentity()) {
            m.put("gold_categories", in.metrics().categories().toJsonMap());
        }
        m.put("evidence", evidence(in).toJsonMap());
        Map<String, Object> engine = new LinkedHashMap<>();
        engine.put("engine", in.engine().engine());
        engine.put("model_id", in.engine().modelId());
        engine.put("model_hash", in.engine().modelHash());
        engine.put("device", in.engine().device());
        engine.put("settings", in.engine().settings());
        m.put("engine", engine);
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("id", in.policy().id());
        policy.put("version", in.policy().version());
        policy.put("sha256", in.policy().sha256());
        if (in.policy().reviewBand() != null) {
            // With the engine's settings ("reviewBand") this says which band the run used.
            policy.put("review_band", in.policy().reviewBand());
        }
        m.put("policy", policy);
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("path", in.datasetPath().toString());
        dataset.put("sha256", in.datasetSha256());
        dataset.put("rows", in.datasetRows());
        dataset.put("read_whole_file", in.readWholeFile());
        m.put("dataset", dataset);
        return m;
    }

    public static String json(Input in) {
        try {
            return JudgementJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(jsonMap(in)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report is plain maps and numbers", e);
        }
    }

    public static String markdown(Input in) {
        MetricsReport mr = in.metrics();
        ConfusionMatrix cm = mr.cm();
        StringBuilder sb = new StringBuilder();
        sb.append("# Evaluation report\n\n");
        sb.append("- Policy: `").append(in.policy().id()).append("` version ").append(in.policy().version())
          .append(" (sha256 `").append(shortHash(in.policy().sha256())).append("`)")
          .append(in.policy().reviewBand() == null ? "" : ", review_band " + in.policy().reviewBand())
          .append('\n');
        sb.append("- Dataset: `").append(in.datasetPath()).append("` (sha256 `").append(shortHash(in.datasetSha256()))
          .append("`), ").append(in.datasetRows()).append(" usable rows");
        if (!in.readWholeFile()) {
            sb.append(" read: reading stopped at --limit ").append(in.limit());
        }
        if (!in.badRows().isEmpty()) {
            sb.append(", ").append(in.badRows().size()).append(" unusable rows skipped");
        }
        sb.append('\n');
        if (in.mapping() != null) {
            sb.append("- Columns: ").append(escape(in.mapping().describe())).append('\n');
        }
        EngineIdentity e = in.engine();
        sb.append("- Engine: ").append(e.engine());
        if (!e.modelId().isEmpty()) {
            sb.append(", model `").append(e.modelId()).append('`');
        }
        if (!e.device().isEmpty()) {
            sb.append(", device ").append(e.device());
        }
        if (!e.settings().isEmpty()) {
            sb.append(", settings ").append(escape(e.settings().toString()));
        }
        sb.append('\n');
        sb.append("- Rows: ").append(mr.rows()).append("; parse failures: ").append(mr.parseFailures())
          .append(String.format(Locale.ROOT, " (%.2f%%)", 100 * mr.parseFailureRate()))
          .append("; engine error rows (no output): ").append(mr.errorRows())
          .append(" — both counted here and left out of every metric below\n");
        if (mr.review().rows() > 0) {
            sb.append("- REVIEW: ").append(mr.review().rows()).append(" rows (").append(mr.review().unsafe())
              .append(" gold unsafe, ").append(mr.review().safe()).append(" gold safe), left to a person and out of the ")
              .append("confusion matrix; coverage (decided / rows) ").append(n4(mr.coverage())).append('\n');
        }
        sb.append('\n');

        List<String> evidence = evidence(in).lines();
        if (!evidence.isEmpty()) {
            sb.append("## Evidence\n\n");
            evidence.forEach(line -> sb.append("- ").append(escape(line)).append('\n'));
            sb.append('\n');
        }

        sb.append("## Metrics (positive class = unsafe; decided rows)\n\n");
        sb.append("| metric | value |\n|---|---|\n");
        double[] ci = mr.f1Ci95();
        sb.append("| F1 | ").append(n4(mr.f1())).append(" (95% CI ").append(n4(ci[0])).append("–").append(n4(ci[1]))
          .append(", bootstrap) |\n");
        sb.append("| precision | ").append(n4(mr.precision())).append(" |\n");
        sb.append("| recall | ").append(n4(mr.recall())).append(" |\n");
        sb.append("| accuracy | ").append(n4(mr.accuracy())).append(" |\n");
        sb.append("| false-positive rate | ").append(n4(mr.fpr())).append(" |\n");
        sb.append("| Cohen's kappa | ").append(n4(mr.kappa())).append(" |\n");
        sb.append("| MCC | ").append(n4(mr.mcc())).append(" |\n");
        sb.append("| coverage (decided / rows) | ").append(n4(mr.coverage())).append(" |\n");
        if (mr.review().rows() > 0) {
            ConfusionMatrix u = mr.reviewAsUnsafe();
            ConfusionMatrix sf = mr.reviewAsSafe();
            sb.append("| F1, REVIEW counted as unsafe | ").append(n4(u.f1())).append(" (FPR ").append(n4(u.fpr()))
              .append(") |\n");
            sb.append("| F1, REVIEW counted as safe | ").append(n4(sf.f1())).append(" (FPR ").append(n4(sf.fpr()))
              .append(") |\n");
        }
        sb.append('\n');

        sb.append("## Confusion matrix\n\n");
        sb.append("| | predicted unsafe | predicted safe |\n|---|---|---|\n");
        sb.append("| gold unsafe | ").append(cm.tp()).append(" | ").append(cm.fn()).append(" |\n");
        sb.append("| gold safe | ").append(cm.fp()).append(" | ").append(cm.tn()).append(" |\n\n");

        if (!mr.perClause().isEmpty()) {
            sb.append("## Per clause (one-vs-rest against the gold categories)\n\n");
            sb.append("| clause | support | tp | fp | fn | precision | recall | F1 |\n|---|---|---|---|---|---|---|---|\n");
            mr.perClause().forEach((id, c) -> sb.append("| ").append(escape(id)).append(" | ").append(c.support())
                    .append(" | ").append(c.cm().tp()).append(" | ").append(c.cm().fp()).append(" | ").append(c.cm().fn())
                    .append(" | ").append(n4(c.precision())).append(" | ").append(n4(c.recall())).append(" | ")
                    .append(n4(c.f1())).append(" |\n"));
            sb.append('\n');
            if (!mr.categories().isIdentity()) {
                sb.append(escape(mr.categories().describe())).append(".\n\n");
            }
        }

        List<ResultRow> fps = in.results().stream().filter(ResultRow::falsePositive)
                .sorted(Comparator.comparingDouble(ReportWriter::topScore).reversed()).limit(TOP_MISTAKES).toList();
        List<ResultRow> fns = in.results().stream().filter(ResultRow::falseNegative)
                .sorted(Comparator.comparingDouble(ReportWriter::topScore)).limit(TOP_MISTAKES).toList();
        mistakes(sb, "False positives (safe rows flagged), highest score first", cm.fp(), fps);
        mistakes(sb, "False negatives (unsafe rows passed), lowest score first", cm.fn(), fns);

        List<ResultRow> failures = in.results().stream().filter(r -> !r.parseOk()).limit(TOP_MISTAKES).toList();
        if (!failures.isEmpty()) {
            sb.append("## Parse failures (first ").append(failures.size()).append(" of ").append(mr.parseFailures())
              .append(")\n\n| id | row | text |\n|---|---|---|\n");
            for (ResultRow r : failures) {
                sb.append("| ").append(escape(r.id())).append(" | ").append(r.row()).append(" | ")
                  .append(escape(r.excerpt())).append(" |\n");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Citations, stability and coverage of the run's rows. */
    public static EvidenceReport evidence(Input in) {
        return EvidenceReport.of(in.policy(), in.results(), in.metrics().categories(), in.engine().samples());
    }

    private static void mistakes(StringBuilder sb, String title, int count, List<ResultRow> rows) {
        sb.append("## ").append(title).append("\n\n");
        if (rows.isEmpty()) {
            sb.append("None.\n\n");
            return;
        }
        sb.append("Showing ").append(rows.size()).append(" of ").append(count).append(".\n\n");
        sb.append("| id | row | flagged | top clause (score) | text |\n|---|---|---|---|---|\n");
        for (ResultRow r : rows) {
            String top = r.clauseScores().entrySet().stream().max(Map.Entry.comparingByValue())
                    .map(x -> x.getKey() + " (" + String.format(Locale.ROOT, "%.3f", x.getValue()) + ")").orElse("-");
            sb.append("| ").append(escape(r.id())).append(" | ").append(r.row()).append(" | ")
              .append(r.flagged().isEmpty() ? "-" : escape(String.join(", ", r.flagged()))).append(" | ")
              .append(escape(top)).append(" | ").append(escape(r.excerpt())).append(" |\n");
        }
        sb.append('\n');
    }

    private static double topScore(ResultRow r) {
        return r.clauseScores().values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /** Keeps table cells in one cell: pipes and line breaks would split them. */
    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    private static String n4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String shortHash(String h) {
        return h.length() > 16 ? h.substring(0, 16) : h;
    }
}
