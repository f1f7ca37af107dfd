package org.rsafe.util.archprobe;

import org.rsafe.policy.Policy;

/** Makes util depend on another product package, on purpose; only ArchitectureTest reads it. */
public final class UtilUsingThePolicyModel {
    public String id(Policy policy) {
        return policy.id();
    }
}
