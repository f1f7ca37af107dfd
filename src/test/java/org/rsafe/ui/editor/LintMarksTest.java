package org.rsafe.ui.editor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import org.fxmisc.richtext.model.StyleSpans;
import org.junit.jupiter.api.Test;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.SourcePos;

class LintMarksTest {
    private static final String TEXT = "id: P1\n  title:   Cruelty   \n\nname: x\n";

    @Test
    void aFindingUnderlinesFromItsColumnToTheEndOfTheLineContent() {
        LintMarks marks = LintMarks.of(TEXT, List.of(Diagnostic.error("f", new SourcePos(2, 12), "r", "bad title")));
        LintMarks.Mark m = marks.marks().get(0);
        assertThat(TEXT.substring(m.start(), m.end())).isEqualTo("Cruelty");
        assertThat(m.styleClass()).isEqualTo(LintMarks.ERROR);
    }

    @Test
    void aFindingWithoutAColumnUnderlinesTheWholeLineContent() {
        LintMarks marks = LintMarks.of(TEXT, List.of(Diagnostic.warning("f", new SourcePos(2, 0), "r", "w")));
        LintMarks.Mark m = marks.marks().get(0);
        assertThat(TEXT.substring(m.start(), m.end())).isEqualTo("title:   Cruelty");
    }

    @Test
    void findingsWithoutALineAreLeftToTheProblemsList() {
        LintMarks marks = LintMarks.of(TEXT, List.of(Diagnostic.error("f", SourcePos.UNKNOWN, null, "no such file"),
                Diagnostic.error("f", new SourcePos(99, 1), null, "past the end")));
        assertThat(marks.marks()).isEmpty();
    }

    @Test
    void aFindingOnABlankLineStillGetsAVisibleMark() {
        LintMarks marks = LintMarks.of(TEXT, List.of(Diagnostic.error("f", new SourcePos(3, 1), "r", "blank")));
        assertThat(marks.marks().get(0).end()).isGreaterThan(marks.marks().get(0).start());
    }

    @Test
    void theGutterListsALinesErrorsBeforeItsWarnings() {
        Diagnostic warning = Diagnostic.warning("f", new SourcePos(4, 1), "w", "vague");
        Diagnostic error = Diagnostic.error("f", new SourcePos(4, 7), "e", "wrong");
        LintMarks marks = LintMarks.of(TEXT, List.of(warning, error));
        assertThat(marks.onLine(4)).containsExactly(error, warning);
        assertThat(marks.worstOnLine(4)).contains(Diagnostic.Severity.ERROR);
        assertThat(marks.onLine(1)).isEmpty();
    }

    @Test
    void hoveringACharacterFindsTheFindingsUnderlinedThere() {
        Diagnostic d = Diagnostic.error("f", new SourcePos(1, 5), "r", "bad id");
        LintMarks marks = LintMarks.of(TEXT, List.of(d));
        assertThat(marks.at(TEXT.indexOf("P1"))).containsExactly(d);
        assertThat(marks.at(0)).isEmpty();
    }

    @Test
    void underlinesAreAddedToTheHighlightingAndAnErrorWinsOverAWarning() {
        Diagnostic warning = Diagnostic.warning("f", new SourcePos(2, 3), "w", "w");
        Diagnostic error = Diagnostic.error("f", new SourcePos(2, 12), "e", "e");
        LintMarks marks = LintMarks.of(TEXT, List.of(warning, error));
        StyleSpans<Collection<String>> styled = marks.overlay(YamlHighlighter.highlight(TEXT), TEXT.length());
        assertThat(styled.length()).isEqualTo(TEXT.length());
        assertThat(YamlHighlighterTest.styleAt(styled, TEXT.indexOf("title"))).contains(YamlHighlighter.KEY, LintMarks.WARNING);
        assertThat(YamlHighlighterTest.styleAt(styled, TEXT.indexOf("Cruelty")))
                .contains(LintMarks.ERROR).doesNotContain(LintMarks.WARNING);
        assertThat(YamlHighlighterTest.styleAt(styled, 0)).doesNotContain(LintMarks.ERROR, LintMarks.WARNING);
    }
}
