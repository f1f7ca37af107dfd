package org.rsafe.eval;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of one batch run.
 *
 * @param dataFile      the labelled data file (CSV/TSV, JSON Lines or JSON, optionally gzipped)
 * @param mappingOrNull the columns to use, or null to detect them (with {@code overrides} applied)
 * @param badRows       what to do with a row that cannot be used
 * @param outDir        where results.jsonl, run.json, report.json and report.md go
 * @param resume        continue the run whose results are in {@code outDir}, skipping finished rows
 * @param limit         judge only the first {@code limit} usable rows; 0 = all rows
 * @param chunkSize     rows handed to the engine at once and written to disk together (default 32; callers usually
 *                      take {@link org.rsafe.engine.Engine#preferredBatchSize()}): larger chunks batch the engine
 *                      better, smaller ones lose less work to a kill
 * @param seed          seeds the bootstrap of the F1 interval (default 42)
 * @param overrides     columns fixed by the user when detecting (ignored when {@code mappingOrNull} is given)
 */
public record BatchConfig(Path dataFile, ColumnMapping mappingOrNull, BadRowPolicy badRows, Path outDir, boolean resume,
                          long limit, int chunkSize, long seed, MappingOverrides overrides) {

    /** Rows per chunk when nothing else is said; a run usually takes its engine's preferred batch size instead. */
    public static final int DEFAULT_CHUNK_SIZE = 32;
    public static final long DEFAULT_SEED = 42;

    public BatchConfig {
        Objects.requireNonNull(dataFile, "dataFile");
        badRows = badRows == null ? BadRowPolicy.FAIL : badRows;
        Objects.requireNonNull(outDir, "outDir");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0 (0 = all rows), was " + limit);
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be >= 1, was " + chunkSize);
        }
        overrides = overrides == null ? MappingOverrides.NONE : overrides;
    }

    /** Settings with detected columns and no overrides. */
    public BatchConfig(Path dataFile, ColumnMapping mappingOrNull, BadRowPolicy badRows, Path outDir, boolean resume,
                       long limit, int chunkSize, long seed) {
        this(dataFile, mappingOrNull, badRows, outDir, resume, limit, chunkSize, seed, MappingOverrides.NONE);
    }

    /** Defaults: detected columns, fail on bad rows, no resume, all rows, chunks of 32, seed 42. */
    public static BatchConfig of(Path dataFile, Path outDir) {
        return new BatchConfig(dataFile, null, BadRowPolicy.FAIL, outDir, false, 0, DEFAULT_CHUNK_SIZE, DEFAULT_SEED);
    }

    public BatchConfig withResume(boolean newResume) {
        return new BatchConfig(dataFile, mappingOrNull, badRows, outDir, newResume, limit, chunkSize, seed, overrides);
    }

    public BatchConfig withLimit(long newLimit) {
        return new BatchConfig(dataFile, mappingOrNull, badRows, outDir, resume, newLimit, chunkSize, seed, overrides);
    }

    public BatchConfig withChunkSize(int newChunkSize) {
        return new BatchConfig(dataFile, mappingOrNull, badRows, outDir, resume, limit, newChunkSize, seed, overrides);
    }

    public BatchConfig withOverrides(MappingOverrides newOverrides) {
        return new BatchConfig(dataFile, mappingOrNull, badRows, outDir, resume, limit, chunkSize, seed, newOverrides);
    }

    public BatchConfig withBadRows(BadRowPolicy policy) {
        return new BatchConfig(dataFile, mappingOrNull, policy, outDir, resume, limit, chunkSize, seed, overrides);
    }

    public Path resultsFile() {
        return outDir.resolve(BatchRunResults.FILE_NAME);
    }

    public Path manifestFile() {
        return outDir.resolve(BatchRunManifest.FILE_NAME);
    }

    public Path reportJson() {
        return outDir.resolve(ReportWriter.JSON_NAME);
    }

    public Path reportMarkdown() {
        return outDir.resolve(ReportWriter.MARKDOWN_NAME);
    }
}
