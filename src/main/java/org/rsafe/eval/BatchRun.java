package org.rsafe.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.engine.EngineThreadGuard;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.policy.Policy;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.trace.Judgement;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.Hashing;
import org.rsafe.util.UserException;

/**
 * Judges every row of a labelled data file with an engine, appending each chunk's results to
 * {@code results.jsonl} as soon as it is judged, and at the end writes {@code report.json} and {@code report.md}.
 * A run killed at any point can be resumed: finished rows are skipped, none is lost or judged twice.
 *
 * <p>One run at a time per output folder. Runs on the caller's thread (never the JavaFX thread); progress goes to
 * the listener after every chunk; cancellation stops between chunks (or inside one, when the engine checks it),
 * keeping every result already written.
 */
public final class BatchRun {

    /** Runs the batch; see the class comment. User mistakes (bad files, a mismatched resume) throw {@link UserException}. */
    public BatchSummary run(Engine engine, Policy policy, BatchConfig config, BatchListener listener, Cancellation cancellation) {
        return run(engine, policy, config, null, listener, cancellation);
    }

    /**
     * As above, for a caller that has already hashed the data file: {@code dataSha256} is recorded as the file's
     * SHA-256 instead of hashing it again (null: hash it while the rows are counted).
     */
    public BatchSummary run(Engine engine, Policy policy, BatchConfig config, String dataSha256, BatchListener listener,
                            Cancellation cancellation) {
        EngineThreadGuard.assertNotFxThread();
        listener = listener == null ? BatchListener.NONE : listener;
        cancellation = cancellation == null ? Cancellation.none() : cancellation;
        long started = System.nanoTime();
        try {
            return execute(engine, policy, config, dataSha256, listener, cancellation, started);
        } catch (IOException e) {
            throw new UserException("cannot write the run's files in " + config.outDir() + ": " + e.getMessage(), e);
        }
    }

    private BatchSummary execute(Engine engine, Policy policy, BatchConfig config, String knownSha, BatchListener listener,
                                 Cancellation cancellation, long started) throws IOException {
        Path data = config.dataFile();
        // Counting pass, the first of the two reads of the file: it settles the columns, gives the total for
        // progress, reports bad rows (or fails on one) before any engine work and hashes the file on the way.
        ColumnMapping mapping;
        long datasetRows = 0;
        long selected = 0;
        long lastSelectedRow = 0;
        List<Diagnostic> badRows;
        String datasetSha;
        try (DatasetReader counter = knownSha == null
                ? DatasetReader.openHashing(data, config.mappingOrNull(), config.overrides(), config.badRows())
                : open(config, config.mappingOrNull())) {
            mapping = counter.mapping();
            if (!mapping.labelled()) {
                throw new UserException(data + ": no label column found; name it with --label-col (or --flag-cols)");
            }
            while (counter.hasNext()) {
                LabelledRow row = counter.next();
                datasetRows++;
                selected++;
                lastSelectedRow = row.rowNumber();
                if (config.limit() > 0 && selected == config.limit()) {
                    // --limit limits reading: the rows after the selection are neither parsed nor counted (the
                    // file's bytes are still hashed, which reads them raw, without inflating or decoding them).
                    counter.stopReading();
                    break;
                }
            }
            badRows = counter.badRows();
            datasetSha = knownSha != null ? knownSha : counter.fileSha256();
        }
        if (datasetRows == 0) {
            throw new UserException(data + ": no usable rows" + (badRows.isEmpty() ? ""
                    : "; all " + badRows.size() + " rows were unusable, the first because: " + badRows.get(0).format()));
        }
        BatchRunManifest manifest = new BatchRunManifest(policy.id(), policy.version(), policy.sha256(), data.toString(),
                datasetSha, engine.identity(), mapping.describe());
        BatchRunResults.Loaded earlier = prepareOutDir(config, manifest);
        // The selection is every usable row up to the last one selected, and the earlier run (same file, same
        // columns, as its manifest says) holds usable rows only, so this counts its rows inside the selection.
        long last = lastSelectedRow;
        long resumedInSelection = earlier.rows().keySet().stream().filter(n -> n <= last).count();

        Progress progress = new Progress(selected, resumedInSelection, listener);
        progress.report();
        TreeMap<Long, ResultRow> done = new TreeMap<>();
        boolean cancelled = false;
        try (DatasetReader reader = open(config, mapping);
             BatchRunResults out = BatchRunResults.openForAppend(config.resultsFile())) {
            List<LabelledRow> chunk = new ArrayList<>(config.chunkSize());
            long taken = 0;
            while (taken < selected && reader.hasNext()) {
                LabelledRow row = reader.next();
                taken++;
                ResultRow prior = earlier.rows().get(row.rowNumber());
                if (prior != null) {
                    done.put(row.rowNumber(), prior);
                    continue;
                }
                chunk.add(row);
                if (chunk.size() == config.chunkSize()) {
                    if (!judgeChunk(engine, policy, chunk, out, done, listener, progress, cancellation)) {
                        cancelled = true;
                        break;
                    }
                    chunk.clear();
                }
            }
            if (!cancelled && !chunk.isEmpty()) {
                cancelled = !judgeChunk(engine, policy, chunk, out, done, listener, progress, cancellation);
            }
        }

        List<ResultRow> results = List.copyOf(done.values());
        long parseFailures = results.stream().filter(ResultRow::parseFailure).count();
        long errorRows = results.stream().filter(ResultRow::engineError).count();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        if (cancelled) {
            // rows of the earlier run that the stream had not reached yet are done too
            return new BatchSummary(config.outDir(), selected, resumedInSelection + progress.judged, progress.judged,
                    resumedInSelection, datasetRows, parseFailures, errorRows, badRows, earlier.tornBytesRemoved(), true,
                    elapsed, mapping, null, results);
        }
        MetricsReport metrics = Metrics.compute(Metrics.predictions(results), config.seed(), policy);
        ReportWriter.write(config.outDir(), new ReportWriter.Input(policy, engine.identity(), data, datasetSha,
                datasetRows, config.limit(), badRows, mapping, metrics, results));
        progress.report();
        return new BatchSummary(config.outDir(), selected, results.size(), progress.judged, resumedInSelection,
                datasetRows, parseFailures, errorRows, badRows, earlier.tornBytesRemoved(), false, elapsed, mapping, metrics,
                results);
    }

    private static DatasetReader open(BatchConfig config, ColumnMapping mapping) {
        return mapping != null
                ? DatasetReader.open(config.dataFile(), mapping, config.badRows())
                : DatasetReader.open(config.dataFile(), config.overrides(), config.badRows());
    }

    /**
     * Refuses to mix runs: without resume an output folder with results is left alone; with resume the earlier
     * run's manifest must match. Writes the manifest for a new run and removes a report that would be stale.
     */
    private static BatchRunResults.Loaded prepareOutDir(BatchConfig config, BatchRunManifest manifest) throws IOException {
        Path results = config.resultsFile();
        Path manifestFile = config.manifestFile();
        if (Files.exists(config.outDir()) && !Files.isDirectory(config.outDir())) {
            throw new UserException(config.outDir() + ": not a folder; --out names the folder for the run's files");
        }
        BatchRunResults.Loaded earlier = new BatchRunResults.Loaded(Map.of(), 0, 0);
        if (BatchRunResults.hasContent(results)) {
            if (!config.resume()) {
                throw new UserException(results + " already holds results of an earlier run; continue it with --resume, "
                        + "or choose another --out (results are never overwritten)");
            }
            if (!Files.isRegularFile(manifestFile)) {
                throw new UserException("cannot resume in " + config.outDir() + ": " + results + " has no "
                        + BatchRunManifest.FILE_NAME + " beside it, so what produced it is unknown; choose another --out");
            }
            List<String> differences = manifest.differencesFrom(BatchRunManifest.read(manifestFile));
            if (!differences.isEmpty()) {
                throw new UserException("cannot resume in " + config.outDir() + ": " + String.join("; ", differences)
                        + ". Results of different setups are never mixed: restore the original, or choose another --out");
            }
            earlier = BatchRunResults.readAndRepair(results);
        } else {
            Files.createDirectories(config.outDir());
            manifest.write(manifestFile);
        }
        Files.deleteIfExists(config.reportJson());
        Files.deleteIfExists(config.reportMarkdown());
        return earlier;
    }

    /** Judges one chunk and makes its results durable; false when cancelled before the chunk was complete. */
    private static boolean judgeChunk(Engine engine, Policy policy, List<LabelledRow> chunk, BatchRunResults out,
                                      TreeMap<Long, ResultRow> done, BatchListener listener, Progress progress,
                                      Cancellation cancellation) throws IOException {
        if (cancellation.isCancelled()) {
            return false;
        }
        List<JudgeRequest> requests = new ArrayList<>(chunk.size());
        for (LabelledRow r : chunk) {
            requests.add(new JudgeRequest(r.id(), policy, r.prompt(), r.response(), TemplateKind.PAPER));
        }
        List<Judgement> judgements;
        try {
            judgements = engine.judgeBatch(requests, progress.tokenCounter(), cancellation);
        } catch (CancellationException e) {
            return false;
        }
        if (judgements.size() != chunk.size()) {
            throw new IllegalStateException("engine " + engine.identity().engine() + " returned " + judgements.size()
                    + " judgements for " + chunk.size() + " requests");
        }
        List<ResultRow> rows = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            rows.add(toResult(chunk.get(i), judgements.get(i)));
        }
        out.append(rows);
        for (ResultRow r : rows) {
            done.put(r.row(), r);
            listener.onResult(r);
        }
        progress.add(rows.size());
        return true;
    }

    static ResultRow toResult(LabelledRow row, Judgement j) {
        String judged = row.responseLevel() ? row.prompt() + "\u0000" + row.response() : row.prompt();
        String excerpt = ResultRow.excerptOf(row.responseLevel() ? row.response() : row.prompt());
        return new ResultRow(row.rowNumber(), row.id(), row.gold(), j.verdict(), j.flaggedClauses(), j.clauseScores(),
                !j.parseFailure() && !j.engineError(), j.latencyMillis(), Hashing.sha256(judged), row.categories(),
                excerpt, j.error(), RowEvidence.of(j), j.reviewZ());
    }

    /** The results with a gold label, as {@link Metrics} takes them. */

    /** Counts rows and speed; the rate covers only rows judged in this session. */
    private static final class Progress {
        /** Between two progress reports made only because tokens were generated. */
        static final long TOKEN_REPORT_NANOS = 500_000_000L;
        final long total;
        final long resumed;
        final BatchListener listener;
        final long start = System.nanoTime();
        long judged;
        long tokens;
        long lastTokenReport;

        Progress(long total, long resumed, BatchListener listener) {
            this.total = total;
            this.resumed = resumed;
            this.listener = listener;
        }

        synchronized void add(long rows) {
            judged += rows;
            report();
        }

        /** Counts the tokens an engine streams while a chunk is judged, and reports them twice a second. */
        JudgeListener tokenCounter() {
            return new JudgeListener() {
                @Override
                public void onToken(String requestId, String text) {
                    synchronized (Progress.this) {
                        tokens++;
                        long now = System.nanoTime();
                        if (now - lastTokenReport >= TOKEN_REPORT_NANOS) {
                            lastTokenReport = now;
                            report();
                        }
                    }
                }
            };
        }

        synchronized void report() {
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = judged == 0 || seconds <= 0 ? 0 : judged / seconds;
            long done = resumed + judged;
            Duration eta = rate > 0 ? Duration.ofMillis((long) ((total - done) / rate * 1000)) : (done >= total ? Duration.ZERO : null);
            listener.onProgress(new BatchProgress(done, total, rate, eta, resumed, tokens,
                    tokens == 0 || seconds <= 0 ? 0 : tokens / seconds));
        }
    }
}
