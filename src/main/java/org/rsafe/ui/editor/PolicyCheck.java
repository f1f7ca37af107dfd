package org.rsafe.ui.editor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.rsafe.policy.PolicyLinter;
import org.rsafe.policy.PolicyLoadResult;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.util.Diagnostic;

/** What the editor runs on every pause in typing: load the text as a policy, then lint it, in one pass. */
public final class PolicyCheck {
    private PolicyCheck() { }

    /** The loaded policy (null for unreadable YAML) with load and lint findings together, in file order. */
    public static PolicyLoadResult check(String fileName, String text) {
        PolicyLoadResult loaded = PolicyLoader.parse(fileName, text);
        if (loaded.policy() == null) {
            return loaded;
        }
        // The loader already ran the value checks that lint repeats; the set keeps each finding once.
        Set<Diagnostic> all = new LinkedHashSet<>(loaded.diagnostics());
        all.addAll(PolicyLinter.lint(loaded.policy(), fileName, PolicyLinter.LintOptions.defaults()));
        List<Diagnostic> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingInt((Diagnostic d) -> d.pos().line()).thenComparingInt(d -> d.pos().column()));
        return new PolicyLoadResult(loaded.policy(), sorted);
    }
}
