package org.rsafe.ui.bench;

import org.rsafe.engine.Engine;
import org.rsafe.engine.llm.DecodingSettings;
import org.rsafe.engine.llm.DeviceChoice;
import org.rsafe.engine.llm.LlmEngine;
import org.rsafe.engine.llm.LlmEngineOptions;

/** Opens the local LLM engine for the test bench's choices (a model folder that cannot be used throws a UserException). */
public final class LocalLlm {
    private LocalLlm() { }

    public static Engine open(LlmSettings settings) {
        DecodingSettings decoding = settings.decoding() == DecodingPreset.GREEDY
                ? DecodingSettings.greedyPreset() : DecodingSettings.paper();
        decoding = decoding.withMaxNewTokens(settings.maxCompletionLength());
        return LlmEngine.open(LlmEngineOptions.of(settings.modelDir())
                .withAdapter(settings.adapterDir())
                .withDevice(DeviceChoice.parse(settings.device()))
                .withDecoding(decoding).withClauseRelevance(org.rsafe.engine.quick.EncoderClauseRelevance.shared()));
    }
}
