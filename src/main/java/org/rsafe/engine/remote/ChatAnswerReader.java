package org.rsafe.engine.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Locale;

/**
 * Reads a chat-completion answer into a {@link CompletionText}: Server-Sent Events ({@code data: {chunk}} lines,
 * events separated by blank lines, ended by {@code data: [DONE]}) as they arrive, or one JSON body. A server that
 * answers a streamed request with a whole body, or streams without saying so in its {@code Content-Type}, is read
 * too: the shape of the first line decides.
 */
final class ChatAnswerReader {
    static final String DONE = "[DONE]";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A source of lines: the live exchange, or lines already read. */
    private interface Lines {
        /** The next line, or null at the end. */
        String next() throws RemoteFailure;
    }

    private ChatAnswerReader() { }

    /** Reads the body of a 2xx answer. */
    static void read(StreamingExchange exchange, StreamingExchange.Head head, CompletionText text)
            throws RemoteFailure {
        String type = head.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        Lines live = limited(exchange::nextLine);
        if (type.startsWith("text/event-stream")) {
            readEvents(live, text);
            return;
        }
        StringBuilder body = new StringBuilder();
        String first = live.next();
        // Bounded: skips the blank lines at the start of a body that ends.
        while (first != null && first.isBlank()) {
            first = live.next();
        }
        if (first != null && isField(first)) {
            readEvents(startingWith(first, live), text);
            return;
        }
        // Bounded: reads a body that ends, at most MAX_BODY_CHARS of it (limited).
        for (String line = first; line != null; line = live.next()) {
            body.append(line).append('\n');
        }
        readWhole(body.toString(), text);
    }

    /** {@code first}, then the rest of {@code lines}. */
    private static Lines startingWith(String first, Lines lines) {
        boolean[] given = {false};
        return () -> {
            if (!given[0]) {
                given[0] = true;
                return first;
            }
            return lines.next();
        };
    }

    /** Reads one whole JSON answer. */
    static void readWhole(String body, CompletionText text) throws RemoteFailure {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw RemoteFailure.ofRow("the answer is not JSON: " + ServerErrors.oneLine(body));
        }
        if (json == null || !json.isObject() || !(json.has("choices") || json.has("message") || json.has("error"))) {
            throw RemoteFailure.ofRow("the answer is not a chat completion: " + ServerErrors.oneLine(body));
        }
        text.addMessage(json);
    }

    /** Reads events until {@code [DONE]} or the end of the stream. */
    private static void readEvents(Lines lines, CompletionText text) throws RemoteFailure {
        StringBuilder data = new StringBuilder();
        boolean hasData = false;
        // Bounded: one turn per line of a body that ends (limited in size), or until [DONE].
        for (String line = lines.next(); ; line = lines.next()) {
            if (line == null || line.isEmpty()) {
                if (hasData) {
                    if (dispatch(data.toString(), text)) {
                        return;
                    }
                    data.setLength(0);
                    hasData = false;
                }
                if (line == null) {
                    break;
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue; // a comment, such as a keep-alive
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("data")) {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            } else if (!isField(line)) {
                throw RemoteFailure.ofRow("the answer stream holds a line that is not an event field: "
                        + ServerErrors.oneLine(line));
            }
        }
        if (text.finishReason() == null) {
            throw RemoteFailure.ofRetry("the answer stream ended before the answer did (no [DONE], no finish_reason)",
                    null);
        }
    }

    /** Handles one event's data; true when it was the end marker. */
    private static boolean dispatch(String data, CompletionText text) throws RemoteFailure {
        if (data.strip().equals(DONE)) {
            return true;
        }
        JsonNode chunk;
        try {
            chunk = JSON.readTree(data);
        } catch (JsonProcessingException e) {
            throw RemoteFailure.ofRow("the answer stream holds an event that is not JSON: "
                    + ServerErrors.oneLine(data));
        }
        if (chunk == null || !chunk.isObject()) {
            throw RemoteFailure.ofRow("the answer stream holds an event that is not a JSON object: "
                    + ServerErrors.oneLine(data));
        }
        text.addChunk(chunk);
        return false;
    }

    /** Whether a line is a Server-Sent Events field ({@code data:}, {@code event:}, {@code id:}, {@code retry:}). */
    private static boolean isField(String line) {
        for (String f : List.of("data", "event", "id", "retry")) {
            if (line.startsWith(f + ":") || line.equals(f)) {
                return true;
            }
        }
        return false;
    }

    /** {@code lines}, failing once more than {@link RemoteEngine#MAX_BODY_CHARS} have been read. */
    private static Lines limited(Lines lines) {
        long[] read = {0};
        return () -> {
            String line = lines.next();
            if (line != null) {
                read[0] += line.length() + 1;
                if (read[0] > RemoteEngine.MAX_BODY_CHARS) {
                    throw RemoteFailure.ofRow("the answer is longer than " + RemoteEngine.MAX_BODY_CHARS
                            + " characters");
                }
            }
            return line;
        };
    }
}
