package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code rsafe bench remote}: the stub mode prints every level and the speed-up; flag mistakes are one line. */
class BenchRemoteCommandTest {

    @Test
    void theStubModePrintsEachConcurrencyLevelAndTheSpeedupBesideItsTarget() {
        GenerateCommandTest.Run r = GenerateCommandTest.run("bench", "remote", "--stub-delay-ms", "10",
                "--requests", "4");

        assertThat(r.code()).as(r.err()).isEqualTo(Main.EXIT_OK);
        assertThat(r.out()).contains("STUB server").contains("model stub-fixed-delay");
        assertThat(r.out().lines().filter(l -> l.matches("(1|4|16) +4 +0 .*"))).hasSize(3);
        assertThat(r.out()).containsPattern("speed-up of concurrency 16 over 1: [0-9.]+x \\(target >= 12x");
    }

    @Test
    void eitherAnEndpointOrTheStubMustBeGiven() {
        GenerateCommandTest.Run neither = GenerateCommandTest.run("bench", "remote");
        GenerateCommandTest.Run both = GenerateCommandTest.run("bench", "remote", "--endpoint",
                "http://127.0.0.1:9/v1", "--stub-delay-ms", "200");

        assertThat(neither.code()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(neither.err()).contains("--endpoint URL").contains("--stub-delay-ms");
        assertThat(both.code()).isEqualTo(Main.EXIT_USER_ERROR);
    }

    @Test
    void anUnreachableServerIsOneLine() {
        GenerateCommandTest.Run r = GenerateCommandTest.run("bench", "remote", "--endpoint", "http://127.0.0.1:9/v1",
                "--requests", "1");

        assertThat(r.code()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(r.err()).contains("127.0.0.1:9").doesNotContain("Exception");
    }
}
