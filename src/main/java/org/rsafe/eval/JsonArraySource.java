package org.rsafe.eval;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.Reader;
import org.rsafe.util.SourcePos;

/**
 * A file holding one JSON array of objects, read with Jackson's streaming parser one element at a time, so the
 * array is never held in memory. An element that is not an object is a bad row; broken JSON ends the file, since
 * no parser can find the next element after it.
 */
final class JsonArraySource implements RecordSource {
    private final JsonParser parser;
    private final RecordLimitReader limited;
    private boolean finished;

    JsonArraySource(Reader in) throws IOException {
        this.limited = new RecordLimitReader(in);
        this.parser = JsonRecords.MAPPER.createParser(limited);
    }

    /** Reads the opening bracket; a problem here is a problem with the whole file. */
    RawRecord.Problem begin() throws IOException {
        try {
            JsonToken t = parser.nextToken();
            if (t != JsonToken.START_ARRAY) {
                return new RawRecord.Problem(JsonRecords.pos(parser.currentTokenLocation(), 0), "json-syntax",
                        "expected a JSON array, found " + JsonRecords.describe(t), true);
            }
            return null;
        } catch (JsonProcessingException e) {
            return new RawRecord.Problem(JsonRecords.pos(e.getLocation(), 0, new SourcePos(1, 1)), "json-syntax",
                    JsonRecords.explain(e), true);
        }
    }

    @Override
    public RawRecord next() throws IOException {
        if (finished) {
            return null;
        }
        SourcePos recordStart = JsonRecords.pos(parser.currentLocation(), 0);
        limited.startRecord();
        try {
            JsonToken t = parser.nextToken();
            SourcePos at = JsonRecords.pos(parser.currentTokenLocation(), 0);
            if (t == null) {
                finished = true;
                return RawRecord.fatal(at, at, "json-syntax", "the JSON array is not closed before the end of the file");
            }
            if (t == JsonToken.END_ARRAY) {
                finished = true;
                JsonToken after = parser.nextToken();
                if (after != null) {
                    SourcePos afterAt = JsonRecords.pos(parser.currentTokenLocation(), 0);
                    return RawRecord.fatal(afterAt, afterAt, "json-syntax",
                            "unexpected " + JsonRecords.describe(after) + " after the JSON array");
                }
                return null;
            }
            if (t != JsonToken.START_OBJECT) {
                parser.skipChildren();
                return RawRecord.bad(at, at, "json-row", "expected a JSON object as array element, found "
                        + JsonRecords.describe(t));
            }
            return JsonRecords.readObject(parser, 0);
        } catch (JsonProcessingException e) {
            finished = true;
            SourcePos at = JsonRecords.pos(e.getLocation(), 0, JsonRecords.pos(parser.currentLocation(), 0));
            return RawRecord.fatal(at, at, "json-syntax", JsonRecords.explain(e)
                    + " (the rest of the file cannot be read)");
        } catch (RecordLimitReader.TooLong e) {
            finished = true;
            return RawRecord.fatal(recordStart, recordStart, "too-long", "the array element after this point: "
                    + e.getMessage() + " (the rest of the file is not read)");
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
