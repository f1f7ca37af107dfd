package org.rsafe.eval;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rsafe.util.SourcePos;

/** Turns one JSON object, read token by token, into the flat column map that column mapping works on. */
final class JsonRecords {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonRecords() { }

    /**
     * Reads the object whose START_OBJECT the parser is on. Scalars keep their JSON spelling ({@code 1}, {@code 1.0},
     * {@code true}); nested arrays and objects are kept as compact JSON text; nulls are left out (a missing value).
     *
     * @param lineOffset added to the parser's line numbers (JSON Lines parse one line at a time)
     */
    static RawRecord readObject(JsonParser p, int lineOffset) throws IOException {
        SourcePos start = pos(p.currentTokenLocation(), lineOffset);
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, SourcePos> positions = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            SourcePos at = pos(p.currentTokenLocation(), lineOffset);
            String text = switch (v) {
                case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getText();
                case VALUE_TRUE -> "true";
                case VALUE_FALSE -> "false";
                case START_ARRAY, START_OBJECT -> MAPPER.writeValueAsString(p.readValueAsTree());
                default -> null;
            };
            values.remove(name);
            positions.remove(name);
            if (text != null) {
                values.put(name, text);
                positions.put(name, at);
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IllegalStateException("parser left an object on " + t);
        }
        return new RawRecord(start, values, positions, null);
    }

    /**
     * What a parse failure means to the user. Jackson's reading limits (number length, nesting depth, string
     * length) protect the heap and the stack; their messages name Jackson's internals, so those are put plainly.
     */
    static String explain(JsonProcessingException e) {
        String original = JsonLinesSource.firstLine(e.getOriginalMessage());
        if (e instanceof StreamConstraintsException) {
            StreamReadConstraints limits = StreamReadConstraints.defaults();
            if (original.startsWith("Number value length")) {
                return "a number with more than " + limits.getMaxNumberLength() + " digits cannot be read";
            }
            if (original.contains("nesting depth")) {
                return "values nested more than " + limits.getMaxNestingDepth() + " levels deep cannot be read";
            }
            if (original.startsWith("String value length")) {
                return "a text value longer than " + limits.getMaxStringLength() + " characters cannot be read";
            }
            return "the record is beyond a reading limit: " + original;
        }
        return "invalid JSON: " + original;
    }

    /** As {@link #pos}, with a fallback for errors that carry no location. */
    static SourcePos pos(JsonLocation loc, int lineOffset, SourcePos orElse) {
        SourcePos p = pos(loc, lineOffset);
        return p.equals(SourcePos.UNKNOWN) ? orElse : p;
    }

    static SourcePos pos(JsonLocation loc, int lineOffset) {
        if (loc == null || loc.getLineNr() < 1) {
            return SourcePos.UNKNOWN;
        }
        return new SourcePos(loc.getLineNr() + lineOffset, Math.max(1, loc.getColumnNr()));
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
        };
    }
}
