package org.rsafe.engine.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads what a server says when it refuses a request: the error message of its body and its {@code Retry-After}. */
final class ServerErrors {
    /** Longest piece of a body quoted in a message. */
    static final int QUOTE_CHARS = 200;
    /** Longest wait a {@code Retry-After} is obeyed for; a longer one is cut to this. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerErrors() { }

    /**
     * The message of an error body: OpenAI's {@code {"error": {"message": ...}}}, the bare {@code {"error": "..."}}
     * of Ollama, FastAPI's {@code {"detail": ...}} or {@code {"message": ...}}; else the start of the body, on one
     * line. Empty when the body is.
     */
    static String fromBody(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.isObject()) {
                for (String field : new String[] {"error", "detail", "message"}) {
                    if (node.hasNonNull(field)) {
                        return message(node.get(field));
                    }
                }
            }
        } catch (IOException notJson) {
            // Quoted as text below.
        }
        return oneLine(body);
    }

    /** The text of an {@code error} value: its {@code message} when it is an object, itself when text. */
    static String message(JsonNode error) {
        if (error.isTextual()) {
            return oneLine(error.asText());
        }
        if (error.hasNonNull("message")) {
            return oneLine(error.get("message").asText());
        }
        return oneLine(error.toString());
    }

    static String oneLine(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= QUOTE_CHARS ? line : line.substring(0, QUOTE_CHARS) + "…";
    }

    /**
     * The wait of a {@code Retry-After} header, in seconds or as an HTTP date, at most {@link #MAX_RETRY_AFTER};
     * empty when absent or unreadable.
     */
    static Optional<Duration> retryAfter(HttpHeaders headers) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::strip);
        if (value.isEmpty() || value.get().isEmpty()) {
            return Optional.empty();
        }
        Duration wait;
        try {
            wait = Duration.ofMillis(Math.round(Double.parseDouble(value.get()) * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME);
                wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        }
        return Optional.of(wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait);
    }
}
