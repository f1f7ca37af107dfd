package org.rsafe.engine.quick;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SentenceSplitterTest {

    private static List<String> chunks(String text) {
        return SentenceSplitter.split(text).stream().map(s -> s.of(text)).toList();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            The cat sat on the mat. Then it slept all day.   | The cat sat on the mat.           | Then it slept all day.
            Is this safe? I really hope it is fine.           | Is this safe?                     | I really hope it is fine.
            First line of the note\\nSecond line is here too  | First line of the note            | Second line is here too
            He said "stop it now." Then he left the room.    | He said "stop it now."            | Then he left the room.
            Buy milk and eggs; then call the plumber today.   | Buy milk and eggs;                | then call the plumber today.
            """)
    void cutsAtSentencePunctuationAndLineBreaks(String text, String first, String second) {
        assertThat(chunks(text.replace("\\n", "\n"))).containsExactly(first, second);
    }

    @Test
    void joinsFragmentsTooShortToCarryMeaning() {
        assertThat(chunks("Thanks. I want to know how the tides work. Ok.")).containsExactly(
                "Thanks. I want to know how the tides work. Ok.");
    }

    @Test
    void keepsDecimalNumbersAndAbbreviationsWithoutSpaceTogether() {
        assertThat(chunks("The price rose by 3.5 percent in one week.")).containsExactly(
                "The price rose by 3.5 percent in one week.");
    }

    @Test
    void cutsVeryLongRunOnTextIntoBoundedPieces() {
        String text = "word, ".repeat(200) + "end";
        assertThat(SentenceSplitter.split(text)).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(SentenceSplitter.MAX_CHARS));
    }

    @Test
    void blankTextHasNoChunks() {
        assertThat(SentenceSplitter.split("  \n\t ")).isEmpty();
    }

    @Property
    void chunksAreOrderedDisjointTrimmedAndInsideTheText(@ForAll String text) {
        List<Span> spans = SentenceSplitter.split(text);
        int last = 0;
        for (Span s : spans) {
            assertThat(s.start()).isGreaterThanOrEqualTo(last);
            assertThat(s.end()).isLessThanOrEqualTo(text.length()).isGreaterThan(s.start());
            String chunk = s.of(text);
            assertThat(chunk).isEqualTo(chunk.strip());
            last = s.end();
        }
    }
}
