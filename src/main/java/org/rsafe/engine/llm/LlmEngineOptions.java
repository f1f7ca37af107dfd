package org.rsafe.engine.llm;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of the local LLM engine.
 *
 * @param modelDir   a Hugging Face Qwen2 model folder (config.json, tokenizer.json, safetensors)
 * @param adapterDir a PEFT LoRA adapter folder merged into the weights at load, or null
 * @param device     where to run ({@link DeviceChoice#CPU} by default)
 * @param decoding   how tokens are chosen ({@link DecodingSettings#paper()} by default)
 * @param maxBatch   prompts generated together by {@code judgeBatch} (1 = one at a time); 8 by default,
 *                   where a memory-bound CPU decode step costs little more than one row's
 * @param inferredCitations whether trace steps also get the clauses they discuss without naming them (the
 *                   quick engine's sentence encoder links them); on by default
 */
public record LlmEngineOptions(Path modelDir, Path adapterDir, DeviceChoice device, DecodingSettings decoding,
        int maxBatch, boolean inferredCitations) {
    public static final int DEFAULT_MAX_BATCH = 8;

    public LlmEngineOptions {
        Objects.requireNonNull(modelDir, "modelDir");
        device = device == null ? DeviceChoice.CPU : device;
        decoding = decoding == null ? DecodingSettings.paper() : decoding;
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, was " + maxBatch);
        }
    }

    public static LlmEngineOptions of(Path modelDir) {
        return new LlmEngineOptions(modelDir, null, DeviceChoice.CPU, DecodingSettings.paper(), DEFAULT_MAX_BATCH,
                true);
    }

    public LlmEngineOptions withDecoding(DecodingSettings d) {
        return new LlmEngineOptions(modelDir, adapterDir, device, d, maxBatch, inferredCitations);
    }

    public LlmEngineOptions withDevice(DeviceChoice d) {
        return new LlmEngineOptions(modelDir, adapterDir, d, decoding, maxBatch, inferredCitations);
    }

    public LlmEngineOptions withAdapter(Path dir) {
        return new LlmEngineOptions(modelDir, dir, device, decoding, maxBatch, inferredCitations);
    }

    public LlmEngineOptions withMaxBatch(int n) {
        return new LlmEngineOptions(modelDir, adapterDir, device, decoding, n, inferredCitations);
    }

    public LlmEngineOptions withInferredCitations(boolean on) {
        return new LlmEngineOptions(modelDir, adapterDir, device, decoding, maxBatch, on);
    }
}
