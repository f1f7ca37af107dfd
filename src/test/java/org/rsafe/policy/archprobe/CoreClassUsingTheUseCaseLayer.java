package org.rsafe.policy.archprobe;

import org.rsafe.app.EngineSpec;

/** Breaks the layering on purpose (a core package reaching up into app); only ArchitectureTest reads it. */
public final class CoreClassUsingTheUseCaseLayer {
    public String describe() {
        return EngineSpec.quick().summary();
    }
}
