package org.rsafe.eval;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rsafe.util.SourcePos;

/**
 * Reads delimiter-separated records as RFC 4180 describes them: fields may be quoted, a quote inside a quoted field is
 * doubled, and quoted fields may span lines. A record ends at LF or CRLF; a lone CR is kept as data (some exported
 * sets carry stray CRs inside unquoted text). Blank lines are skipped. Line and column are tracked per field so that
 * problems can be reported where they are.
 */
final class CsvSource implements RecordSource {
    private static final int EOF = -1;
    private static final int CLOSED = 0;
    private static final int TOO_LONG = 1;
    /** Longest field accepted, quoted or not: the record limit, as a field cannot be longer than its record. */
    static final int MAX_FIELD_CHARS = MAX_RECORD_CHARS;

    private final Reader in;
    private final char delimiter;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int lim;
    private int line = 1;
    private int col = 1;
    private final StringBuilder field = new StringBuilder();
    /** Characters of the current record so far; past {@link #MAX_RECORD_CHARS} nothing more of it is kept. */
    private long recordChars;
    /** Where the terminator of the last field read stands (the record's end). */
    private SourcePos lastEnd;
    private final List<String> header;
    private boolean finished;

    /** One record's fields with the position of each, and where its terminator is. */
    private record Fields(SourcePos start, List<String> values, List<SourcePos> starts, SourcePos end, RawRecord.Problem problem) { }

    CsvSource(Reader in, char delimiter) throws IOException {
        this.in = in;
        this.delimiter = delimiter;
        Fields first = nextFields();
        if (first == null) {
            header = List.of();
        } else if (first.problem() != null) {
            throw new HeaderException(first.problem());
        } else {
            header = uniqueNames(first.values());
        }
    }

    /** The header could not be read; the reader turns this into a user error with the position. */
    static final class HeaderException extends IOException {
        private static final long serialVersionUID = 1L;
        final transient RawRecord.Problem problem;

        HeaderException(RawRecord.Problem problem) {
            super(problem.message());
            this.problem = problem;
        }
    }

    List<String> header() {
        return header;
    }

    @Override
    public RawRecord next() throws IOException {
        Fields f = nextFields();
        if (f == null) {
            return null;
        }
        if (f.problem() != null) {
            return new RawRecord(f.start(), Map.of(), Map.of(), f.problem());
        }
        int n = f.values().size();
        if (n != header.size()) {
            String msg = "expected " + header.size() + " fields as in the header, found " + n;
            SourcePos where = n > header.size() ? f.starts().get(header.size()) : f.end();
            return RawRecord.bad(f.start(), where, "csv-fields", msg);
        }
        Map<String, String> values = new LinkedHashMap<>(n * 2);
        Map<String, SourcePos> positions = new LinkedHashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            values.put(header.get(i), f.values().get(i));
            positions.put(header.get(i), f.starts().get(i));
        }
        return new RawRecord(f.start(), values, positions, null);
    }

    private Fields nextFields() throws IOException {
        while (true) {
            if (finished || peek() == EOF) {
                return null;
            }
            SourcePos start = here();
            recordChars = 0;
            List<String> values = new ArrayList<>();
            List<SourcePos> starts = new ArrayList<>();
            boolean anyQuoted = false;
            SourcePos end;
            while (true) {
                SourcePos fieldStart = here();
                field.setLength(0);
                if (peek() == '"') {
                    anyQuoted = true;
                    read();
                    int outcome = readQuoted();
                    if (outcome != CLOSED) {
                        finished = true;
                        String why = outcome == EOF
                                ? "quoted field opened here is never closed (unterminated quote at end of file)"
                                : "quoted field opened here runs past " + MAX_RECORD_CHARS
                                        + " characters (the limit for one record); a closing quote is probably missing";
                        return new Fields(start, values, starts, here(), new RawRecord.Problem(fieldStart, "csv-quote",
                                why, true));
                    }
                }
                int term = readUnquoted();
                if (recordChars <= MAX_RECORD_CHARS) {
                    values.add(field.toString());
                    starts.add(fieldStart);
                }
                if (term != delimiter) {
                    end = lastEnd;
                    break;
                }
            }
            if (recordChars > MAX_RECORD_CHARS) {
                return new Fields(start, List.of(), List.of(), end, new RawRecord.Problem(start, "too-long",
                        RecordSource.tooLong("the record") + "; it was read past and left out", false));
            }
            if (values.size() == 1 && !anyQuoted && values.get(0).isBlank()) {
                continue;
            }
            return new Fields(start, values, starts, end, null);
        }
    }

    /**
     * Reads the rest of a quoted field after its opening quote: {@link #CLOSED}, {@link #EOF} when the file ends
     * first, or {@link #TOO_LONG} when the field outgrows {@link #MAX_FIELD_CHARS} (a stray quote would otherwise pull
     * the rest of a large file into memory).
     */
    private int readQuoted() throws IOException {
        while (true) {
            int c = read();
            if (c == EOF) {
                return EOF;
            }
            if (c == '"') {
                if (peek() == '"') {
                    read();
                    field.append('"');
                } else {
                    return CLOSED;
                }
            } else {
                field.append((char) c);
                if (++recordChars > MAX_RECORD_CHARS) {
                    return TOO_LONG;
                }
            }
        }
    }

    /**
     * Reads up to the delimiter or the end of the record and returns what stopped it (the delimiter, '\n' or EOF).
     * Text after a closing quote is kept as it is, like most spreadsheet programs do.
     */
    private int readUnquoted() throws IOException {
        while (true) {
            if (pos >= lim && !fill()) {
                lastEnd = here();
                return EOF;
            }
            char c = buf[pos];
            if (c == delimiter) {
                pos++;
                col++;
                recordChars++;
                return delimiter;
            }
            if (c == '\n') {
                lastEnd = here();
                read();
                return '\n';
            }
            if (c == '\r') {
                SourcePos crAt = here();
                read();
                if (peek() == '\n') {
                    lastEnd = crAt;
                    read();
                    return '\n';
                }
                keep('\r');
                continue;
            }
            pos++;
            col++;
            keep(c);
        }
    }

    /** Adds a character of an unquoted field, unless the record is already over the limit (then it is only counted). */
    private void keep(char c) {
        if (++recordChars <= MAX_RECORD_CHARS) {
            field.append(c);
        } else if (field.length() > 0) {
            field.setLength(0);
            field.trimToSize();
        }
    }

    private SourcePos here() {
        return new SourcePos(line, col);
    }

    private int peek() throws IOException {
        if (pos >= lim && !fill()) {
            return EOF;
        }
        return buf[pos];
    }

    private int read() throws IOException {
        if (pos >= lim && !fill()) {
            return EOF;
        }
        char c = buf[pos++];
        if (c == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        return c;
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            lim = 0;
            pos = 0;
            return false;
        }
        pos = 0;
        lim = n;
        return true;
    }

    /** Header names as given, trimmed; blanks become {@code column_N} and repeats get a {@code _2} suffix. */
    private static List<String> uniqueNames(List<String> raw) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String name = raw.get(i).trim();
            if (name.isEmpty()) {
                name = "column_" + (i + 1);
            }
            String unique = name;
            for (int k = 2; !seen.add(unique); k++) {
                unique = name + "_" + k;
            }
            out.add(unique);
        }
        return List.copyOf(out);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
