package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.workspace.Fixtures;

/** {@code rsafe compare} end to end; the runs use the real quick engine on the small test data set. */
class CompareCommandTest {

    @TempDir
    Path dir;

    @Test
    void twoSavedVersionsAreComparedClauseByClauseWithoutData() throws Exception {
        Path file = dir.resolve("garden.yaml");
        Files.writeString(file, Fixtures.policy(null));
        EvalTestData.cli("version", "save", file.toString(), "-m", "first");
        Files.writeString(file, Fixtures.policy(0.7).replace("title: Poisoning pets", "title: Harming pets"));
        EvalTestData.cli("version", "save", file.toString(), "-m", "second");

        EvalTestData.Run r = EvalTestData.cli("compare", "--rev-a", "v1", "--rev-b", "v2", "--policy", file.toString(),
                "--text");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("A: " + file + " @ v1 (", "\"first\"", "B: " + file + " @ v2 (",
                "0 clause(s) added, 0 removed, 1 changed (1 renamed)",
                "~ T renamed: \"Poisoning pets\" → \"Harming pets\"", "~ T threshold: \"default\" → \"0.7\"",
                "Text: 2 line(s) changed, 0 added, 0 removed");
        assertThat(r.out()).containsPattern("title: Poisoning pets +\\| +\\d+ +title: Harming pets");
    }

    @Test
    void theRegressionGateSetsTheExitCodeAndStoredRunsAreReused() throws Exception {
        Path a = dir.resolve("a.yaml");
        Path b = dir.resolve("b.yaml");
        Path data = Fixtures.writeData(dir.resolve("data.csv"));
        Files.writeString(a, Fixtures.policy(null));
        // B flags nothing: every unsafe row A caught becomes a new false negative
        Files.writeString(b, Fixtures.policy(1.0).replace("severity: medium", "severity: medium\n    threshold: 1.0"));

        EvalTestData.Run broken = EvalTestData.cli("compare", "--policy-a", a.toString(), "--policy-b", b.toString(),
                "--data", data.toString(), "--workspace", dir.toString(), "--fail-on-regression", "f1=0.01,new-fn=0");
        EvalTestData.Run held = EvalTestData.cli("compare", "--policy-a", a.toString(), "--policy-b", b.toString(),
                "--data", data.toString(), "--workspace", dir.toString(), "--fail-on-regression", "f1=1,new-fn=12");

        assertThat(broken.exit()).as(broken.err()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(broken.out()).contains("Verdict flips:", "new false negative", "BROKEN  f1 dropped by",
                "BROKEN  new-fn:");
        assertThat(broken.err()).contains("rsafe: 2 regression gate(s) broken");
        assertThat(broken.out()).containsPattern("A: judged now, stored in \\.rsafe/runs/[0-9a-f]{12}-");
        assertThat(held.exit()).as(held.err()).isZero();
        assertThat(held.out()).contains("A: reused stored results", "B: reused stored results", "all gates held");
    }

    @Test
    void aGateWithoutDataIsAUserMistake() throws Exception {
        Path a = dir.resolve("a.yaml");
        Files.writeString(a, Fixtures.policy(null));

        EvalTestData.Run r = EvalTestData.cli("compare", "--policy-a", a.toString(), "--policy-b", a.toString(),
                "--fail-on-regression", "f1=0.01");

        assertThat(r.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(r.err()).contains("--fail-on-regression needs --data");
    }
}
