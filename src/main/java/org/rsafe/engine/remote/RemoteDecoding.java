package org.rsafe.engine.remote;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the server is asked to decode, in the request fields of the OpenAI chat API. Greedy is asked for as
 * temperature 0, which every compatible server reads as arg-max. Every value the server takes is sent, neutral ones
 * too: a field left out lets the server fall back on its own default, and vLLM's default is the checkpoint's
 * {@code generation_config.json} rather than the preset the user chose.
 *
 * @param preset            name of the decoding preset ({@code paper}, {@code greedy}), recorded in the identity
 * @param greedy            arg-max instead of sampling
 * @param temperature       sampling temperature (&gt; 0); sent as 0 when greedy
 * @param topP              nucleus mass kept, in (0, 1]; sent as 1 when greedy
 * @param topK              keep the k most likely tokens; 0 switches it off
 * @param repetitionPenalty Hugging Face style repetition penalty; 1 = off
 * @param maxTokens         most tokens generated ({@code max_tokens})
 * @param seed              seed of a sampled request, so the same request draws the same sample where the server
 *                          honours it; not sent when greedy
 */
public record RemoteDecoding(String preset, boolean greedy, double temperature, double topP, int topK,
                             double repetitionPenalty, int maxTokens, long seed) {

    public RemoteDecoding {
        if (preset == null || preset.isBlank()) {
            throw new IllegalArgumentException("preset name must not be blank");
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be > 0, was " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], was " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = off), was " + topK);
        }
        if (!(repetitionPenalty > 0) || !Double.isFinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetitionPenalty must be > 0, was " + repetitionPenalty);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, was " + maxTokens);
        }
    }

    /**
     * The decoding fields of a chat request to a server of that kind, in the order they are sent. Numbers are
     * {@link Double}, {@link Integer} or {@link Long}, ready for a JSON writer.
     */
    public Map<String, Object> requestFields(ServerKind kind) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("temperature", greedy ? 0.0 : temperature);
        f.put("top_p", greedy ? 1.0 : topP);
        if (kind.takesTopK()) {
            f.put("top_k", greedy || topK == 0 ? kind.topKOff() : topK);
        }
        if (kind.repetitionPenaltyField() != null) {
            f.put(kind.repetitionPenaltyField(), repetitionPenalty);
        }
        f.put("max_tokens", maxTokens);
        if (!greedy) {
            f.put("seed", seed);
        }
        return f;
    }

    /** The engine identity's record of decoding: the preset and every field sent, as text. */
    public Map<String, String> asSettings(ServerKind kind) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("decoding", preset);
        m.put("do_sample", Boolean.toString(!greedy));
        requestFields(kind).forEach((k, v) -> m.put(k, String.valueOf(v)));
        return m;
    }
}
