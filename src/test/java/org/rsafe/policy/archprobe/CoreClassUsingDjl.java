package org.rsafe.policy.archprobe;

import ai.djl.ndarray.NDManager;

/** Uses DJL outside the model code, on purpose; only ArchitectureTest reads it. */
public final class CoreClassUsingDjl {
    public NDManager manager() {
        return NDManager.newBaseManager();
    }
}
