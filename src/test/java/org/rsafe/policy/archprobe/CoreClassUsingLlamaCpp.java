package org.rsafe.policy.archprobe;

import de.kherud.llama.ModelParameters;

/** Uses llama.cpp outside the GGUF engine, on purpose; only ArchitectureTest reads it. */
public final class CoreClassUsingLlamaCpp {
    public ModelParameters parameters() {
        return new ModelParameters();
    }
}
