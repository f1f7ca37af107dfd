package org.rsafe.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.eval.BadRowPolicy;
import org.rsafe.eval.BatchListener;
import org.rsafe.eval.BatchRun;
import org.rsafe.eval.BatchSummary;
import org.rsafe.eval.ColumnMapping;
import org.rsafe.eval.DatasetReader;
import org.rsafe.eval.LabelledRow;
import org.rsafe.eval.LanguageGuess;
import org.rsafe.eval.Metrics;
import org.rsafe.eval.ResultRow;
import org.rsafe.eval.SliceReport;
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

    /**
     * The run's metrics per value of {@code column} ({@link SliceReport}), written to {@code slices.json} beside the
     * report. The column may be any column of the data file (the gold label or categories column included; a row
     * with several categories counts in each); {@value SliceReport#LANGUAGE}, when the file has no column of that
     * name, slices by the language guessed from each judged text ({@link LanguageGuess}). An unknown column is a user
     * mistake naming the file's columns.
     */
    public static SliceReport slices(Request request, BatchSummary summary, String column) throws IOException {
        Objects.requireNonNull(column, "column");
        Path file = request.data().data();
        ColumnMapping mapping = request.mapping();
        Map<Long, List<String>> values = new HashMap<>();
        long last = summary.results().stream().mapToLong(ResultRow::row).max().orElse(0);
        boolean guessed;
        try (DatasetReader reader = DatasetReader.open(file, mapping, BadRowPolicy.SKIP)) {
            String header = sliceColumn(reader, file, column);
            guessed = header == null;
            while (reader.hasNext()) {
                LabelledRow row = reader.next();
                if (row.rowNumber() > last) {
                    break;
                }
                values.put(row.rowNumber(), guessed
                        ? List.of(LanguageGuess.shared().guess(row.responseLevel() ? row.response() : row.prompt()))
                        : valuesOf(row, header, mapping));
            }
        }
        SliceReport report = SliceReport.compute(guessed ? SliceReport.LANGUAGE : column, guessed, summary.results(),
                values, request.data().seed(), Metrics.DEFAULT_RESAMPLES);
        report.write(request.outDir());
        return report;
    }

    /** Checks before a run that the data can be sliced by {@code column}, so a typo does not wait for the run's end. */
    public static void checkSliceColumn(DataSettings data, ColumnMapping mapping, String column) {
        try (DatasetReader reader = DatasetReader.open(data.data(), mapping, BadRowPolicy.SKIP)) {
            sliceColumn(reader, data.data(), column);
        } catch (IOException e) {
            throw new UserException("cannot read " + data.data() + ": " + e.getMessage(), e);
        }
    }

    /** The file's column of that name (exact, else ignoring case); null for the language guess; else a user mistake. */
    private static String sliceColumn(DatasetReader reader, Path file, String column) {
        String header = reader.header().stream().filter(h -> h.equals(column)).findFirst()
                .orElse(reader.header().stream().filter(h -> h.equalsIgnoreCase(column)).findFirst().orElse(null));
        if (header == null && !column.equalsIgnoreCase(SliceReport.LANGUAGE)) {
            throw new UserException("--slice-by: " + file + " has no column '" + column + "'; its columns are "
                    + String.join(", ", reader.header()) + " (or 'language' to guess each text's language)");
        }
        return header;
    }

    private static List<String> valuesOf(LabelledRow row, String column, ColumnMapping mapping) {
        if (column.equals(mapping.categoriesColumn())) {
            return row.categories();
        }
        if (column.equals(mapping.labelColumn())) {
            return row.gold() == null ? List.of() : List.of(row.gold().label());
        }
        if (column.equals(mapping.idColumn())) {
            return List.of(row.id());
        }
        String v = row.extra().get(column);
        return v == null || v.isBlank() ? List.of() : List.of(v.strip());
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
