package org.rsafe.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.rsafe.trace.Verdict;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.Hashing;
import org.rsafe.util.SourcePos;
import org.rsafe.util.UserException;

/**
 * Streams the rows of a labelled dataset (CSV/TSV, JSON Lines or a JSON array, each optionally gzipped) through a
 * column mapping. Only the first {@value #SAMPLE_ROWS} records are read ahead (to detect the mapping); everything
 * after is read as the caller iterates, so files of any size can be processed in constant memory.
 *
 * <p>Not thread-safe. Close it (try-with-resources) when done.
 */
public final class DatasetReader implements AutoCloseable, Iterator<LabelledRow> {
    /** Records read ahead to detect the columns and label values. */
    public static final int SAMPLE_ROWS = 100;

    private final Path file;
    private final String fileName;
    private final RawInput input;
    private final ColumnMapping mapping;
    private final List<String> notes;
    private final BadRowPolicy policy;
    private final List<Diagnostic> badRows = new ArrayList<>();
    private LabelledRow pending;
    private long rowNumber;

    private DatasetReader(Path file, RawInput input, ColumnMapping mapping, List<String> notes, BadRowPolicy policy) {
        this.file = file;
        this.fileName = file.toString();
        this.input = input;
        this.mapping = mapping;
        this.notes = notes;
        this.policy = policy;
    }

    /**
     * Opens a dataset.
     *
     * @param mappingOrNull the columns to use, or null to detect them
     * @throws UserException when the file cannot be read, its header is broken, or a mapped column is missing
     */
    public static DatasetReader open(Path file, ColumnMapping mappingOrNull, BadRowPolicy onBadRow) {
        return open(file, mappingOrNull, MappingOverrides.NONE, onBadRow);
    }

    /** Opens a dataset, detecting every column the overrides leave open. */
    public static DatasetReader open(Path file, MappingOverrides overrides, BadRowPolicy onBadRow) {
        return open(file, null, overrides == null ? MappingOverrides.NONE : overrides, onBadRow);
    }

    /**
     * Opens a dataset that also hashes the file as it is read, so that one pass gives the rows and
     * {@link #fileSha256()}; columns are detected when {@code given} is null, with the overrides applied.
     */
    static DatasetReader openHashing(Path file, ColumnMapping given, MappingOverrides overrides, BadRowPolicy onBadRow) {
        return open(file, given, overrides == null ? MappingOverrides.NONE : overrides, onBadRow, Hashing.sha256Digest());
    }

    private static DatasetReader open(Path file, ColumnMapping given, MappingOverrides overrides, BadRowPolicy policy) {
        return open(file, given, overrides, policy, null);
    }

    private static DatasetReader open(Path file, ColumnMapping given, MappingOverrides overrides, BadRowPolicy policy,
                                      MessageDigest digest) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(policy, "policy");
        String name = file.toString();
        RawInput input = RawInput.open(file, SAMPLE_ROWS, digest);
        try {
            List<String> header = input.header();
            if (header.isEmpty()) {
                // A file whose first records are all unreadable is not empty: the first reason is the useful one.
                RawRecord.Problem first = input.firstProblemAhead();
                if (first != null) {
                    throw RawInput.userError(name, first.pos(), first.rule(), "no record could be read; the first "
                            + "unreadable one: " + first.message());
                }
                throw RawInput.userError(name, new SourcePos(1, 1), "empty-file", "the file holds no records");
            }
            ColumnMapping mapping;
            List<String> notes;
            try {
                if (given != null) {
                    checkColumns(given, header);
                    mapping = given;
                    notes = List.of("columns: " + given.describe());
                } else {
                    DetectedMapping detected = ColumnMapping.detect(header, input.samples(), overrides);
                    mapping = detected.mapping();
                    notes = detected.notes();
                }
            } catch (UserException e) {
                throw RawInput.userError(name, new SourcePos(1, 1), "mapping", e.getMessage());
            }
            if (mapping.textColumn() == null) {
                throw RawInput.userError(name, new SourcePos(1, 1), "mapping", "no text column found; columns are: "
                        + String.join(", ", header) + " (name the text column with --text-col)");
            }
            DatasetReader reader = new DatasetReader(file, input, mapping, notes, policy);
            input = null;
            return reader;
        } finally {
            if (input != null) {
                try {
                    input.close();
                } catch (IOException ignored) {
                    // the open already failed; its error is the one to report
                }
            }
        }
    }

    private static void checkColumns(ColumnMapping m, List<String> header) {
        List<String> missing = new ArrayList<>();
        for (String c : m.usedColumns()) {
            if (!header.contains(c)) {
                missing.add(c);
            }
        }
        if (!missing.isEmpty()) {
            throw new UserException("column(s) " + missing + " not in the data; columns are: " + String.join(", ", header));
        }
    }

    /** Reads a whole (small) file into memory, with the SHA-256 of its bytes. */
    public static Dataset readAll(Path file, ColumnMapping mappingOrNull, BadRowPolicy onBadRow) {
        return collect(open(file, mappingOrNull, onBadRow), file);
    }

    /** Reads a whole (small) file into memory, detecting the columns the overrides leave open. */
    public static Dataset readAll(Path file, MappingOverrides overrides, BadRowPolicy onBadRow) {
        return collect(open(file, overrides, onBadRow), file);
    }

    private static Dataset collect(DatasetReader reader, Path file) {
        try (reader) {
            List<LabelledRow> rows = new ArrayList<>();
            reader.forEachRemaining(rows::add);
            return new Dataset(rows, reader.mapping(), reader.badRows(), Hashing.sha256(file));
        } catch (IOException e) {
            throw new UserException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * The first {@code n} readable records as column-to-value maps, unmapped (for a mapping dialog). Bad records are
     * left out.
     */
    public static List<Map<String, String>> preview(Path file, int n) {
        List<Map<String, String>> out = new ArrayList<>();
        try (RawInput input = RawInput.open(file, Math.min(Math.max(n, 1), SAMPLE_ROWS))) {
            while (out.size() < n) {
                RawRecord r = input.next();
                if (r == null) {
                    break;
                }
                if (r.problem() == null) {
                    out.add(Collections.unmodifiableMap(new LinkedHashMap<>(r.values())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public List<String> header() {
        return input.header();
    }

    public ColumnMapping mapping() {
        return mapping;
    }

    /** Why each column was chosen (detection notes), for the CLI and the mapping dialog. */
    public List<String> notes() {
        return notes;
    }

    public DataFormat format() {
        return input.format();
    }

    public Path file() {
        return file;
    }

    /** The rows skipped so far (with {@link BadRowPolicy#SKIP}); complete once iteration has ended. */
    public List<Diagnostic> badRows() {
        return List.copyOf(badRows);
    }

    @Override
    public boolean hasNext() {
        while (pending == null) {
            RawRecord r = input.next();
            if (r == null) {
                return false;
            }
            rowNumber++;
            try {
                pending = toRow(r, rowNumber);
            } catch (BadRow bad) {
                Diagnostic d = Diagnostic.error(fileName, bad.pos, bad.rule, "row " + rowNumber + ": " + bad.getMessage());
                if (policy == BadRowPolicy.FAIL) {
                    throw new UserException(List.of(d));
                }
                badRows.add(d);
            }
        }
        return true;
    }

    @Override
    public LabelledRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        LabelledRow r = pending;
        pending = null;
        return r;
    }

    /** A row the mapping cannot use. */
    private static final class BadRow extends Exception {
        private static final long serialVersionUID = 1L;
        final transient SourcePos pos;
        final String rule;

        BadRow(SourcePos pos, String rule, String message) {
            super(message, null, false, false);
            this.pos = pos;
            this.rule = rule;
        }
    }

    private LabelledRow toRow(RawRecord r, long number) throws BadRow {
        if (r.problem() != null) {
            throw new BadRow(r.problem().pos(), r.problem().rule(), r.problem().message());
        }
        Map<String, String> v = r.values();
        String text = v.get(mapping.textColumn());
        String response = mapping.responseColumn() == null ? null : v.get(mapping.responseColumn());
        if (mapping.splitTranscript() && text != null && !text.isBlank()) {
            String[] parts = ColumnMapping.splitTranscript(text);
            if (parts == null) {
                throw new BadRow(r.positionOf(mapping.textColumn()), "missing-text", "column '" + mapping.textColumn()
                        + "' is not a 'Human user: … AI assistant: …' transcript like the other rows");
            }
            text = parts[0];
            response = parts[1];
        }
        if (text == null || text.isBlank()) {
            throw new BadRow(r.positionOf(mapping.textColumn()), "missing-text",
                    "missing text in column '" + mapping.textColumn() + "'");
        }
        if (response != null && response.isBlank()) {
            response = null;
        }
        String id = mapping.idColumn() == null ? null : v.get(mapping.idColumn());
        id = id == null || id.isBlank() ? "row-" + number : id.trim();

        List<String> categories = new ArrayList<>();
        Verdict gold = null;
        LabelMapping labels = mapping.labels();
        if (labels.flags()) {
            gold = Verdict.SAFE;
            for (String flag : labels.flagColumns()) {
                Optional<Boolean> set = LabelMapping.flagValue(v.get(flag));
                if (set.isEmpty()) {
                    throw new BadRow(r.positionOf(flag), "label-value", "flag column '" + flag + "' holds '"
                            + ColumnMapping.abbreviate(v.get(flag)) + "'; understood: 0/1, true/false, yes/no or empty");
                }
                if (set.get()) {
                    gold = Verdict.UNSAFE;
                    categories.add(flag);
                }
            }
        } else if (mapping.labelColumn() != null) {
            String raw = v.get(mapping.labelColumn());
            if (raw == null || raw.isBlank()) {
                throw new BadRow(r.positionOf(mapping.labelColumn()), "missing-label",
                        "missing label in column '" + mapping.labelColumn() + "'");
            }
            gold = labels.map(raw).orElseThrow(() -> new BadRow(r.positionOf(mapping.labelColumn()), "label-value",
                    "unrecognised label value '" + ColumnMapping.abbreviate(raw) + "' in column '"
                            + mapping.labelColumn() + "'; understood: " + labels.understood()
                            + " (set them with --unsafe-values / --safe-values)"));
        }
        if (mapping.categoriesColumn() != null) {
            for (String c : parseCategories(v.get(mapping.categoriesColumn()))) {
                if (!categories.contains(c)) {
                    categories.add(c);
                }
            }
        }
        Set<String> used = mapping.usedColumns();
        Map<String, String> extra = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : v.entrySet()) {
            if (!used.contains(e.getKey())) {
                extra.put(e.getKey(), e.getValue());
            }
        }
        return new LabelledRow(number, r.start().line(), id, text, response, gold, categories, extra);
    }

    /** Categories are {@code a;b;c} or a JSON array of strings; blanks are dropped. */
    static List<String> parseCategories(String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        String t = raw.trim();
        List<String> out = new ArrayList<>();
        if (t.startsWith("[") && t.endsWith("]")) {
            try {
                JsonNode node = JsonRecords.MAPPER.readTree(t);
                if (node.isArray()) {
                    for (JsonNode e : node) {
                        String s = e.isValueNode() ? e.asText().trim() : e.toString();
                        if (!s.isEmpty()) {
                            out.add(s);
                        }
                    }
                    return out;
                }
            } catch (IOException notJson) {
                // fall through: brackets that are just part of the text
            }
        }
        for (String part : t.split(";")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    /**
     * Stops reading records: the rows not read yet are left unread (and unchecked), and {@link #fileSha256()} may be
     * called now. {@code --limit} uses this so that the rows after the selection are never parsed.
     */
    void stopReading() {
        pending = null;
        input.stopReading();
    }

    /**
     * SHA-256 (hex) of the file's bytes, the same as {@link Hashing#sha256(Path)}, for a reader from
     * {@link #openHashing} that has been read to the end (or told to {@link #stopReading()}).
     */
    String fileSha256() throws IOException {
        if (pending != null) {
            throw new IllegalStateException("rows remain to be read");
        }
        return input.sha256();
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
