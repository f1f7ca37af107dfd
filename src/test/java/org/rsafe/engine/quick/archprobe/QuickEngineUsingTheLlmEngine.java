package org.rsafe.engine.quick.archprobe;

import org.rsafe.engine.llm.DecodingSettings;

/** One engine package reaching into another, on purpose; only ArchitectureTest reads it. */
public final class QuickEngineUsingTheLlmEngine {
    public String preset() {
        return DecodingSettings.paper().preset();
    }
}
