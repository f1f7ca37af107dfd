package org.rsafe.ui.editor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.fxmisc.richtext.model.StyleSpan;
import org.fxmisc.richtext.model.StyleSpans;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class YamlHighlighterTest {

    static Collection<String> styleAt(StyleSpans<Collection<String>> spans, int offset) {
        int pos = 0;
        for (StyleSpan<Collection<String>> s : spans) {
            if (offset < pos + s.getLength()) {
                return s.getStyle();
            }
            pos += s.getLength();
        }
        throw new IllegalArgumentException("offset " + offset + " past the spans");
    }

    @ParameterizedTest(name = "{1} in \"{0}\" is {2}")
    @CsvSource(delimiter = '|', textBlock = """
            id: P1                          | id        | yaml-key
            id: P1                          | P1        | yaml-value
            # a comment                     | comment   | yaml-comment
            name: Shop  # trailing          | trailing  | yaml-comment
            title: "Animal cruelty"         | cruelty   | yaml-string
            title: 'it''s fine'             | fine      | yaml-string
            threshold: 0.75                 | 0.75      | yaml-number
            enabled: true                   | true      | yaml-boolean
              - id: P2                      | -         | yaml-dash
              - id: P2                      | id        | yaml-key
            description: >                  | >         | yaml-block
            url: http://x.org/a#b           | #b        | yaml-value
            """)
    void eachPartOfALineGetsItsStyle(String line, String part, String style) {
        StyleSpans<Collection<String>> spans = YamlHighlighter.highlight(line);
        assertThat(styleAt(spans, line.indexOf(part))).containsExactly(style);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", textBlock = """
            instructions: |\\n  Judge by intent: \\"kill\\" is fine.\\nclauses:  => Judge   => yaml-string
            instructions: |\\n  Judge by intent.\\nclauses:                    => clauses => yaml-key
            title: "two\\n  lines" \\nid: x                                       => lines   => yaml-string
            """)
    void blockScalarsAndQuotedStringsCarryOverLines(String escaped, String part, String style) {
        String text = escaped.replace("\\n", "\n").replace("\\\"", "\"");
        StyleSpans<Collection<String>> spans = YamlHighlighter.highlight(text);
        assertThat(styleAt(spans, text.indexOf(part))).containsExactly(style);
    }

    @Property(tries = 300)
    void spansCoverEveryCharacterOfAnyText(@ForAll String text) {
        assertThat(YamlHighlighter.highlight(text).length()).isEqualTo(text.length());
    }

    @Property(tries = 100)
    void spansCoverEveryCharacterOfEditedPolicies(@ForAll int cut) {
        String text = TestPolicies.PETS.substring(0, Math.floorMod(cut, TestPolicies.PETS.length()));
        assertThat(YamlHighlighter.highlight(text).length()).isEqualTo(text.length());
    }
}
