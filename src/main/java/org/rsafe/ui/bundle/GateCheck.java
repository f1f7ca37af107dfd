package org.rsafe.ui.bundle;

import java.util.Objects;

/**
 * One line of the export dialog's checklist: a gate or other requirement and whether it was met.
 *
 * @param text   what was checked, e.g. {@code F1 0.8123 >= 0.8000}
 * @param passed whether it was met
 */
public record GateCheck(String text, boolean passed) {
    public GateCheck {
        Objects.requireNonNull(text, "text");
    }
}
