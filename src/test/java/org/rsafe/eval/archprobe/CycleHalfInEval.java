package org.rsafe.eval.archprobe;

import org.rsafe.policy.archprobe.CycleHalfInPolicy;

/** The other half of a package cycle made on purpose; only ArchitectureTest reads it. */
public final class CycleHalfInEval {
    public CycleHalfInPolicy other() {
        return new CycleHalfInPolicy();
    }
}
