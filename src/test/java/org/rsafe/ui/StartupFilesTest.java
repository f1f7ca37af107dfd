package org.rsafe.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupFilesTest {
    @TempDir
    Path dir;

    @Test
    void thePolicyAndDataNamedOnTheCommandLineAreOpened() throws Exception {
        Path policy = Files.writeString(dir.resolve("pets.yaml"), "policy: 1\n");
        Path data = Files.writeString(dir.resolve("pets.csv"), "id,prompt,label\n");

        StartupFiles both = StartupFiles.fromArgs(List.of("--policy", policy.toString(), "--data", data.toString()));
        StartupFiles policyOnly = StartupFiles.fromArgs(List.of("--policy", policy.toString()));

        assertThat(both).isEqualTo(new StartupFiles(policy, data));
        assertThat(policyOnly.policy()).isEqualTo(policy);
        assertThat(policyOnly.dataset()).isEqualTo(StartupFiles.locate().dataset());
        assertThat(StartupFiles.fromArgs(List.of())).isEqualTo(StartupFiles.locate());
    }

    @Test
    void aMistakeOnTheCommandLineIsOneLine() {
        assertThatThrownBy(() -> StartupFiles.fromArgs(List.of("--open", "x")))
                .hasMessage("unknown argument '--open'; use --policy FILE and --data FILE");
        assertThatThrownBy(() -> StartupFiles.fromArgs(List.of("--data")))
                .hasMessage("--data needs a file");
        assertThatThrownBy(() -> StartupFiles.fromArgs(List.of("--policy", dir.resolve("gone.yaml").toString())))
                .hasMessage("--policy " + dir.resolve("gone.yaml") + ": no such file");
    }
}
