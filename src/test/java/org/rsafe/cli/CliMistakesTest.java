package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Typing mistakes at the command line get one line in words, the nearest real name, and exit 2. */
class CliMistakesTest {

    @Test
    void aMistypedCommandIsNamedWithTheNearestOne() {
        EvalTestData.Run r = EvalTestData.cli("chek", "--prompt", "hi");

        assertThat(r.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(r.err()).startsWith("rsafe: error: unknown command 'chek'; did you mean 'check'?")
                .contains("Try 'rsafe --help'.").doesNotContain("Unmatched").doesNotContain("Exception");
    }

    @Test
    void aMistypedOptionIsReportedBeforeTheRequiredOptionItLeavesMissing() {
        EvalTestData.Run r = EvalTestData.cli("check", "--promt", "hi", "--policy", "policies/rsafe-default.yaml");

        assertThat(r.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(r.err()).startsWith("rsafe: error: unknown option '--promt'; did you mean '--prompt'?")
                .contains("Try 'rsafe check --help'.");
    }

    @Test
    void anUnrelatedWordGetsNoSuggestion() {
        EvalTestData.Run r = EvalTestData.cli("xyzzyplugh");

        assertThat(r.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(r.err()).startsWith("rsafe: error: unknown command 'xyzzyplugh'").doesNotContain("did you mean");
    }

    @Test
    void bareRsafeListsTheCommands() {
        EvalTestData.Run r = EvalTestData.cli();

        assertThat(r.exit()).isEqualTo(Main.EXIT_OK);
        assertThat(r.out()).contains("Usage: rsafe").contains("check").contains("eval").contains("bundle");
        assertThat(r.err()).isEmpty();
    }
}
