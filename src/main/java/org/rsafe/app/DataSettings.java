package org.rsafe.app;

import java.nio.file.Path;
import java.util.Objects;
import org.rsafe.engine.Engine;
import org.rsafe.eval.BadRowPolicy;
import org.rsafe.eval.BatchConfig;
import org.rsafe.eval.ColumnMapping;
import org.rsafe.eval.MappingOverrides;
import org.rsafe.util.UserException;

/**
 * How a labelled data file is read and judged by every use case that runs a policy over one (evaluate, compare,
 * calibrate, export): the file, the columns the user fixed, what happens to an unusable row, the row limit, the
 * chunk size and the bootstrap seed. The defaults here are the product's only ones.
 *
 * @param data      the labelled data file (CSV/TSV, JSON Lines or JSON, optionally gzipped)
 * @param overrides columns and label values fixed by the user; the rest is detected
 * @param badRows   an unusable row stops the run with its position ({@link BadRowPolicy#FAIL}, the default) or is
 *                  left out and reported ({@link BadRowPolicy#SKIP})
 * @param limit     judge only the first {@code limit} usable rows; 0 = all
 * @param chunk     rows judged and written together; 0 = the engine's {@link Engine#preferredBatchSize()}
 * @param seed      seed of the bootstrap intervals
 */
public record DataSettings(Path data, MappingOverrides overrides, BadRowPolicy badRows, long limit, int chunk,
                           long seed) {

    public static final BadRowPolicy DEFAULT_BAD_ROWS = BadRowPolicy.FAIL;
    public static final long DEFAULT_SEED = BatchConfig.DEFAULT_SEED;

    public DataSettings {
        Objects.requireNonNull(data, "data");
        overrides = overrides == null ? MappingOverrides.NONE : overrides;
        badRows = badRows == null ? DEFAULT_BAD_ROWS : badRows;
        if (limit < 0) {
            throw new UserException("--limit must be at least 1, was " + limit);
        }
        if (chunk < 0) {
            throw new UserException("--chunk must be at least 1, was " + chunk);
        }
    }

    /** Every default: detected columns, stop at a bad row, all rows, the engine's chunk size, seed 42. */
    public static DataSettings of(Path data) {
        return new DataSettings(data, MappingOverrides.NONE, DEFAULT_BAD_ROWS, 0, 0, DEFAULT_SEED);
    }

    public DataSettings withOverrides(MappingOverrides o) {
        return new DataSettings(data, o, badRows, limit, chunk, seed);
    }

    public DataSettings withBadRows(BadRowPolicy p) {
        return new DataSettings(data, overrides, p, limit, chunk, seed);
    }

    public DataSettings withLimit(long n) {
        return new DataSettings(data, overrides, badRows, n, chunk, seed);
    }

    public DataSettings withChunk(int n) {
        return new DataSettings(data, overrides, badRows, limit, n, seed);
    }

    public DataSettings withSeed(long s) {
        return new DataSettings(data, overrides, badRows, limit, chunk, s);
    }

    /** The chunk size used with {@code engine}: the one asked for, else the engine's own. */
    public int chunkFor(Engine engine) {
        return chunk > 0 ? chunk : Math.max(1, engine.preferredBatchSize());
    }

    /** The batch run settings for {@code engine} with the columns fixed to {@code mapping}. */
    public BatchConfig config(Engine engine, ColumnMapping mapping, Path outDir, boolean resume) {
        return new BatchConfig(data, mapping, badRows, outDir, resume, limit, chunkFor(engine), seed, overrides);
    }
}
