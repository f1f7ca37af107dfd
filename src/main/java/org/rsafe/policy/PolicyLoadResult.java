package org.rsafe.policy;

import java.util.List;
import org.rsafe.util.Diagnostic;

/**
 * What loading a policy file produced: the policy (null when the file could not be read as a policy at
 * all, e.g. broken YAML) and every error and warning found on the way, in file order.
 */
public record PolicyLoadResult(Policy policy, List<Diagnostic> diagnostics) {

    public PolicyLoadResult {
        diagnostics = diagnostics == null ? List.of() : List.copyOf(diagnostics);
    }

    /** True when there is a policy and nothing is wrong with it (warnings allowed). */
    public boolean ok() {
        return policy != null && errors().isEmpty();
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    public List<Diagnostic> warnings() {
        return diagnostics.stream().filter(d -> !d.isError()).toList();
    }
}
