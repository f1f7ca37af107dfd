package org.rsafe.engine.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rsafe.util.UserException;

class GbnfTest {

    @Test
    void theRsafeFormatGrammarIsValid() {
        assertThat(Gbnf.validate(Gbnf.RSAFE_FORMAT)).containsExactly("root", "reason", "tail", "verdict");
    }

    @Test
    void groupsAlternativesOnNewLinesAndRepetitionBoundsAreAccepted() {
        assertThat(Gbnf.validate("""
                # a comment
                root ::= ( "a" | [b-d]+
                    x{2,5} ) |
                  "\\u00e9\\n" .?
                x ::= [^"\\]] "y"{3}
                """)).containsExactly("root", "x");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing root           | a ::= "x"                          | no root rule
            undefined rule         | root ::= a b                       | rule a is used but never defined
            unclosed string        | root ::= "abc                      | unclosed string literal
            unclosed class         | root ::= [abc                      | unclosed character class
            unclosed group         | root ::= ( "a"                     | unclosed (
            stray parenthesis      | root ::= "a" )                     | unmatched )
            unknown escape         | root ::= "\\q"                     | unknown escape
            reversed bounds        | root ::= "a"{5,2}                  | maximum below its minimum
            no definition sign     | root = "a"                         | expected ::=
            """)
    void mistakesAreReportedWithTheirPosition(String what, String grammar, String message) {
        assertThatThrownBy(() -> Gbnf.validate(grammar + "\n")).isInstanceOf(UserException.class)
                .hasMessageStartingWith("grammar 1:").hasMessageContaining(message);
    }

    @Test
    void theTailGrammarCompletesAnAnswerCutAnywhereInItsTail() {
        assertThat(Gbnf.rsafeTailAfter("")).hasValueSatisfying(g -> assertThat(Gbnf.validate(g)).containsExactly("root"));
        assertThat(Gbnf.rsafeTailAfter("</thi")).contains(
                "root ::= \"nk>\\\\boxed{safe}\" | \"nk>\\\\boxed{unsafe}\" | \"nk>\\n\\\\boxed{safe}\" | \"nk>\\n\\\\boxed{unsafe}\"\n");
        assertThat(Gbnf.rsafeTailAfter("</think>\n\\boxed{u")).contains("root ::= \"nsafe}\"\n");
        assertThat(Gbnf.rsafeTailAfter("</think>\\boxed{safe}")).isEmpty();
        assertThat(Gbnf.rsafeTailAfter("<b>")).isEmpty();
    }

    @Test
    void aRuleDefinedTwiceIsNamedWithItsLine() {
        assertThatThrownBy(() -> Gbnf.validate("root ::= a\na ::= \"x\"\na ::= \"y\"\n"))
                .hasMessage("grammar 3:1: rule a is defined twice");
    }
}
