package org.rsafe.trace;

import java.util.Map;
import java.util.TreeMap;

/**
 * Which engine produced a result: name ("quick", "llm"), model id, a hash of the model files, the device,
 * and the settings that change its output. Stored with every result so runs can be compared and reused.
 */
public record EngineIdentity(String engine, String modelId, String modelHash, String device, Map<String, String> settings) {
    public EngineIdentity {
        engine = engine == null ? "" : engine;
        modelId = modelId == null ? "" : modelId;
        modelHash = modelHash == null ? "" : modelHash;
        device = device == null ? "" : device;
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
    }

    /**
     * Whether this engine samples, so that its verdict is a draw: its settings say {@code do_sample=true}. Greedy
     * decoding says false; engines that do not generate (the quick engine) say nothing and do not sample.
     */
    public boolean samples() {
        return "true".equals(settings.get("do_sample"));
    }

    public static EngineIdentity none() {
        return new EngineIdentity("none", "", "", "", Map.of());
    }
}
