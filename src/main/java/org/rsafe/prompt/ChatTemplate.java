package org.rsafe.prompt;

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

    /** The ChatML text for a single user message followed by the assistant header. */
    public static String wrapQwen(String userMessage) {
        Objects.requireNonNull(userMessage, "userMessage");
        return IM_START + "system\n" + QWEN_DEFAULT_SYSTEM + IM_END + "\n"
                + IM_START + "user\n" + userMessage + IM_END + "\n"
                + IM_START + "assistant\n";
    }
}
