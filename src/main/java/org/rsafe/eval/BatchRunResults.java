package org.rsafe.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rsafe.trace.JudgementJson;
import org.rsafe.trace.Verdict;
import org.rsafe.util.BoundedLineReader;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.SourcePos;
import org.rsafe.util.UserException;

/**
 * The {@code results.jsonl} file of a batch run: one JSON object per judged row, appended chunk by chunk and forced
 * to disk after each chunk, so a run killed at any moment loses at most the chunk it was writing. Reading repairs
 * the one defect such a kill can leave: a torn last line.
 */
public final class BatchRunResults implements Closeable {

    public static final String FILE_NAME = "results.jsonl";
    /** Longest result line read back (64 Mi characters). */
    static final int MAX_LINE_CHARS = 1 << 26;

    /** What was found in an existing results file. */
    public record Loaded(Map<Long, ResultRow> rows, long tornBytesRemoved, long duplicateRowsIgnored) {
        public Loaded {
            rows = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rows));
        }
    }

    private final FileChannel channel;

    private BatchRunResults(FileChannel channel) {
        this.channel = channel;
    }

    /** Opens the file for appending, creating it when missing. */
    public static BatchRunResults openForAppend(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return new BatchRunResults(ch);
    }

    /** Appends rows as complete lines in one write and forces them to disk before returning. */
    public void append(List<ResultRow> rows) throws IOException {
        if (rows.isEmpty()) {
            return;
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream(rows.size() * 512);
        for (ResultRow r : rows) {
            buf.write(toJson(r).getBytes(StandardCharsets.UTF_8));
            buf.write('\n');
        }
        ByteBuffer bytes = ByteBuffer.wrap(buf.toByteArray());
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** True when the file exists and holds at least one byte. */
    public static boolean hasContent(Path file) throws IOException {
        return Files.isRegularFile(file) && Files.size(file) > 0;
    }

    /**
     * Reads the results of an earlier run, keyed by row number. A last line without its newline is what a kill
     * during a write leaves: it is cut off the file (its row is judged again). A malformed complete line is a
     * damaged file, reported with its line number. A row number seen twice keeps its first result.
     */
    public static Loaded readAndRepair(Path file) throws IOException {
        // a result line holds one row's judgement and ids, never the dataset's texts; 64 Mi characters is far beyond it
        if (!Files.isRegularFile(file)) {
            return new Loaded(Map.of(), 0, 0);
        }
        long torn = truncateTornTail(file);
        Map<Long, ResultRow> rows = new LinkedHashMap<>();
        long duplicates = 0;
        long lineNo = 0;
        try (var reader = new BoundedLineReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString(),
                MAX_LINE_CHARS)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                ResultRow r;
                try {
                    r = fromJson(line);
                } catch (IllegalArgumentException | JsonProcessingException e) {
                    throw new UserException(List.of(Diagnostic.error(file.toString(), new SourcePos((int) Math.min(lineNo, Integer.MAX_VALUE), 1),
                            "damaged-results", "not a result line (" + e.getMessage().lines().findFirst().orElse("")
                                    + "); this file was changed by hand or by another program: remove the line or start over with another --out")));
                }
                if (rows.putIfAbsent(r.row(), r) != null) {
                    duplicates++;
                }
            }
        }
        return new Loaded(rows, torn, duplicates);
    }

    /** Cuts everything after the last newline; returns how many bytes were removed. */
    static long truncateTornTail(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size == 0) {
                return 0;
            }
            long pos = size;
            ByteBuffer one = ByteBuffer.allocate(8192);
            long keep = 0;
            search:
            while (pos > 0) {
                int n = (int) Math.min(one.capacity(), pos);
                pos -= n;
                one.clear().limit(n);
                ch.read(one, pos);
                for (int i = n - 1; i >= 0; i--) {
                    if (one.get(i) == '\n') {
                        keep = pos + i + 1;
                        break search;
                    }
                }
            }
            if (keep == size) {
                return 0;
            }
            ch.truncate(keep);
            ch.force(true);
            return size - keep;
        }
    }

    static String toJson(ResultRow r) {
        ObjectMapper m = JudgementJson.mapper();
        ObjectNode o = m.createObjectNode();
        o.put("id", r.id());
        o.put("row", r.row());
        if (r.gold() == Verdict.UNKNOWN) {
            o.putNull("gold");
        } else {
            o.put("gold", r.gold().label());
        }
        o.put("verdict", r.verdict().label());
        ArrayNode flagged = o.putArray("flagged");
        r.flagged().forEach(flagged::add);
        ObjectNode scores = o.putObject("clause_scores");
        r.clauseScores().forEach(scores::put);
        if (!r.reviewZ().isEmpty()) {
            ObjectNode review = o.putObject("review_z");
            r.reviewZ().forEach((clause, z) -> {
                if (z == Double.NEGATIVE_INFINITY) {
                    review.put(clause, REVIEW_ALWAYS);
                } else if (z == Double.POSITIVE_INFINITY) {
                    review.put(clause, REVIEW_NEVER);
                } else if (Double.isFinite(z)) {
                    review.put(clause, z);
                }
            });
        }
        o.put("parse_ok", r.parseOk());
        o.put("latency_ms", r.latencyMillis());
        o.put("prompt_sha256", r.promptSha256());
        ArrayNode categories = o.putArray("categories");
        r.goldCategories().forEach(categories::add);
        o.put("excerpt", r.excerpt());
        if (r.error() != null) {
            o.put("error", r.error());
        }
        RowEvidence ev = r.evidence();
        if (ev.hasInvalidCitations()) {
            ArrayNode invalid = o.putArray("invalid_citations");
            ev.invalidCitations().forEach(invalid::add);
        }
        if (!ev.disagreement().isEmpty()) {
            o.put("citation_disagreement", ev.disagreement());
        }
        if (ev.samples() > 0) {
            o.put("samples", ev.samples());
            o.put("majority_share", ev.majorityShare());
        }
        try {
            return m.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a result row must always serialize", e);
        }
    }

    static ResultRow fromJson(String line) throws JsonProcessingException {
        JsonNode o = JudgementJson.mapper().readTree(line);
        if (o == null || !o.isObject() || !o.hasNonNull("row") || !o.get("row").canConvertToLong() || !o.hasNonNull("verdict")) {
            throw new IllegalArgumentException("a result line needs at least 'row' and 'verdict'");
        }
        JsonNode gold = o.get("gold");
        Verdict goldVerdict = gold == null || gold.isNull() ? Verdict.UNKNOWN : Verdict.fromAnswer(gold.asText());
        Verdict verdict = Verdict.fromStored(o.get("verdict").asText());
        List<String> flagged = strings(o.get("flagged"));
        Map<String, Double> scores = new LinkedHashMap<>();
        JsonNode s = o.get("clause_scores");
        if (s != null && s.isObject()) {
            for (Map.Entry<String, JsonNode> e : s.properties()) {
                scores.put(e.getKey(), e.getValue().asDouble());
            }
        }
        return new ResultRow(o.get("row").asLong(), text(o, "id"), goldVerdict, verdict, flagged, scores,
                o.path("parse_ok").asBoolean(verdict != Verdict.UNKNOWN), o.path("latency_ms").asLong(0),
                text(o, "prompt_sha256"), strings(o.get("categories")), text(o, "excerpt"),
                o.hasNonNull("error") ? o.get("error").asText() : null,
                new RowEvidence(strings(o.get("invalid_citations")), text(o, "citation_disagreement"),
                        Math.max(0, o.path("samples").asInt(0)), share(o.get("majority_share"))),
                reviewZ(o.get("review_z")));
    }

    /** Stored for a clause that is REVIEW at any band above 0, and for one that is never REVIEW. */
    static final String REVIEW_ALWAYS = "always";
    static final String REVIEW_NEVER = "never";

    private static Map<String, Double> reviewZ(JsonNode n) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                JsonNode v = e.getValue();
                if (v.isNumber()) {
                    out.put(e.getKey(), v.asDouble());
                } else if (REVIEW_ALWAYS.equals(v.asText())) {
                    out.put(e.getKey(), Double.NEGATIVE_INFINITY);
                } else if (REVIEW_NEVER.equals(v.asText())) {
                    out.put(e.getKey(), Double.POSITIVE_INFINITY);
                }
            }
        }
        return out;
    }

    private static double share(JsonNode n) {
        double v = n == null || !n.isNumber() ? 1.0 : n.asDouble();
        return v >= 0 && v <= 1 ? v : 1.0;
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? "" : n.asText();
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(e -> out.add(e.asText()));
        }
        return out;
    }
}
