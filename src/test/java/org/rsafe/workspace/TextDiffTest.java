package org.rsafe.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Side-by-side rows of the line diff on small crafted texts. */
class TextDiffTest {

    /** Rows as compact strings: {@code =a}, {@code ~a>b}, {@code -a}, {@code +b}. */
    private static List<String> compact(List<DiffRow> rows) {
        List<String> out = new ArrayList<>();
        for (DiffRow r : rows) {
            out.add(switch (r.kind()) {
                case SAME -> "=" + r.leftText();
                case CHANGED -> "~" + r.leftText() + ">" + r.rightText();
                case REMOVED -> "-" + r.leftText();
                case ADDED -> "+" + r.rightText();
            });
        }
        return out;
    }

    private static String lines(String spaced) {
        return spaced.isEmpty() ? "" : String.join("\n", spaced.split(" ")) + "\n";
    }

    @ParameterizedTest(name = "[{0}] vs [{1}]")
    @CsvSource(delimiter = '|', textBlock = """
            a b c     | a b c     | =a =b =c
            a b c     | a x c     | =a ~b>x =c
            a b c     | a c       | =a -b =c
            a c       | a b c     | =a +b =c
            a b c d   | a x y d   | =a ~b>x ~c>y =d
            a b       | a x y b   | =a +x +y =b
            a b c     | ''        | -a -b -c
            ''        | x y       | +x +y
            x a b     | a b y     | -x =a =b +y
            a b a b   | b a b a   | -a =b =a =b +a
            """)
    void rowsPairRemovedAndAddedLinesBetweenUnchangedOnes(String left, String right, String expected) {
        List<DiffRow> rows = TextDiff.sideBySide(lines(left), lines(right));

        assertThat(compact(rows)).containsExactly(expected.split(" "));
    }

    @Test
    void lineNumbersFollowEachSide() {
        List<DiffRow> rows = TextDiff.sideBySide("a\nb\nc\n", "a\nnew\nb\nc\n");

        assertThat(rows).extracting(DiffRow::leftLine).containsExactly(1, 0, 2, 3);
        assertThat(rows).extracting(DiffRow::rightLine).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aChangedLineHighlightsOnlyTheDifferingMiddle() {
        DiffRow row = TextDiff.sideBySide("    threshold: 0.5 # tuned\n", "    threshold: 0.8 # tuned\n").get(0);
        DiffRow inserted = TextDiff.sideBySide("    threshold: 0.5\n", "    threshold: 0.75\n").get(0);

        assertThat(row.kind()).isEqualTo(DiffRow.Kind.CHANGED);
        assertThat(highlighted(row.leftText(), row.leftHighlight())).isEqualTo("5");
        assertThat(highlighted(row.rightText(), row.rightHighlight())).isEqualTo("8");
        assertThat(inserted.leftHighlight().isEmpty()).isTrue();
        assertThat(highlighted(inserted.rightText(), inserted.rightHighlight())).isEqualTo("7");
    }

    private static String highlighted(String text, DiffRow.Range range) {
        return text.substring(range.start(), range.end());
    }

    @Test
    void lineEndingsAndAFinalLineBreakAreNotDifferences() {
        assertThat(TextDiff.hasChanges(TextDiff.sideBySide("a\r\nb\r\n", "a\nb"))).isFalse();
    }
}
