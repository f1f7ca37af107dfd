package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.workspace.Fixtures;

/** {@code rsafe version} end to end in a temporary workspace. */
class VersionCommandTest {

    @TempDir
    Path dir;

    @Test
    void versionsAreSavedListedShownAndRestoredFromTheCommandLine() throws Exception {
        Path file = dir.resolve("garden.yaml");
        String file1 = file.toString();
        Files.writeString(file, Fixtures.policy(null));

        EvalTestData.Run save1 = EvalTestData.cli("version", "save", file1, "-m", "first rules");
        Files.writeString(file, Fixtures.policy(0.8));
        EvalTestData.Run save2 = EvalTestData.cli("version", "save", file1, "-m", "stricter poisoning clause");
        EvalTestData.Run again = EvalTestData.cli("version", "save", file1);
        EvalTestData.Run log = EvalTestData.cli("version", "log", file1);
        EvalTestData.Run show = EvalTestData.cli("version", "show", file1, "v1");
        EvalTestData.Run restore = EvalTestData.cli("version", "restore", file1, "v1");

        assertThat(save1.exit()).as(save1.err()).isZero();
        assertThat(save1.out()).startsWith("saved garden.yaml as v1 (");
        assertThat(save2.out()).startsWith("saved garden.yaml as v2 (");
        assertThat(again.out()).contains("unchanged since v2");
        assertThat(log.out().lines().toList()).hasSize(2)
                .satisfies(l -> assertThat(l.get(0)).startsWith("v2").endsWith("stricter poisoning clause"))
                .satisfies(l -> assertThat(l.get(1)).startsWith("v1").endsWith("first rules"));
        assertThat(show.out()).isEqualTo(Fixtures.policy(null));
        assertThat(restore.exit()).isZero();
        assertThat(restore.out()).contains("restored garden.yaml to v1", "saved as v3");
        assertThat(Files.readString(file)).isEqualTo(Fixtures.policy(null));
        assertThat(dir.resolve(".git")).isDirectory();
    }

    @Test
    void anUnknownVersionIsAUserMistake() throws Exception {
        Path file = dir.resolve("garden.yaml");
        Files.writeString(file, Fixtures.policy(null));
        EvalTestData.cli("version", "save", file.toString());

        EvalTestData.Run r = EvalTestData.cli("version", "show", file.toString(), "v7");

        assertThat(r.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(r.err()).contains("has 1 saved version(s), v1 to v1; there is no v7");
    }

    @Test
    void aFileNeverSavedHasAnEmptyLog() throws Exception {
        Path file = dir.resolve("garden.yaml");
        Files.writeString(file, Fixtures.policy(null));

        EvalTestData.Run r = EvalTestData.cli("version", "log", file.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("no saved versions");
        assertThat(dir.resolve(".git")).doesNotExist();
    }
}
