package org.rsafe.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.eval.BatchConfig;
import org.rsafe.eval.BatchListener;
import org.rsafe.eval.BatchRun;
import org.rsafe.eval.BatchRunManifest;
import org.rsafe.eval.BatchRunResults;
import org.rsafe.eval.BatchSummary;
import org.rsafe.eval.ColumnMapping;
import org.rsafe.eval.DatasetReader;
import org.rsafe.eval.Metrics;
import org.rsafe.eval.MetricsReport;
import org.rsafe.eval.ReportWriter;
import org.rsafe.eval.ResultRow;
import org.rsafe.policy.Policy;
import org.rsafe.trace.EngineIdentity;
import org.rsafe.util.Hashing;
import org.rsafe.util.UserException;

/**
 * Keeps batch runs under a workspace ({@code .rsafe/runs/}) keyed by what determines their results, so that judging
 * the same policy text with the same engine on the same data again reuses the stored results instead of judging
 * every row anew. A run that was interrupted is resumed.
 *
 * <p>A run's folder is named {@code <policy>-<engine>-<data>}, twelve hex digits each: the SHA-256 of the policy
 * text; of the engine's identity (engine, model id, model hash, settings — not the device, which does not change
 * results); and of the data file's bytes together with the columns read and the row limit.
 */
public final class RunStore {

    /** The store's folder name under the workspace's {@code .rsafe}. */
    public static final String RUNS_DIR = "runs";
    private static final int KEY_DIGITS = 12;
    private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private final Path dir;

    public RunStore(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
    }

    /** The store of a workspace folder: {@code ROOT/.rsafe/runs}. */
    public static RunStore of(Path workspaceRoot) {
        return new RunStore(Workspace.ensureDataDir(workspaceRoot).resolve(RUNS_DIR));
    }

    public Path dir() {
        return dir;
    }

    /** SHA-256 (hex) of the parts of an engine identity that decide its results. */
    public static String engineKey(EngineIdentity e) {
        StringBuilder sb = new StringBuilder();
        sb.append(e.engine()).append('\n').append(e.modelId()).append('\n').append(e.modelHash()).append('\n');
        e.settings().forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return Hashing.sha256(sb.toString());
    }

    /** The folder that holds (or will hold) the run of these inputs. */
    public Path runDir(Policy policy, EngineIdentity engine, String datasetSha256, ColumnMapping mapping, long limit) {
        String dataKey = Hashing.sha256(datasetSha256 + '\n' + mapping.describe() + '\n' + limit);
        return dir.resolve(policy.sha256().substring(0, KEY_DIGITS) + "-" + engineKey(engine).substring(0, KEY_DIGITS)
                + "-" + dataKey.substring(0, KEY_DIGITS));
    }

    /**
     * The run of {@code policy} with {@code engine} on the data of {@code config}: the stored one when complete,
     * else judged now (continuing a stored partial run). {@code config.outDir()} and {@code config.resume()} are
     * replaced by the store's own; the columns are detected once when the config leaves them open.
     *
     * @throws CancellationException when cancelled (rows judged so far are kept for next time)
     */
    public StoredRun run(Engine engine, Policy policy, BatchConfig config, BatchListener listener,
                         Cancellation cancellation) {
        ColumnMapping mapping = config.mappingOrNull();
        if (mapping == null) {
            try (DatasetReader reader = DatasetReader.open(config.dataFile(), config.overrides(), config.badRows())) {
                mapping = reader.mapping();
            } catch (IOException e) {
                throw new UserException("cannot read " + config.dataFile() + ": " + e.getMessage(), e);
            }
        }
        String dataSha;
        try {
            dataSha = Hashing.sha256(config.dataFile());
        } catch (IOException e) {
            throw new UserException("cannot read " + config.dataFile() + ": " + e.getMessage(), e);
        }
        EngineIdentity identity = engine.identity();
        Path runDir = runDir(policy, identity, dataSha, mapping, config.limit());
        synchronized (LOCKS.computeIfAbsent(runDir, p -> new Object())) {
            StoredRun stored = loadComplete(runDir, policy, identity, config, dataSha, mapping);
            if (stored != null) {
                return stored;
            }
            boolean partial;
            try {
                partial = BatchRunResults.hasContent(runDir.resolve(BatchRunResults.FILE_NAME));
            } catch (IOException e) {
                partial = false;
            }
            BatchConfig own = new BatchConfig(config.dataFile(), mapping, config.badRows(), runDir, partial,
                    config.limit(), config.chunkSize(), config.seed());
            // The file was hashed above to find the run's folder; the run records that digest instead of hashing again.
            BatchSummary summary = new BatchRun().run(engine, policy, own, dataSha, listener, cancellation);
            if (summary.cancelled()) {
                throw new CancellationException(summary.cancelMessage());
            }
            return new StoredRun(runDir, false, policy, identity, config.dataFile(), dataSha, mapping,
                    summary.metrics(), summary.results());
        }
    }

    /** The stored run when it finished (report written) under the same manifest; null otherwise. */
    private static StoredRun loadComplete(Path runDir, Policy policy, EngineIdentity engine, BatchConfig config,
                                          String dataSha, ColumnMapping mapping) {
        Path manifestFile = runDir.resolve(BatchRunManifest.FILE_NAME);
        Path results = runDir.resolve(BatchRunResults.FILE_NAME);
        if (!Files.isRegularFile(runDir.resolve(ReportWriter.JSON_NAME)) || !Files.isRegularFile(manifestFile)
                || !Files.isRegularFile(results)) {
            return null;
        }
        try {
            BatchRunManifest expected = new BatchRunManifest(policy.id(), policy.version(), policy.sha256(),
                    config.dataFile().toString(), dataSha, engine, mapping.describe());
            if (!expected.differencesFrom(BatchRunManifest.read(manifestFile)).isEmpty()) {
                return null;
            }
            List<ResultRow> rows = List.copyOf(BatchRunResults.readAndRepair(results).rows().values());
            MetricsReport metrics = Metrics.compute(Metrics.predictions(rows), config.seed(), policy);
            return new StoredRun(runDir, true, policy, engine, config.dataFile(), dataSha, mapping, metrics, rows);
        } catch (IOException | UserException e) {
            // A damaged stored run is judged again rather than trusted.
            return null;
        }
    }

    /** The labelled results as {@link Metrics} takes them (the same selection a batch run's report uses). */
}
