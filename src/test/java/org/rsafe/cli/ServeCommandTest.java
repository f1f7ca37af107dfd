package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rsafe serve}'s flags: mistakes stop it with one line before anything listens. */
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheLocalLlmCanBeServed() {
        GenerateCommandTest.Run r = GenerateCommandTest.run("serve", "--engine", "quick", "--model", dir.toString());

        assertThat(r.code()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(r.err()).contains("only llm can be served");
    }

    @Test
    void aMissingModelFolderIsAUserError() {
        GenerateCommandTest.Run r = GenerateCommandTest.run("serve", "--model", dir.resolve("nope").toString(),
                "--port", "0");

        assertThat(r.code()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(r.err()).contains("does not exist").doesNotContain("Exception");
    }

    @Test
    void anUnsetKeyVariableIsAUserError() {
        GenerateCommandTest.Run r = GenerateCommandTest.run("serve", "--model", dir.toString(), "--port", "0",
                "--api-key-env", "RSAFE_SERVE_TEST_UNSET_KEY");

        assertThat(r.code()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(r.err()).contains("RSAFE_SERVE_TEST_UNSET_KEY").contains("not set");
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        GenerateCommandTest.Run r = GenerateCommandTest.run("serve", "--model", dir.toString(), "--port", "70000");

        assertThat(r.code()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(r.err()).contains("--port must be from 0 to 65535");
    }

    @Test
    void batchOptionsOutOfRangeAreUsageErrors() {
        GenerateCommandTest.Run batch = GenerateCommandTest.run("serve", "--model", dir.toString(), "--max-batch", "0");
        GenerateCommandTest.Run wait = GenerateCommandTest.run("serve", "--model", dir.toString(),
                "--batch-wait-ms", "5000");

        assertThat(batch.code()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(batch.err()).contains("--max-batch must be at least 1");
        assertThat(wait.code()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(wait.err()).contains("--batch-wait-ms must be from 0 to 1000");
    }
}
