package org.rsafe.ui.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecentFilesTest {
    @TempDir
    Path dir;

    @Test
    void theNewestFileComesFirstAndAReopenedFileMovesToTheFront() throws Exception {
        RecentFiles recent = new RecentFiles(dir.resolve("recent.txt"));
        Path a = Files.writeString(dir.resolve("a.yaml"), "a");
        Path b = Files.writeString(dir.resolve("b.yaml"), "b");
        recent.add(a);
        recent.add(b);
        assertThat(recent.add(a)).containsExactly(a, b);
        assertThat(new RecentFiles(dir.resolve("recent.txt")).load()).containsExactly(a, b);
    }

    @Test
    void theListKeepsTenFilesAndForgetsDeletedOnes() throws Exception {
        RecentFiles recent = new RecentFiles(dir.resolve("recent.txt"));
        for (int i = 0; i < 12; i++) {
            recent.add(Files.writeString(dir.resolve("p" + i + ".yaml"), "x"));
        }
        assertThat(recent.load()).hasSize(RecentFiles.MAX).startsWith(dir.resolve("p11.yaml"));
        Files.delete(dir.resolve("p11.yaml"));
        assertThat(recent.load()).doesNotContain(dir.resolve("p11.yaml"));
    }
}
