package org.rsafe.ui.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryStoreTest {
    @TempDir
    Path dir;

    @Test
    void savedEditsComeBackWithTheFileTheyBelongTo() throws Exception {
        RecoveryStore store = new RecoveryStore(dir.resolve("recovery/unsaved.properties"));
        String text = "policy: 1\nname: \"quotes\", colons: and = signs\n  indented\tand tabbed ü\n";
        store.save(dir.resolve("p.yaml"), text);
        RecoveryStore.Recovery r = store.load().orElseThrow();
        assertThat(r.text()).isEqualTo(text);
        assertThat(r.originalFile()).isEqualTo(dir.resolve("p.yaml").toAbsolutePath());
    }

    @Test
    void aNeverSavedPolicyIsRecoveredWithoutAFile() throws Exception {
        RecoveryStore store = new RecoveryStore(dir.resolve("r.properties"));
        store.save(null, "x: 1\n");
        assertThat(store.load().orElseThrow().originalFile()).isNull();
    }

    @Test
    void clearingRemovesTheCopyAndAnUnreadableCopyCountsAsNone() throws Exception {
        RecoveryStore store = new RecoveryStore(dir.resolve("r.properties"));
        store.save(null, "x: 1\n");
        store.clear();
        assertThat(store.load()).isEmpty();
        Files.writeString(dir.resolve("r.properties"), "garbage without a text key");
        assertThat(store.load()).isEmpty();
    }
}
