package org.rsafe.eval;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.rsafe.util.Diagnostic;

/**
 * How a batch run ended.
 *
 * @param outDir        the run's folder
 * @param rows          rows the run covers (the dataset's usable rows, or the first {@code limit} of them)
 * @param done          rows with a result when the run ended (all of {@code rows} unless cancelled)
 * @param judged        rows judged in this session
 * @param resumed       rows taken over from an earlier run
 * @param datasetRows   usable rows in the whole data file
 * @param parseFailures rows (of those done) whose output held no verdict
 * @param errorRows     rows (of those done) for which the engine gave no output (a server that kept failing)
 * @param badRows       rows of the data file that were skipped as unusable
 * @param tornBytes     bytes of a torn last line removed from results.jsonl on resume (0 normally)
 * @param cancelled     true when cancelled: results so far are kept, no report was written
 * @param elapsed       wall time of this session
 * @param mapping       the columns that were read
 * @param metrics       the metrics of all covered rows; null when cancelled
 * @param results       every covered row's result in dataset order (when cancelled: those read before the stop)
 */
public record BatchSummary(java.nio.file.Path outDir, long rows, long done, long judged, long resumed, long datasetRows,
                           long parseFailures, long errorRows, List<Diagnostic> badRows, long tornBytes, boolean cancelled,
                           Duration elapsed, ColumnMapping mapping, MetricsReport metrics, List<ResultRow> results) {

    public BatchSummary {
        Objects.requireNonNull(outDir, "outDir");
        badRows = badRows == null ? List.of() : List.copyOf(badRows);
        Objects.requireNonNull(elapsed, "elapsed");
        results = List.copyOf(results);
    }

    /** The line shown when a run was cancelled. */
    public String cancelMessage() {
        return "cancelled after " + done + " rows; rerun with --resume to continue";
    }
}
