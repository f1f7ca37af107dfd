package org.rsafe.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokenizer.json written with random models must load in DJL's Hugging Face tokenizer and cover any text. */
class SyntheticTokenizerTest {

    @TempDir
    Path tmp;

    static final String CHAT = "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant."
            + "<|im_end|>\n<|im_start|>user\nIs this safe? ça va — 東京 😀\t\u0000<|im_end|>\n<|im_start|>assistant\n";

    @Test
    void chatWrappedPromptsTokenizeWithSpecialTokensAsSingleIds() throws IOException {
        Path dir = TinyModels.f32Tied(tmp);
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"))) {
            Encoding enc = tok.encode(CHAT);
            long[] ids = enc.getIds();
            assertThat(ids[0]).isEqualTo(298);
            assertThat(Arrays.stream(ids).filter(i -> i == 298).count()).isEqualTo(3);
            assertThat(Arrays.stream(ids).filter(i -> i == 299).count()).isEqualTo(2);
            assertThat(Arrays.stream(ids).allMatch(i -> i >= 0 && i < 300)).isTrue();
            assertThat(tok.decode(ids, false)).isEqualTo(CHAT);
            assertThat(tok.encode("<|endoftext|>").getIds()).containsExactly(297L);
        }
    }

    @Test
    void everyByteSequenceEncodesWithoutUnknownsAndDecodesBack() throws IOException {
        Path dir = TinyModels.f32Tied(tmp);
        // DJL truncates to 512 tokens unless told otherwise; a guard prompt is often longer.
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.builder().optTokenizerPath(dir).optTruncation(false).build()) {
            StringBuilder sb = new StringBuilder();
            for (int cp = 1; cp < 0x3000; cp += 7) {
                if (!Character.isSurrogate((char) cp)) {
                    sb.appendCodePoint(cp);
                }
            }
            // NFC normalisation may recompose characters, so compare with the normalised text.
            String text = java.text.Normalizer.normalize(sb.toString(), java.text.Normalizer.Form.NFC);
            long[] ids = tok.encode(text).getIds();
            assertThat(Arrays.stream(ids).allMatch(i -> i >= 0 && i < 297)).isTrue();
            assertThat(tok.decode(ids, false)).isEqualTo(text);
        }
    }

    @Test
    void commonLetterPairsAreMergedSoTokensAreNotAllSingleBytes() throws IOException {
        Path dir = TinyModels.f32Tied(tmp);
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(dir)) {
            long[] ids = tok.encode("the tea").getIds();
            assertThat(ids.length).isLessThan("the tea".length());
            assertThat(Arrays.stream(ids).anyMatch(i -> i >= 256)).isTrue();
        }
    }

    @Test
    void aQwenSizedTokenizerPutsTheSpecialTokensAtQwensIds() throws IOException {
        Path file = tmp.resolve("tokenizer.json");
        Files.writeString(file, RandomModelWriter.tokenizerJson(RandomModelWriter.tokenizerSize(151936)));
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(file)) {
            assertThat(tok.encode("<|endoftext|><|im_start|><|im_end|>").getIds()).containsExactly(151643L, 151644L, 151645L);
            assertThat(Arrays.stream(tok.encode("hello world").getIds()).allMatch(i -> i < 151643)).isTrue();
        }
    }
}
