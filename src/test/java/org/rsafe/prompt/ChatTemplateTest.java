package org.rsafe.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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

    @Test
    void aConversationOfOneUserMessageRendersAsTheEnginesOwnPrompt() {
        assertThat(ChatTemplate.qwen(List.of(new ChatTemplate.Turn("user", "Is this safe?"))))
                .isEqualTo(ChatTemplate.wrapQwen("Is this safe?"));
    }

    @Test
    void aConversationThatOpensWithItsOwnSystemTurnGetsNoDefaultOne() {
        String text = ChatTemplate.qwen(List.of(new ChatTemplate.Turn("system", "Be brief."),
                new ChatTemplate.Turn("user", "Hi"), new ChatTemplate.Turn("assistant", "Hello."),
                new ChatTemplate.Turn("user", "Bye")));

        assertThat(text).isEqualTo("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>assistant\nHello.<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n");
    }
}
