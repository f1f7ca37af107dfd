package org.rsafe.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.rsafe.engine.DecodingSettings;
import org.rsafe.prompt.ChatTemplate;

/**
 * A {@code POST /v1/chat/completions} body as the server understands it: the messages, the decoding fields (OpenAI's
 * and the common extensions {@code top_k}, {@code repetition_penalty}), {@code stop} and {@code stream}. Temperature 0
 * means greedy, as on every OpenAI-compatible server.
 *
 * @param model     the model asked for, or null when the request names none
 * @param turns     the conversation
 * @param decoding  the decoding settings, {@code max_tokens} included
 * @param stop      stop strings (at most {@value #MAX_STOP_STRINGS})
 * @param stream    whether the answer is streamed as Server-Sent Events
 */
record ChatCompletionRequest(String model, List<ChatTemplate.Turn> turns, DecodingSettings decoding, List<String> stop,
                             boolean stream) {
    static final int MAX_STOP_STRINGS = 4;
    private static final List<String> ROLES = List.of("system", "user", "assistant");

    /** A request the client must correct: answered 400 with this message. */
    static final class Invalid extends Exception {
        final String param;

        Invalid(String message, String param) {
            super(message, null, false, false);
            this.param = param;
        }
    }

    /** Reads and checks a request body; {@code maxTokensLimit} caps {@code max_tokens}. */
    static ChatCompletionRequest from(JsonNode body, int defaultMaxTokens, int maxTokensLimit) throws Invalid {
        if (body == null || !body.isObject()) {
            throw new Invalid("the request body must be a JSON object", null);
        }
        String model = body.hasNonNull("model") ? text(body, "model") : null;
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw new Invalid("'messages' must be a non-empty array", "messages");
        }
        List<ChatTemplate.Turn> turns = new ArrayList<>();
        for (JsonNode m : messages) {
            String role = m.path("role").asText("");
            if (!ROLES.contains(role)) {
                throw new Invalid("message role must be one of " + ROLES + ", was '" + role + "'", "messages");
            }
            turns.add(new ChatTemplate.Turn(role, content(m.path("content"))));
        }
        double temperature = number(body, "temperature", 1.0, 0, 2);
        double topP = number(body, "top_p", 1.0, 0, 1);
        if (topP == 0) {
            throw new Invalid("'top_p' must be above 0", "top_p");
        }
        int topK = (int) number(body, "top_k", 0, -1, 1_000_000);
        double penalty = number(body, "repetition_penalty", 1.0, 0, 10);
        if (penalty == 0) {
            throw new Invalid("'repetition_penalty' must be above 0", "repetition_penalty");
        }
        String tokensField = body.has("max_completion_tokens") && !body.has("max_tokens")
                ? "max_completion_tokens" : "max_tokens";
        int maxTokens = (int) number(body, tokensField, defaultMaxTokens, 1, Integer.MAX_VALUE);
        if (maxTokens > maxTokensLimit) {
            throw new Invalid("'" + tokensField + "' is " + maxTokens + "; this server allows at most "
                    + maxTokensLimit, tokensField);
        }
        long seed = body.hasNonNull("seed") ? (long) number(body, "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE)
                : DecodingSettings.DEFAULT_SEED;
        boolean greedy = temperature == 0;
        DecodingSettings decoding = new DecodingSettings(greedy ? DecodingSettings.GREEDY : "request",
                greedy ? 1.0 : temperature, topP, Math.max(topK, 0), penalty, maxTokens, greedy, seed);
        boolean stream = body.path("stream").asBoolean(false);
        return new ChatCompletionRequest(model, turns, decoding, stops(body.path("stop")), stream);
    }

    /** The model's input: the conversation in Qwen's chat format with the assistant header, as the engine sends it. */
    String modelInput() {
        return ChatTemplate.qwen(turns);
    }

    private static String text(JsonNode body, String field) throws Invalid {
        JsonNode v = body.get(field);
        if (!v.isTextual()) {
            throw new Invalid("'" + field + "' must be a string", field);
        }
        return v.asText();
    }

    /** A message's content: a string, or OpenAI's array of parts of which only text parts are taken. */
    private static String content(JsonNode c) throws Invalid {
        if (c.isTextual()) {
            return c.asText();
        }
        if (c.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : c) {
                if (!part.path("type").asText("").equals("text") || !part.path("text").isTextual()) {
                    throw new Invalid("only text content parts are supported", "messages");
                }
                sb.append(part.path("text").asText());
            }
            return sb.toString();
        }
        throw new Invalid("message content must be a string or an array of text parts", "messages");
    }

    private static double number(JsonNode body, String field, double absent, double min, double max) throws Invalid {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < min || v.asDouble() > max) {
            throw new Invalid("'" + field + "' must be a number from " + fmt(min) + " to " + fmt(max), field);
        }
        return v.asDouble();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static List<String> stops(JsonNode stop) throws Invalid {
        if (stop.isMissingNode() || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(stop.asText());
        }
        if (stop.isArray() && stop.size() <= MAX_STOP_STRINGS) {
            List<String> out = new ArrayList<>();
            for (JsonNode s : stop) {
                if (!s.isTextual()) {
                    throw new Invalid("'stop' must hold strings", "stop");
                }
                out.add(s.asText());
            }
            return out;
        }
        throw new Invalid("'stop' must be a string or an array of at most " + MAX_STOP_STRINGS + " strings", "stop");
    }
}
