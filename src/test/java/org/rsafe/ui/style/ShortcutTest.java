package org.rsafe.ui.style;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import javafx.scene.input.KeyCodeCombination;
import org.junit.jupiter.api.Test;

class ShortcutTest {

    @Test
    void everyShortcutNamesARealKeyAndNoTwoShareOne() {
        Set<String> seen = new HashSet<>();
        for (Shortcut s : Shortcut.ALL) {
            // A misspelt key name ("Escape" instead of "Esc") silently becomes a never-matching character combination.
            assertThat(s.combination()).as(s.name()).isInstanceOf(KeyCodeCombination.class);
            assertThat(seen.add(s.combination().toString())).as("duplicate keys for " + s.name()).isTrue();
            assertThat(s.action()).isNotBlank();
        }
    }
}
