package org.rsafe.prompt;

import java.util.List;
import java.util.Objects;

/**
 * Wraps a rendered guard prompt as one user turn in the model's chat format, with the generation prompt
 * added, exactly as the model's own chat template would.
 *
 * <p>RSafe sends no system message, so Qwen2.5's template inserts its default system turn. Nothing is
 * pre-filled after the assistant header: the model writes {@code <think>} itself.
 */
public final class ChatTemplate {

    /** The system turn Qwen2.5-Instruct's template adds when the conversation does not start with one. */
    public static final String QWEN_DEFAULT_SYSTEM = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";

    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";

    private ChatTemplate() { }

    /** One message of a conversation: its role ({@code system}, {@code user}, {@code assistant}) and its text. */
    public record Turn(String role, String content) {
        public Turn {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(content, "content");
        }
    }

    /** The ChatML text for a single user message followed by the assistant header. */
    public static String wrapQwen(String userMessage) {
        Objects.requireNonNull(userMessage, "userMessage");
        return qwen(List.of(new Turn("user", userMessage)));
    }

    /**
     * The ChatML text for a conversation followed by the assistant header, as Qwen2.5's template renders messages
     * without tools: the default system turn first unless the conversation opens with its own.
     */
    public static String qwen(List<Turn> turns) {
        StringBuilder sb = new StringBuilder();
        if (turns.isEmpty() || !turns.get(0).role().equals("system")) {
            sb.append(IM_START).append("system\n").append(QWEN_DEFAULT_SYSTEM).append(IM_END).append('\n');
        }
        for (Turn t : turns) {
            sb.append(IM_START).append(t.role()).append('\n').append(t.content()).append(IM_END).append('\n');
        }
        return sb.append(IM_START).append("assistant\n").toString();
    }
}
