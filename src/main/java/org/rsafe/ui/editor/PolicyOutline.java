package org.rsafe.ui.editor;

import java.util.ArrayList;
import java.util.List;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Policy;
import org.rsafe.util.SourcePos;

/** Builds the outline tree of a policy: its instructions, then each clause with its example lists. */
public final class PolicyOutline {
    private PolicyOutline() { }

    public static OutlineItem of(Policy policy) {
        List<OutlineItem> top = new ArrayList<>();
        if (policy.hasInstructions()) {
            top.add(new OutlineItem("Instructions", line(policy.posOf("instructions")), null, List.of()));
        }
        for (Clause c : policy.clauses()) {
            List<OutlineItem> kids = new ArrayList<>();
            if (!c.violating().isEmpty()) {
                kids.add(new OutlineItem("violating (" + c.violating().size() + ")", line(c.posOf("violating")), c.id(), List.of()));
            }
            if (!c.safe().isEmpty()) {
                kids.add(new OutlineItem("safe (" + c.safe().size() + ")", line(c.posOf("safe")), c.id(), List.of()));
            }
            String label = c.title().isEmpty() ? c.id() : c.id() + "  " + c.title();
            top.add(new OutlineItem(label, line(c.pos()), c.id(), kids));
        }
        String name = policy.name().isEmpty() ? policy.id() : policy.name();
        return new OutlineItem(name.isEmpty() ? "policy" : name, 1, null, top);
    }

    private static int line(SourcePos pos) {
        return pos.known() ? pos.line() : 0;
    }
}
