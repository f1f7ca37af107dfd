package org.rsafe.workspace;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.rsafe.eval.ColumnMapping;
import org.rsafe.eval.MetricsReport;
import org.rsafe.eval.ResultRow;
import org.rsafe.policy.Policy;
import org.rsafe.trace.EngineIdentity;

/**
 * The results of one policy version judged by one engine on one data set, as kept in a {@link RunStore}.
 *
 * @param dir           the run's folder (run.json, results.jsonl, report.json, report.md)
 * @param reused        true when the results were already stored and no row was judged now
 * @param policy        the policy version that was judged
 * @param engine        the engine that judged it
 * @param dataFile      the data file
 * @param datasetSha256 SHA-256 of the data file's bytes
 * @param mapping       the columns that were read
 * @param metrics       the run's metrics
 * @param results       every row's result, in data-set order
 */
public record StoredRun(Path dir, boolean reused, Policy policy, EngineIdentity engine, Path dataFile,
                        String datasetSha256, ColumnMapping mapping, MetricsReport metrics, List<ResultRow> results) {
    public StoredRun {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(dataFile, "dataFile");
        Objects.requireNonNull(datasetSha256, "datasetSha256");
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(metrics, "metrics");
        results = List.copyOf(results);
    }
}
