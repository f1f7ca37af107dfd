package org.rsafe.ui.editor;

import java.util.List;

/**
 * One node of the policy outline: a label, the 1-based line it jumps to (0 when unknown), the clause it
 * belongs to (null for policy-level nodes), its children, and whether it is a clause whose own examples disagree
 * with the quick engine (lint's leave-one-out check, {@code app.ExampleLint}).
 */
public record OutlineItem(String label, int line, String clauseId, List<OutlineItem> children, boolean disagrees) {
    public OutlineItem {
        children = children == null ? List.of() : List.copyOf(children);
    }

    public OutlineItem(String label, int line, String clauseId, List<OutlineItem> children) {
        this(label, line, clauseId, children, false);
    }

    @Override
    public String toString() {
        return label;
    }
}
