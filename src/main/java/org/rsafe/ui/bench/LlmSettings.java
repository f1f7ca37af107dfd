package org.rsafe.ui.bench;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The test bench's choices for the local LLM engine: model folder, an optional LoRA adapter folder (PEFT layout,
 * as {@code rsafe train grpo} writes it; null for none), device ("auto", "cpu", "gpu"), decoding preset, and the
 * longest completion to generate ({@code max_completion_length}; RSafe trains with 512).
 */
public record LlmSettings(Path modelDir, Path adapterDir, String device, DecodingPreset decoding,
                          int maxCompletionLength) {
    public static final int DEFAULT_MAX_COMPLETION_LENGTH = 512;

    public LlmSettings {
        Objects.requireNonNull(modelDir, "modelDir");
        device = device == null || device.isBlank() ? "cpu" : device;
        decoding = decoding == null ? DecodingPreset.GREEDY : decoding;
        if (maxCompletionLength < 1) {
            throw new IllegalArgumentException("maxCompletionLength must be >= 1, was " + maxCompletionLength);
        }
    }
}
