package org.rsafe.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rsafe.trace.Verdict;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.SourcePos;
import org.rsafe.util.UserException;

/** Reads and writes {@code train.jsonl} files of {@link TrainingRow}s. */
public final class TrainingRows {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Stop listing problems after this many; a file that bad is the wrong file. */
    private static final int MAX_DIAGNOSTICS = 20;

    private TrainingRows() { }

    /** One row as a single JSON line (no trailing newline). */
    public static String toJson(TrainingRow row) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", row.id());
        o.put("prompt", row.prompt());
        o.put("label", row.goldLabel());
        o.put("level", row.level().jsonName());
        o.put("source", row.source());
        o.put("input", row.input());
        if (row.response() != null) {
            o.put("response", row.response());
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a training row", e);
        }
    }

    /** Writes the rows atomically: readers see the old file or the complete new one. */
    public static void write(Path file, List<TrainingRow> rows) throws IOException {
        AtomicFiles.write(file, (OutputStream out) -> {
            for (TrainingRow r : rows) {
                out.write(toJson(r).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        });
    }

    /**
     * Reads a training file. Every bad line is reported with its line number (up to {@value #MAX_DIAGNOSTICS}) in
     * one UserException; duplicate ids are an error too, since checkpoints refer to rows by position.
     */
    public static List<TrainingRow> read(Path file) {
        String name = file.toString();
        List<TrainingRow> rows = new ArrayList<>();
        List<Diagnostic> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null && problems.size() < MAX_DIAGNOSTICS) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    TrainingRow row = parse(line);
                    if (!ids.add(row.id())) {
                        problems.add(Diagnostic.error(name, new SourcePos(lineNo, 1), "duplicate-id",
                                "row id \"" + row.id() + "\" appears twice"));
                        continue;
                    }
                    rows.add(row);
                } catch (BadLine e) {
                    problems.add(Diagnostic.error(name, new SourcePos(lineNo, e.column), "training-row", e.getMessage()));
                }
            }
        } catch (NoSuchFileException e) {
            throw new UserException(name + ": no such file");
        } catch (IOException e) {
            throw new UserException(name + ": cannot read: " + e.getMessage(), e);
        }
        if (!problems.isEmpty()) {
            throw new UserException(problems);
        }
        if (rows.isEmpty()) {
            throw new UserException(name + ": no training rows (make one with 'rsafe train data')");
        }
        return rows;
    }

    private static final class BadLine extends Exception {
        private static final long serialVersionUID = 1L;
        final int column;

        BadLine(int column, String message) {
            super(message, null, false, false);
            this.column = column;
        }
    }

    private static TrainingRow parse(String line) throws BadLine {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            int col = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getColumnNr());
            throw new BadLine(col, "not a JSON object: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new BadLine(1, "expected a JSON object per line");
        }
        String id = text(n, "id", true);
        String prompt = text(n, "prompt", true);
        String label = text(n, "label", true);
        Verdict gold = Verdict.parseLabel(label).orElseThrow(() ->
                new BadLine(1, "label must be \"safe\" or \"unsafe\", was \"" + label + "\""));
        String response = text(n, "response", false);
        String levelText = text(n, "level", false);
        TrainingRow.Level level;
        try {
            level = levelText == null ? (response == null ? TrainingRow.Level.PROMPT : TrainingRow.Level.RESPONSE)
                    : TrainingRow.Level.parse(levelText);
        } catch (IllegalArgumentException e) {
            throw new BadLine(1, e.getMessage());
        }
        if ((response != null) != (level == TrainingRow.Level.RESPONSE)) {
            throw new BadLine(1, "level \"" + level.jsonName() + "\" does not fit: a response-level row needs a "
                    + "\"response\" and a prompt-level row has none");
        }
        return new TrainingRow(id, prompt, gold, level, text(n, "source", false), text(n, "input", false), response);
    }

    private static String text(JsonNode n, String field, boolean required) throws BadLine {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new BadLine(1, "missing field \"" + field + "\"");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new BadLine(1, "field \"" + field + "\" must be a string");
        }
        return v.asText();
    }
}
