package org.rsafe.engine;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.rsafe.util.UserException;

/**
 * How tokens are chosen from the model's logits, with Hugging Face {@code generate} semantics (repetition
 * penalty, then temperature, top-k and top-p when sampling). Two presets: {@code paper}, RSafe's evaluation
 * sampling, and {@code greedy}, plain arg-max for reproducible runs.
 *
 * @param preset            name of the preset these settings came from ({@code paper}, {@code greedy}), or a
 *                          custom name when a value was overridden
 * @param temperature       divisor of the logits when sampling (&gt; 0); ignored when greedy
 * @param topP              nucleus mass kept when sampling, in (0, 1]; 1 switches it off
 * @param topK              keep the k largest logits (ties survive) when sampling; 0 switches it off
 * @param repetitionPenalty divides positive and multiplies negative logits of every id already in the
 *                          sequence, prompt included (&ge; 1 in practice; 1 = off); applied in greedy mode too
 * @param maxNewTokens      generation stops after this many tokens (EOS included) if nothing stopped it earlier
 * @param greedy            arg-max instead of sampling
 * @param seed              seed of each request's own random generator (a request's result does not depend
 *                          on what ran before it)
 */
public record DecodingSettings(
        String preset,
        double temperature,
        double topP,
        int topK,
        double repetitionPenalty,
        int maxNewTokens,
        boolean greedy,
        long seed) {

    public static final String PAPER = "paper";
    public static final String GREEDY = "greedy";
    /** The model folder's own generation_config.json, as Hugging Face {@code generate} reads it. */
    public static final String HF = "hf";
    /** RSafe's max response length, used by both presets. */
    public static final int DEFAULT_MAX_NEW_TOKENS = 512;
    public static final long DEFAULT_SEED = 42;

    public DecodingSettings {
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
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, was " + maxNewTokens);
        }
    }

    /** RSafe's evaluation decoding: temperature 0.7, top-p 0.8, top-k off, repetition penalty 1.05, 512 tokens. */
    public static DecodingSettings paper() {
        return new DecodingSettings(PAPER, 0.7, 0.8, 0, 1.05, DEFAULT_MAX_NEW_TOKENS, false, DEFAULT_SEED);
    }

    /**
     * Plain arg-max (Hugging Face {@code do_sample=False} with no processors): the same input always gives the
     * same output on the same device. Sampling values are kept neutral so the identity shows nothing misleading.
     */
    public static DecodingSettings greedyPreset() {
        return new DecodingSettings(GREEDY, 1.0, 1.0, 0, 1.0, DEFAULT_MAX_NEW_TOKENS, true, DEFAULT_SEED);
    }

    /** The preset of that name ({@code paper} or {@code greedy}, any case); a user mistake otherwise. */
    public static DecodingSettings preset(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case PAPER -> paper();
            case GREEDY -> greedyPreset();
            case HF -> throw new UserException("the hf decoding preset reads a model folder's generation_config.json; "
                    + "it needs a local model (--engine llm --model DIR)");
            default -> throw new UserException("unknown decoding preset '" + name + "'; choose paper, greedy or hf");
        };
    }

    /**
     * The seed of draw {@code sample} of one request: draw 0 keeps {@link #seed()}, later draws get seeds far apart
     * from it (a golden-ratio step), so K draws of one input sampled in one batch differ.
     */
    public long seedOfDraw(int sample) {
        return seed + sample * 0x9E3779B97F4A7C15L;
    }

    public DecodingSettings withMaxNewTokens(int n) {
        return new DecodingSettings(preset, temperature, topP, topK, repetitionPenalty, n, greedy, seed);
    }

    public DecodingSettings withSeed(long newSeed) {
        return new DecodingSettings(preset, temperature, topP, topK, repetitionPenalty, maxNewTokens, greedy, newSeed);
    }

    /** The values that change the output, in the vocabulary of Hugging Face's generation config. */
    public Map<String, String> asSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("decoding", preset);
        m.put("do_sample", Boolean.toString(!greedy));
        if (!greedy) {
            m.put("temperature", fmt(temperature));
            m.put("top_p", fmt(topP));
            m.put("top_k", Integer.toString(topK));
            m.put("seed", Long.toString(seed));
        }
        m.put("repetition_penalty", fmt(repetitionPenalty));
        m.put("max_new_tokens", Integer.toString(maxNewTokens));
        return m;
    }

    private static String fmt(double v) {
        return Double.toString(v);
    }
}
