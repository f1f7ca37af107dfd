package org.rsafe.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.eval.BatchListener;
import org.rsafe.eval.BatchRun;
import org.rsafe.eval.BatchSummary;
import org.rsafe.eval.ColumnMapping;
import org.rsafe.eval.DatasetReader;
import org.rsafe.policy.Policy;
import org.rsafe.util.UserException;

/**
 * The evaluate use case: judge every row of a labelled data file with one engine and measure the policy against the
 * gold labels, writing results and reports to a folder (resumable). Columns are detected once, before any engine
 * work, so a face can show why each was chosen and the run (and any resume of it) reads exactly those columns.
 */
public final class Evaluation {
    private Evaluation() { }

    /** The columns of a data file, and one line per decision explaining why they were chosen. */
    public record Columns(ColumnMapping mapping, List<String> notes) {
        public Columns {
            Objects.requireNonNull(mapping, "mapping");
            notes = List.copyOf(notes);
        }
    }

    /** What to evaluate: a policy on a data file with the columns already detected, into {@code outDir}. */
    public record Request(Policy policy, DataSettings data, ColumnMapping mapping, Path outDir, boolean resume) {
        public Request {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(mapping, "mapping");
            Objects.requireNonNull(outDir, "outDir");
        }
    }

    /** Reads the head of the data file and decides its columns (the user's fixed ones win). */
    public static Columns detect(DataSettings data) {
        try (DatasetReader reader = DatasetReader.open(data.data(), data.overrides(), data.badRows())) {
            return new Columns(reader.mapping(), reader.notes());
        } catch (IOException e) {
            throw new UserException("cannot read " + data.data() + ": " + e.getMessage(), e);
        }
    }

    /** Runs the evaluation; a cancelled run keeps its results and says so in the summary. */
    public static BatchSummary run(Engine engine, Request request, BatchListener listener, Cancellation cancellation) {
        return new BatchRun().run(engine, request.policy(),
                request.data().config(engine, request.mapping(), request.outDir(), request.resume()),
                listener, cancellation);
    }

    /** {@code runs/<policy id>-<data file name without extensions>}, so a rerun with resume finds the same folder. */
    public static Path defaultOutDir(Policy policy, Path data) {
        String name = data.getFileName().toString();
        int dot = name.indexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String id = policy.id().isBlank() ? "policy" : policy.id();
        return Path.of("runs", (id + "-" + stem).replaceAll("[^A-Za-z0-9._-]", "_"));
    }
}
