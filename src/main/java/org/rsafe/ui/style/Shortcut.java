package org.rsafe.ui.style;

import javafx.scene.input.KeyCombination;

/**
 * A keyboard shortcut of the workbench: the key combination (JavaFX syntax, "Shortcut" meaning Ctrl or Cmd)
 * and what it does. The menus and the Help dialog both read {@link #ALL}, so the list shown is the list bound.
 */
public enum Shortcut {
    NEW_POLICY("Shortcut+N", "New policy"),
    OPEN_POLICY("Shortcut+O", "Open a policy file"),
    SAVE("Shortcut+S", "Save the policy"),
    SAVE_AS("Shortcut+Shift+S", "Save the policy under another name"),
    FIND("Shortcut+F", "Find in the policy"),
    FIND_NEXT("F3", "Find the next match"),
    FIND_PREVIOUS("Shift+F3", "Find the previous match"),
    UNDO("Shortcut+Z", "Undo"),
    REDO("Shortcut+Y", "Redo"),
    RUN("Shortcut+Enter", "Run the test bench"),
    CANCEL("Esc", "Cancel the running judgement (test bench)"),
    OPEN_DATASET("Shortcut+B", "Open a dataset for a batch run"),
    SHOW_BENCH("Shortcut+1", "Show the test bench"),
    SHOW_BATCH("Shortcut+2", "Show the batch tab"),
    HELP("F1", "Show this list");

    public static final java.util.List<Shortcut> ALL = java.util.List.of(values());

    private final String keys;
    private final String action;

    Shortcut(String keys, String action) {
        this.keys = keys;
        this.action = action;
    }

    public KeyCombination combination() {
        return KeyCombination.valueOf(keys);
    }

    /** The keys as the user's platform writes them, e.g. "Ctrl+Shift+S". */
    public String display() {
        return combination().getDisplayText();
    }

    public String action() {
        return action;
    }
}
