package org.rsafe.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rsafe.eval.ColumnMapping;
import org.rsafe.eval.DatasetReader;
import org.rsafe.eval.Metrics;
import org.rsafe.eval.MetricsReport;
import org.rsafe.eval.PredictedRow;
import org.rsafe.eval.PredictionJoin;
import org.rsafe.eval.PredictionReader;
import org.rsafe.eval.CategoryMap;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.Hashing;
import org.rsafe.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rsafe metrics}: scores a predictions file against a gold-labelled dataset. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = {"Score predictions against gold labels (positive class = unsafe).",
            "Prints the confusion matrix, precision, recall, F1 with a bootstrap 95%% interval, accuracy, false-positive "
                + "rate, Cohen's kappa, MCC, the parse-failure rate, and per-clause metrics when the data has categories.",
            "PRED is CSV or JSONL with an id column, a verdict column (verdict/prediction/label) and optionally "
                + "flagged clauses; rows are joined on id."})
public final class MetricsCommand extends CliCommand {
    private static final int SHOW = 5;
    @Option(names = "--data", required = true, paramLabel = "GOLD", description = "Labelled dataset (CSV/TSV/JSONL/JSON, optionally .gz).")
    private Path data;

    @Option(names = "--pred", required = true, paramLabel = "PRED", description = "Predictions: id + verdict (+ flagged clauses).")
    private Path pred;

    @Option(names = "--json", description = "Print the result as JSON.")
    private boolean json;

    @Option(names = "--allow-missing", description = "Score the rows that have predictions even when some gold rows have none.")
    private boolean allowMissing;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Bootstrap seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--resamples", defaultValue = "1000", paramLabel = "N",
            description = "Bootstrap resamples for the F1 interval (default: ${DEFAULT-VALUE}).")
    private int resamples;

    @Option(names = "--policy", paramLabel = "P",
            description = "Policy the predictions come from: the data's category names are related to its clause ids "
                    + "and titles for the per-clause metrics (default: categories must be clause ids).")
    private Path policyFile;

    @Mixin
    private DataOptions dataOptions = new DataOptions();

    @Override
    public Integer call() {
        if (resamples < 1) {
            throw new UserException("--resamples must be at least 1");
        }
        PrintWriter out = out();
        PrintWriter err = err();
        List<PredictedRow> predicted = PredictionReader.read(pred);
        Gold gold;
        PredictionJoin.Result joined;
        // The gold rows stream through the join: only ids and labels are kept, never the texts.
        try (DatasetReader reader = DatasetReader.open(data, dataOptions.overrides(), dataOptions.badRowPolicy())) {
            if (!reader.mapping().labelled()) {
                throw new UserException(data + ": no label column found; name it with --label-col (or --flag-cols)");
            }
            joined = PredictionJoin.join(() -> reader, predicted);
            long goldRows = joined.predictions().size() + joined.missingIds().size() + joined.unlabelled();
            gold = new Gold(goldRows, reader.mapping(), reader.badRows(), Hashing.sha256(data));
        } catch (java.io.IOException e) {
            throw new UserException(data + ": cannot read: " + e.getMessage(), e);
        }
        reportBadRows(err, gold.badRows());
        if (!joined.missingIds().isEmpty() && !allowMissing) {
            throw new UserException(pred + ": " + joined.missingIds().size() + " gold row(s) have no prediction (first: "
                    + String.join(", ", first(joined.missingIds())) + "); score the others with --allow-missing");
        }
        if (joined.predictions().isEmpty()) {
            throw new UserException(pred + ": no prediction matches a labelled gold row by id");
        }
        if (!joined.unmatchedIds().isEmpty()) {
            err.println("rsafe: warning: " + joined.unmatchedIds().size() + " prediction(s) have ids not in " + data
                    + " and are ignored (first: " + String.join(", ", first(joined.unmatchedIds())) + ")");
        }
        CategoryMap categories = policyFile == null ? CategoryMap.IDENTITY
                : CategoryMap.resolve(PolicyLoader.loadOrThrow(policyFile), joined.predictions());
        MetricsReport report = Metrics.compute(joined.predictions(), seed, resamples, categories);
        if (json) {
            out.println(toJson(gold, joined, report));
        } else {
            out.println("gold:        " + data + " (" + gold.rows() + " rows; " + gold.mapping().describe() + ")");
            out.println("predictions: " + pred + " (" + predicted.size() + " rows)");
            out.println("missing predictions: " + joined.missingIds().size()
                    + (joined.missingIds().isEmpty() ? "" : " (left out)"));
            if (!gold.badRows().isEmpty()) {
                out.println("bad rows skipped: " + gold.badRows().size());
            }
            out.println("bootstrap: " + resamples + " resamples, seed " + seed);
            out.println();
            out.print(report.toTable());
        }
        out.flush();
        err.flush();
        return Main.EXIT_OK;
    }

    /** What the metrics say about the gold file, read in one streaming pass. */
    private record Gold(long rows, ColumnMapping mapping, List<Diagnostic> badRows, String sha256) { }

    private String toJson(Gold gold, PredictionJoin.Result joined, MetricsReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", data.toString());
        m.put("data_sha256", gold.sha256());
        m.put("pred", pred.toString());
        m.put("missing_predictions", joined.missingIds().size());
        m.put("unmatched_predictions", joined.unmatchedIds().size());
        m.put("unlabelled_rows", joined.unlabelled());
        m.put("bad_rows", gold.badRows().size());
        Map<String, Object> bootstrap = new LinkedHashMap<>();
        bootstrap.put("seed", seed);
        bootstrap.put("resamples", resamples);
        m.put("bootstrap", bootstrap);
        m.putAll(report.toFullJsonMap());
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metrics are plain maps and numbers", e);
        }
    }

    private void reportBadRows(PrintWriter err, List<Diagnostic> bad) {
        bad.stream().limit(SHOW).forEach(d -> err.println(d.format()));
        if (bad.size() > SHOW) {
            err.println("rsafe: " + (bad.size() - SHOW) + " more bad row(s) skipped");
        }
    }

    private static List<String> first(List<String> ids) {
        return ids.subList(0, Math.min(SHOW, ids.size()));
    }
}
