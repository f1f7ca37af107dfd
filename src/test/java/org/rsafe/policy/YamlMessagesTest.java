package org.rsafe.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.rsafe.util.Diagnostic;

/** SnakeYAML's syntax errors as a policy author reads them: the file, line:col, and what to change there. */
class YamlMessagesTest {

    private static String error(String text) {
        PolicyLoadResult result = PolicyLoader.parse("p.yaml", text);
        assertThat(result.policy()).isNull();
        assertThat(result.diagnostics()).hasSize(1);
        return result.diagnostics().stream().map(Diagnostic::format).findFirst().orElseThrow();
    }

    @Test
    void aValueWithColonSpaceIsToldToBeQuoted() {
        assertThat(error("policy: 1\nname: Pets: the shop\n"))
                .isEqualTo("p.yaml:2:11: error: [yaml-syntax] this value contains ': ', which YAML reads as the start of"
                        + " another key: put the whole value in quotes, e.g. name: \"Pets: the shop\"");
    }

    @Test
    void aKeyIndentedTooFarIsNamedAsAnIndentationMistake() {
        assertThat(error("policy: 1\nclauses:\n  - id: a\n     title: x\n"))
                .startsWith("p.yaml:4:11: error: [yaml-syntax] this line is indented further than the line above it")
                .doesNotContain("mapping values");
    }

    @Test
    void aKeyOutdentedInsideAClauseSaysWhereItsBlockStartsAndNeverMentionsTokens() {
        // The parser's own words here are "expected <block end>, but found '?'" in a file with no '?'.
        assertThat(error("policy: 1\nclauses:\n  - id: a\n  title: x\n - id: b\n"))
                .isEqualTo("p.yaml:4:3: error: [yaml-syntax] this line does not line up with the block that starts at"
                        + " 3:3: entries of one list or one set of keys must start in the same column (check the"
                        + " indentation of this line)");
    }

    @Test
    void aListItemWhereKeysAreExpectedIsNamed() {
        assertThat(error("policy: 1\n- x\n")).startsWith("p.yaml:2:1: error: [yaml-syntax] a list item ('- ') where a"
                + " key was expected");
    }

    @Test
    void aLineWithoutAColonPointsAtThatLine() {
        assertThat(error("policy: 1\nclauses\n  - id: a\n"))
                .startsWith("p.yaml:2:1: error: [yaml-syntax] this line has no ':' but stands where a 'key: value'"
                        + " line belongs");
    }

    @Test
    void quotesThatAreNeverClosedOrClosedTooEarlyAreExplained() {
        assertThat(error("policy: 1\nid: \"demo\n"))
                .startsWith("p.yaml:2:5: error: [yaml-syntax] this quote is never closed: add the closing quote");
        assertThat(error("policy: 1\nname: 'it's'\n"))
                .startsWith("p.yaml:2:11: error: [yaml-syntax] text goes on after a closing quote: inside single quotes"
                        + " write '' for an apostrophe");
    }

    @Test
    void flowListsReservedCharactersAliasesAndEscapesHaveTheirOwnWords() {
        assertThat(error("policy: 1\nclauses:\n  - id: a\n    violating: [a, b\n"))
                .startsWith("p.yaml:4:16: error: [yaml-syntax] the [...] list opened here is never closed: add the"
                        + " closing ']'");
        assertThat(error("policy: 1\nname: @me\n"))
                .isEqualTo("p.yaml:2:7: error: [yaml-syntax] a value cannot start with '@' (YAML reserves it): put the"
                        + " value in quotes");
        assertThat(error("policy: 1\nname: *nope\n"))
                .startsWith("p.yaml:2:7: error: [yaml-syntax] '*nope' refers to an anchor '&nope' that is not defined");
        assertThat(error("policy: 1\nname: \"bad \\q escape\"\n"))
                .startsWith("p.yaml:2:13: error: [yaml-syntax] '\\q' is not an escape YAML knows inside double quotes");
    }
}
