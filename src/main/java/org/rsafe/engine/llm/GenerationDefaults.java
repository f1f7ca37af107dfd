package org.rsafe.engine.llm;

import java.util.List;
import org.rsafe.engine.DecodingSettings;

/**
 * Sampling defaults a model folder ships in generation_config.json, with transformers' own defaults for
 * any field the file leaves out (do_sample false, temperature 1, top_p 1, top_k 50, repetition_penalty 1).
 *
 * @param doSample          sample (true) or decode greedily (false)
 * @param temperature       logits are divided by it when sampling (&gt; 0)
 * @param topP              nucleus mass kept when sampling, in (0, 1]
 * @param topK              most likely tokens kept when sampling; 0 = off
 * @param repetitionPenalty HF repetition penalty (1 = off)
 * @param eosTokenIds       ids that end generation: generation_config's first, then config.json's, no repeats
 * @param fromFile          true when generation_config.json was present
 */
public record GenerationDefaults(boolean doSample, double temperature, double topP, int topK,
                                 double repetitionPenalty, List<Integer> eosTokenIds, boolean fromFile) {

    public static final double HF_TEMPERATURE = 1.0;
    public static final double HF_TOP_P = 1.0;
    public static final int HF_TOP_K = 50;
    public static final double HF_REPETITION_PENALTY = 1.0;

    public GenerationDefaults {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be > 0, was " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], was " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0, was " + topK);
        }
        if (!(repetitionPenalty > 0) || Double.isInfinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetition_penalty must be > 0, was " + repetitionPenalty);
        }
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    /**
     * Decoding as Hugging Face {@code generate} does it with these defaults (preset {@value DecodingSettings#HF}):
     * sampling with this temperature, top-p, top-k and repetition penalty when {@code do_sample} is true, arg-max
     * (with the repetition penalty) otherwise.
     */
    public DecodingSettings asDecoding(int maxNewTokens, long seed) {
        return new DecodingSettings(DecodingSettings.HF, temperature, topP, topK, repetitionPenalty, maxNewTokens,
                !doSample, seed);
    }

    /** transformers' defaults, used when a folder has no generation_config.json. */
    public static GenerationDefaults huggingFace(List<Integer> eosTokenIds) {
        return new GenerationDefaults(false, HF_TEMPERATURE, HF_TOP_P, HF_TOP_K, HF_REPETITION_PENALTY,
                eosTokenIds, false);
    }
}
