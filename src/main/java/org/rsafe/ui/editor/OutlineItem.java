package org.rsafe.ui.editor;

import java.util.List;

/**
 * One node of the policy outline: a label, the 1-based line it jumps to (0 when unknown), the clause it
 * belongs to (null for policy-level nodes) and its children.
 */
public record OutlineItem(String label, int line, String clauseId, List<OutlineItem> children) {
    public OutlineItem {
        children = children == null ? List.of() : List.copyOf(children);
    }

    @Override
    public String toString() {
        return label;
    }
}
