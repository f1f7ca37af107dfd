package org.rsafe.bundle;

import java.util.List;
import org.rsafe.util.Diagnostic;

/**
 * Whether a policy and its evaluation may be bundled, and why not.
 *
 * @param lintErrors lint errors of the policy file (warnings do not block)
 * @param problems   other reasons to refuse: an unfinished or mismatched evaluation, a gate not met
 * @param gateLines  one line per gate, met or not, e.g. {@code F1 0.8123 >= 0.8000 (met)}
 */
public record BundleValidation(List<Diagnostic> lintErrors, List<String> problems, List<String> gateLines) {
    public BundleValidation {
        lintErrors = List.copyOf(lintErrors);
        problems = List.copyOf(problems);
        gateLines = List.copyOf(gateLines);
    }

    public boolean ok() {
        return lintErrors.isEmpty() && problems.isEmpty();
    }

    /** Every reason to refuse, as lines for people. */
    public List<String> reasons() {
        List<String> out = new java.util.ArrayList<>();
        lintErrors.forEach(d -> out.add(d.format()));
        out.addAll(problems);
        return out;
    }
}
