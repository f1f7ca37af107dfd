package org.rsafe.eval;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.Reader;
import org.rsafe.util.SourcePos;

/**
 * JSON Lines: each non-blank line is parsed on its own, so one broken line is one bad row and the rest still reads.
 * Lines end at LF; a CR before it is dropped.
 */
final class JsonLinesSource implements RecordSource {
    private final Reader in;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int lim;
    private int lineNumber;
    private final StringBuilder line = new StringBuilder();
    /** The last line read ran past {@link RecordSource#MAX_RECORD_CHARS}; only its start was kept. */
    private boolean lineTooLong;

    JsonLinesSource(Reader in) {
        this.in = in;
    }

    @Override
    public RawRecord next() throws IOException {
        while (true) {
            String text = readLine();
            if (text == null) {
                return null;
            }
            SourcePos lineStart = new SourcePos(lineNumber, 1);
            if (lineTooLong) {
                return RawRecord.bad(lineStart, new SourcePos(lineNumber, MAX_RECORD_CHARS + 1), "too-long",
                        RecordSource.tooLong("the line") + "; it was read past and left out");
            }
            if (text.isBlank()) {
                continue;
            }
            int offset = lineNumber - 1;
            try (JsonParser p = JsonRecords.MAPPER.createParser(text)) {
                JsonToken t = p.nextToken();
                if (t != JsonToken.START_OBJECT) {
                    return RawRecord.bad(lineStart, JsonRecords.pos(p.currentTokenLocation(), offset), "json-row",
                            "expected a JSON object on this line, found " + JsonRecords.describe(t));
                }
                RawRecord r = JsonRecords.readObject(p, offset);
                JsonToken after = p.nextToken();
                if (after != null) {
                    return RawRecord.bad(lineStart, JsonRecords.pos(p.currentTokenLocation(), offset), "json-syntax",
                            "unexpected " + JsonRecords.describe(after) + " after the JSON object");
                }
                return r;
            } catch (JsonProcessingException e) {
                return RawRecord.bad(lineStart, JsonRecords.pos(e.getLocation(), offset, lineStart), "json-syntax",
                        JsonRecords.explain(e));
            }
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /**
     * The next line without its terminator, or null at the end of the file. A line longer than
     * {@link RecordSource#MAX_RECORD_CHARS} is read to its end but only its start is kept ({@link #lineTooLong}).
     */
    private String readLine() throws IOException {
        line.setLength(0);
        lineTooLong = false;
        boolean any = false;
        while (true) {
            if (pos >= lim) {
                int n = in.read(buf, 0, buf.length);
                if (n <= 0) {
                    if (!any) {
                        return null;
                    }
                    break;
                }
                pos = 0;
                lim = n;
            }
            any = true;
            int startPos = pos;
            while (pos < lim && buf[pos] != '\n') {
                pos++;
            }
            int room = MAX_RECORD_CHARS + 1 - line.length();
            int n = pos - startPos;
            if (n > room) {
                lineTooLong = true;
                n = Math.max(room, 0);
            }
            line.append(buf, startPos, n);
            if (pos < lim) {
                pos++;
                break;
            }
        }
        lineNumber++;
        int len = line.length();
        if (len > 0 && line.charAt(len - 1) == '\r' && !lineTooLong) {
            line.setLength(len - 1);
        }
        return lineTooLong ? "" : line.toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
