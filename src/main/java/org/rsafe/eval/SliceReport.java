package org.rsafe.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.rsafe.trace.JudgementJson;
import org.rsafe.util.AtomicFiles;

/**
 * The metrics of a batch run per value of one column (a slice): the gold category, an {@code adversarial} flag, a
 * language. Each slice is scored like the whole run ({@link Metrics#compute}: parse failures counted and left out,
 * unsafe the positive class) with its own seeded bootstrap interval of F1, so small slices show wide intervals.
 * A row with several values (several gold categories) counts in each; a row without a value is in the slice
 * {@value #NO_VALUE}.
 *
 * @param column  the column sliced by ({@value #LANGUAGE} with {@code guessed} when the language was guessed)
 * @param guessed the values were guessed from the judged text ({@link LanguageGuess}), not read from a column
 * @param slices  value to its metrics, largest slice first (ties by value)
 */
public record SliceReport(String column, boolean guessed, Map<String, MetricsReport> slices) {

    public static final String FILE_NAME = "slices.json";
    /** The name under which the built-in language guess is asked for, when the data has no such column. */
    public static final String LANGUAGE = "language";
    public static final String NO_VALUE = "(none)";

    public SliceReport {
        Objects.requireNonNull(column, "column");
        slices = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(slices));
    }

    /**
     * Slices the results.
     *
     * @param valuesByRow each row number's values in the column (absent or empty: {@value #NO_VALUE})
     */
    public static SliceReport compute(String column, boolean guessed, List<ResultRow> results,
            Map<Long, List<String>> valuesByRow, long seed, int resamples) {
        Map<String, List<ResultRow>> groups = new TreeMap<>();
        for (ResultRow r : results) {
            List<String> values = valuesByRow.getOrDefault(r.row(), List.of());
            if (values.isEmpty()) {
                values = List.of(NO_VALUE);
            }
            for (String v : values.stream().distinct().toList()) {
                groups.computeIfAbsent(v, k -> new ArrayList<>()).add(r);
            }
        }
        List<Map.Entry<String, List<ResultRow>>> ordered = new ArrayList<>(groups.entrySet());
        ordered.sort((a, b) -> b.getValue().size() != a.getValue().size()
                ? Integer.compare(b.getValue().size(), a.getValue().size()) : a.getKey().compareTo(b.getKey()));
        Map<String, MetricsReport> slices = new LinkedHashMap<>();
        for (Map.Entry<String, List<ResultRow>> e : ordered) {
            slices.put(e.getKey(), Metrics.compute(Metrics.predictions(e.getValue()), seed, resamples));
        }
        return new SliceReport(column, guessed, slices);
    }

    /** slices.json: {@code {column, guessed, slices: {value: {rows, parse_failures, confusion, metrics}}}}. */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("column", column);
        m.put("guessed", guessed);
        Map<String, Object> s = new LinkedHashMap<>();
        slices.forEach((value, r) -> {
            Map<String, Object> full = new LinkedHashMap<>(r.toFullJsonMap());
            full.remove("per_clause");
            s.put(value, full);
        });
        m.put("slices", s);
        return m;
    }

    public void write(Path outDir) throws IOException {
        try {
            AtomicFiles.writeString(outDir.resolve(FILE_NAME),
                    JudgementJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJsonMap()) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a slice report is plain maps and numbers", e);
        }
    }

    /** A table for people: one line per slice with rows, F1 and its interval, precision, recall and FPR. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("slices by ").append(column).append(guessed ? " (guessed from the text)" : "").append(":\n");
        int width = Math.max(8, slices.keySet().stream().mapToInt(String::length).max().orElse(8));
        sb.append(String.format(Locale.ROOT, "  %-" + width + "s %6s %7s %17s %9s %7s %7s%n", "value", "rows", "f1",
                "f1 95% CI", "precision", "recall", "fpr"));
        slices.forEach((value, r) -> sb.append(String.format(Locale.ROOT,
                "  %-" + width + "s %6d %7.4f   [%.4f, %.4f] %9.4f %7.4f %7.4f%n", value, r.rows(), r.f1(),
                r.f1Ci95()[0], r.f1Ci95()[1], r.precision(), r.recall(), r.fpr())));
        return sb.toString();
    }
}
