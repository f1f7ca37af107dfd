package org.rsafe.engine.quick.archprobe;

import java.nio.file.Path;
import org.rsafe.engine.llm.LlmEngineOptions;

/** One engine package reaching into another, on purpose; only ArchitectureTest reads it. */
public final class QuickEngineUsingTheLlmEngine {
    public int batch() {
        return LlmEngineOptions.of(Path.of("model")).maxBatch();
    }
}
