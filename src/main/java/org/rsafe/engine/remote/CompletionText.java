package org.rsafe.engine.remote;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;

/**
 * Rebuilds a guard model's raw output from a chat-completion answer, streamed or whole. Servers with a reasoning
 * parser move the text between {@code <think>} and {@code </think>} into a separate field (vLLM, SGLang and the
 * llama.cpp server: {@code reasoning_content}; newer vLLM and Ollama's {@code /v1}: {@code reasoning}; Ollama's own
 * API: {@code thinking}); it is put back inside {@code <think>…</think>} ahead of the answer, so the output parser
 * reads RSafe's format whichever way the server split it. Every piece of text is handed to a listener in the order it
 * is added to the output, so the streamed pieces join to exactly {@link #rawOutput()}.
 *
 * <p>Not thread-safe: one per request.
 */
final class CompletionText {
    static final String THINK_OPEN = "<think>";
    static final String THINK_CLOSE = "</think>";
    /** The fields servers put split-off reasoning in, in the order they are looked for. */
    private static final String[] REASONING_FIELDS = {"reasoning_content", "reasoning", "thinking"};

    private final StringBuilder raw = new StringBuilder();
    private final Consumer<String> onText;
    private final int maxChars;
    private boolean thinkOpen;
    private String model = "";
    private String finishReason;
    private int promptTokens;
    private int completionTokens;

    /**
     * @param onText   receives each piece of the output as it is added
     * @param maxChars longest output accepted; a longer one is a server fault, not a judgement
     */
    CompletionText(Consumer<String> onText, int maxChars) {
        this.onText = onText;
        this.maxChars = maxChars;
    }

    /** Adds one streamed chunk ({@code choices[0].delta}, {@code usage}, {@code model}). */
    void addChunk(JsonNode chunk) throws RemoteFailure {
        readCommon(chunk);
        JsonNode choice = chunk.path("choices").path(0);
        addParts(choice.path("delta"));
        readFinish(choice);
    }

    /** Adds a whole answer ({@code choices[0].message}); Ollama's own shape ({@code message} at the top) too. */
    void addMessage(JsonNode body) throws RemoteFailure {
        readCommon(body);
        JsonNode choice = body.path("choices").path(0);
        JsonNode message = choice.isMissingNode() ? body.path("message") : choice.path("message");
        addParts(message);
        readFinish(choice);
        if (finishReason == null) {
            finishReason = body.path("done_reason").asText(null);
        }
    }

    /** Closes an open reasoning block; call once the answer is complete. */
    void finish() throws RemoteFailure {
        if (thinkOpen) {
            append(THINK_CLOSE);
            thinkOpen = false;
        }
    }

    private void readCommon(JsonNode node) throws RemoteFailure {
        JsonNode error = node.path("error");
        if (!error.isMissingNode() && !error.isNull()) {
            throw RemoteFailure.ofRow("the server reported an error in its answer: " + ServerErrors.message(error));
        }
        if (node.hasNonNull("model")) {
            model = node.get("model").asText();
        }
        JsonNode usage = node.path("usage");
        if (usage.isObject()) {
            promptTokens = usage.path("prompt_tokens").asInt(promptTokens);
            completionTokens = usage.path("completion_tokens").asInt(completionTokens);
        }
    }

    private void readFinish(JsonNode choice) {
        JsonNode reason = choice.path("finish_reason");
        if (reason.isTextual()) {
            finishReason = reason.asText();
        }
    }

    private void addParts(JsonNode message) throws RemoteFailure {
        for (String field : REASONING_FIELDS) {
            JsonNode r = message.path(field);
            if (r.isTextual() && !r.asText().isEmpty()) {
                if (!thinkOpen) {
                    append(THINK_OPEN);
                    thinkOpen = true;
                }
                append(r.asText());
                break;
            }
        }
        JsonNode content = message.path("content");
        if (content.isTextual() && !content.asText().isEmpty()) {
            finish();
            append(content.asText());
        }
    }

    private void append(String piece) throws RemoteFailure {
        if (raw.length() + piece.length() > maxChars) {
            throw RemoteFailure.ofRow("the answer is longer than " + maxChars + " characters; "
                    + "is --max-new-tokens honoured by the server?");
        }
        raw.append(piece);
        onText.accept(piece);
    }

    /** The output as the model wrote it, reasoning back inside its think block. */
    String rawOutput() {
        return raw.toString();
    }

    /** The model name the server put in its answer; empty when it gave none. */
    String model() {
        return model;
    }

    /** Why generation stopped ({@code stop}, {@code length}), or null when the server has not said. */
    String finishReason() {
        return finishReason;
    }

    int promptTokens() {
        return promptTokens;
    }

    int completionTokens() {
        return completionTokens;
    }
}
