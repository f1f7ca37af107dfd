package org.rsafe.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChatTemplateTest {

    @Test
    void wrapQwenAddsTheDefaultSystemTurnAndTheGenerationPrompt() {
        assertThat(ChatTemplate.wrapQwen("Is this safe?")).isEqualTo(
                "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\nIs this safe?<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void wrapQwenKeepsTheRenderedPromptUntouchedAndPrefillsNothing() {
        String prompt = PromptRenderer.render(RsafeDefaultTaxonomy.policy(), TemplateKind.PAPER, "hi", null);

        String wrapped = ChatTemplate.wrapQwen(prompt);

        // Nothing is pre-filled after the assistant header: the model must open <think> itself.
        assertThat(wrapped).endsWith("<|im_start|>user\n" + prompt + "<|im_end|>\n<|im_start|>assistant\n");
    }
}
