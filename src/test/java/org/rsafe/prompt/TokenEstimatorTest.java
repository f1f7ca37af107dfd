package org.rsafe.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenEstimatorTest {

    // Token counts of these two strings are published for the Qwen2.5 tokenizer (24 and 5 ids).
    private static final String QWEN_PREFIX = "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. "
            + "You are a helpful assistant.<|im_end|>\n<|im_start|>user\n";
    private static final String QWEN_SUFFIX = "<|im_end|>\n<|im_start|>assistant\n";

    @Test
    void emptyTextHasNoTokens() {
        assertThat(TokenEstimator.estimate("")).isZero();
    }

    @Test
    void estimateIsCloseToTheTokenizerOnTheReferenceChatFrame() {
        assertThat(TokenEstimator.estimate(QWEN_PREFIX)).isBetween(23, 25);
        assertThat(TokenEstimator.estimate(QWEN_SUFFIX)).isEqualTo(5);
    }

    @Test
    void chatControlTokensCountOneEach() {
        assertThat(TokenEstimator.estimate("<|im_start|><|im_end|><|endoftext|>")).isEqualTo(3);
    }

    @Test
    void everyDigitIsOneToken() {
        assertThat(TokenEstimator.estimate("2048")).isEqualTo(4);
    }

    @Test
    void longWordsCostMoreThanShortOnes() {
        assertThat(TokenEstimator.estimate(" safety")).isEqualTo(1);
        assertThat(TokenEstimator.estimate(" antidisestablishmentarianism")).isEqualTo(5);
        assertThat(TokenEstimator.estimate("UNSAFE")).isEqualTo(2);
    }

    @Test
    void nonAsciiCharactersCountOneEach() {
        assertThat(TokenEstimator.estimate("安全吗")).isEqualTo(3);
    }

    @Test
    void renderedDefaultPromptIsEstimatedWellUnderTheTrainingPromptLimit() {
        String prompt = PromptRenderer.render(RsafeDefaultTaxonomy.policy(), TemplateKind.PAPER, "hi", null);

        // 1190 bytes of mostly English; any sane estimate lands between 4 and 2 characters per token.
        assertThat(TokenEstimator.estimate(ChatTemplate.wrapQwen(prompt))).isBetween(1190 / 4, 1190 / 2);
    }
}
