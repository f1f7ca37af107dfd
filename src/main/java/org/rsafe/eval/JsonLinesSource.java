package org.rsafe.eval;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.Reader;
import org.rsafe.util.BoundedLineReader;
import org.rsafe.util.SourcePos;

/**
 * JSON Lines: each non-blank line is parsed on its own, so one broken line is one bad row and the rest still reads.
 * Lines end at LF; a CR before it is dropped. A line longer than {@link RecordSource#MAX_RECORD_CHARS} is a bad row,
 * read past without being kept.
 */
final class JsonLinesSource implements RecordSource {
    private final BoundedLineReader in;

    JsonLinesSource(Reader in) {
        this.in = BoundedLineReader.skippingLongLines(in, MAX_RECORD_CHARS);
    }

    @Override
    public RawRecord next() throws IOException {
        while (true) {
            String text = in.readLine();
            if (text == null) {
                return null;
            }
            int lineNumber = (int) Math.min(in.lineNumber(), Integer.MAX_VALUE);
            SourcePos lineStart = new SourcePos(lineNumber, 1);
            if (in.lastLineTooLong()) {
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

    @Override
    public void close() throws IOException {
        in.close();
    }
}
