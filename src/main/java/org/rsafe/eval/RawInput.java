package org.rsafe.eval;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.SourcePos;
import org.rsafe.util.UserException;

/**
 * An opened data file of any supported format, as raw records: the header (for JSON, the keys seen in the first
 * records), a small read-ahead sample, and the rest read on demand.
 */
final class RawInput implements AutoCloseable {
    private final String fileName;
    private final DataFormat format;
    private final RecordSource source;
    private final List<String> header;
    private final ArrayDeque<RawRecord> ahead;
    private final TextInput.HashingStream digested;
    private boolean sourceDone;
    private String sha256;

    private RawInput(String fileName, DataFormat format, RecordSource source, List<String> header,
                     ArrayDeque<RawRecord> ahead, boolean sourceDone, TextInput.HashingStream digested) {
        this.fileName = fileName;
        this.digested = digested;
        this.format = format;
        this.source = source;
        this.header = header;
        this.ahead = ahead;
        this.sourceDone = sourceDone;
    }

    /**
     * Opens the file and reads up to {@code sampleSize} records ahead.
     *
     * @throws UserException when the file is missing, unreadable, empty (CSV) or not a JSON array where one starts
     */
    static RawInput open(Path file, int sampleSize) {
        return open(file, sampleSize, null);
    }

    /** As {@link #open(Path, int)}, hashing the file's bytes into {@code digest} (when not null) as they are read. */
    static RawInput open(Path file, int sampleSize, MessageDigest digest) {
        String name = file.toString();
        RecordSource source = null;
        TextInput.HashingStream digested = null;
        try {
            TextInput.Opened in = TextInput.open(file, digest);
            digested = in.digested();
            List<String> header = null;
            switch (in.format()) {
                case CSV -> {
                    try {
                        CsvSource csv = new CsvSource(in.reader(), in.csvDelimiter());
                        source = csv;
                        header = csv.header();
                    } catch (CsvSource.HeaderException e) {
                        in.reader().close();
                        throw userError(name, e.problem.pos(), e.problem.rule(),
                                "cannot read the header: " + e.problem.message());
                    }
                    if (header.isEmpty()) {
                        throw userError(name, new SourcePos(1, 1), "empty-file", "the file is empty: expected a header line");
                    }
                }
                case JSONL -> source = new JsonLinesSource(in.reader());
                case JSON_ARRAY -> {
                    JsonArraySource array = new JsonArraySource(in.reader());
                    source = array;
                    RawRecord.Problem p = array.begin();
                    if (p != null) {
                        throw userError(name, p.pos(), p.rule(), p.message());
                    }
                }
                default -> throw new IllegalStateException("format " + in.format());
            }
            ArrayDeque<RawRecord> ahead = new ArrayDeque<>();
            boolean done = false;
            while (ahead.size() < sampleSize) {
                RawRecord r = source.next();
                if (r == null) {
                    done = true;
                    break;
                }
                ahead.add(r);
                if (r.problem() != null && r.problem().fatal()) {
                    done = true;
                    break;
                }
            }
            if (header == null) {
                Set<String> keys = new LinkedHashSet<>();
                for (RawRecord r : ahead) {
                    keys.addAll(r.values().keySet());
                }
                header = List.copyOf(keys);
            }
            RawInput opened = new RawInput(name, in.format(), source, header, ahead, done, digested);
            source = null;
            digested = null;
            return opened;
        } catch (StrictTextReader.InvalidText e) {
            throw userError(name, e.pos(), e.rule(), e.getMessage());
        } catch (NoSuchFileException e) {
            throw new UserException(name + ": no such file");
        } catch (IOException e) {
            throw new UserException(name + ": cannot read: " + e.getMessage(), e);
        } finally {
            if (source != null) {
                try {
                    source.close();
                } catch (IOException ignored) {
                    // the open already failed; its error is the one to report
                }
            }
            if (digested != null) {
                try {
                    digested.release();
                } catch (IOException ignored) {
                    // as above
                }
            }
        }
    }

    static UserException userError(String file, SourcePos pos, String rule, String message) {
        return new UserException(List.of(Diagnostic.error(file, pos, rule, message)));
    }

    String fileName() {
        return fileName;
    }

    DataFormat format() {
        return format;
    }

    List<String> header() {
        return header;
    }

    /** The first problem among the records read ahead, or null when they all read. */
    RawRecord.Problem firstProblemAhead() {
        for (RawRecord r : ahead) {
            if (r.problem() != null) {
                return r.problem();
            }
        }
        return null;
    }

    /** The readable records among those read ahead. */
    List<Map<String, String>> samples() {
        List<Map<String, String>> out = new ArrayList<>();
        for (RawRecord r : ahead) {
            if (r.problem() == null) {
                out.add(r.values());
            }
        }
        return out;
    }

    /** The next raw record, or null at the end; after a fatal problem nothing more is read. */
    RawRecord next() {
        if (!ahead.isEmpty()) {
            return ahead.poll();
        }
        if (sourceDone) {
            return null;
        }
        try {
            RawRecord r = source.next();
            if (r == null || (r.problem() != null && r.problem().fatal())) {
                sourceDone = true;
            }
            return r;
        } catch (StrictTextReader.InvalidText e) {
            sourceDone = true;
            throw userError(fileName, e.pos(), e.rule(), e.getMessage());
        } catch (IOException e) {
            sourceDone = true;
            throw new UserException(fileName + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** No more records are read; the file's remaining bytes are still hashed by {@link #sha256()}. */
    void stopReading() {
        ahead.clear();
        sourceDone = true;
    }

    /**
     * SHA-256 (hex) of the whole file, for an input opened with a digest once every record has been read: the
     * bytes the records left unread (after the last record, or after a fatal problem) are read here.
     */
    String sha256() throws IOException {
        if (digested == null) {
            throw new IllegalStateException("opened without a digest");
        }
        if (sha256 == null) {
            if (!ahead.isEmpty() || !sourceDone) {
                // Reading the rest now would take bytes from under the records still to come.
                throw new IllegalStateException("records remain to be read");
            }
            sha256 = digested.finish();
        }
        return sha256;
    }

    @Override
    public void close() throws IOException {
        try {
            source.close();
        } finally {
            if (digested != null) {
                digested.release();
            }
        }
    }
}
