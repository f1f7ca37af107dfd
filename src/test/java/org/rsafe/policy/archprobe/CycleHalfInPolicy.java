package org.rsafe.policy.archprobe;

import org.rsafe.eval.archprobe.CycleHalfInEval;

/** One half of a package cycle made on purpose; only ArchitectureTest reads it. */
public final class CycleHalfInPolicy {
    public CycleHalfInEval other() {
        return new CycleHalfInEval();
    }
}
