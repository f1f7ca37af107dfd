package org.rsafe.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streaming deltas: never a broken character, never text a stop string will cut, always the whole text in the end. */
class StreamedTextTest {
    @TempDir
    static Path dir;
    static LlmTokenizer tokenizer;

    @BeforeAll
    static void openTokenizer() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("tokenizer.json"), RandomModelWriter.tokenizerJson(300));
        tokenizer = LlmTokenizer.open(dir.resolve("tokenizer.json"));
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void multiByteCharactersSplitAcrossTokensAreSentOnlyWhenComplete() {
        String text = "naïve café — 東京 🙂 done";
        int[] ids = tokenizer.encode(text);
        // The synthetic byte-level vocabulary has no merges for these characters: each byte is its own token.
        assertThat(ids.length).isGreaterThan(text.length());
        StreamedText stream = new StreamedText(0);
        StringBuilder received = new StringBuilder();
        for (int n = 1; n <= ids.length; n++) {
            String delta = stream.advance(tokenizer.decode(ids, n), false);
            assertThat(delta).doesNotContain("\uFFFD");
            received.append(delta);
        }
        received.append(stream.advance(tokenizer.decode(ids), true));
        assertThat(received.toString()).isEqualTo(text);
    }

    @Test
    void charactersThatMayStartAStopStringAreHeldBackUntilResolved() {
        StreamedText stream = new StreamedText(2);   // longest stop string "END" has 3 characters
        assertThat(stream.advance("abc", false)).isEqualTo("a");
        assertThat(stream.advance("abcEN", false)).isEqualTo("bc");
        // the generator cut the text before "END" and finished: the rest is sent, nothing of the stop string
        assertThat(stream.advance("abc", true)).isEmpty();
        assertThat(stream.sent()).isEqualTo(3);
    }

    @Test
    void finishingSendsAnUnfinishedCharacterAsItIs() {
        StreamedText stream = new StreamedText(0);
        assertThat(stream.advance("ok\uFFFD", false)).isEqualTo("ok");
        assertThat(stream.advance("ok\uFFFD", true)).isEqualTo("\uFFFD");
    }
}
