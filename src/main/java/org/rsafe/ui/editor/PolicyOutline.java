package org.rsafe.ui.editor;

import java.util.ArrayList;
import java.util.List;
import org.rsafe.policy.Clause;
import org.rsafe.policy.LintRule;
import org.rsafe.util.Diagnostic;
import org.rsafe.policy.Policy;
import org.rsafe.util.SourcePos;

/** Builds the outline tree of a policy: its instructions, then each clause with its example lists. */
public final class PolicyOutline {
    private PolicyOutline() { }

    public static OutlineItem of(Policy policy) {
        return of(policy, List.of());
    }

    /**
     * The outline, with each clause whose examples disagree with the engine marked: its label ends with the tally
     * that lint reported at the clause ("examples agreeing: 3/5").
     */
    public static OutlineItem of(Policy policy, List<Diagnostic> findings) {
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
            String tally = tally(c, findings);
            top.add(new OutlineItem(tally == null ? label : label + "  \u25B2 " + tally, line(c.pos()), c.id(), kids,
                    tally != null));
        }
        String name = policy.name().isEmpty() ? policy.id() : policy.name();
        return new OutlineItem(name.isEmpty() ? "policy" : name, 1, null, top);
    }

    /** The "examples agreeing: k/n" part of lint's tally finding at the clause, or null when there is none. */
    private static String tally(Clause c, List<Diagnostic> findings) {
        String prefix = c.id() + ": ";
        for (Diagnostic d : findings) {
            if (LintRule.EXAMPLE_DISAGREES.id().equals(d.ruleId()) && d.pos().equals(c.pos())
                    && d.message().startsWith(prefix)) {
                String rest = d.message().substring(prefix.length());
                int cut = rest.indexOf(" (");
                return cut < 0 ? rest : rest.substring(0, cut);
            }
        }
        return null;
    }

    private static int line(SourcePos pos) {
        return pos.known() ? pos.line() : 0;
    }
}
