package org.rsafe.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.rsafe.engine.llm.DecodingSettings;
import org.rsafe.engine.llm.DeviceChoice;
import org.rsafe.engine.llm.LlmEngineOptions;
import org.rsafe.engine.quick.EncoderClauseRelevance;
import org.rsafe.engine.quick.QuickEngineOptions;
import org.rsafe.util.UserException;

/**
 * Which engine judges and how: the one description of an engine that both faces fill in (the CLI from its flags,
 * the GUI from the engine picker) and that {@link Engines#open} turns into an engine. Its defaults are the only
 * engine defaults of the product, so the two faces open the same engine, with the same identity and run keys, for
 * the same choices.
 *
 * @param kind          which engine
 * @param model         local LLM: the Hugging Face model folder; null for the quick engine
 * @param adapter       local LLM: a PEFT LoRA adapter folder merged at load, or null
 * @param device        local LLM: where to run ({@code cpu} by default; {@code auto}, {@code gpu})
 * @param decoding      local LLM: decoding preset ({@link DecodingPreset#PAPER}, RSafe's evaluation sampling, by
 *                      default; seeded per request, so reruns give the same output)
 * @param maxNewTokens  local LLM: most tokens generated per input (RSafe's 512 by default)
 * @param threshold     score at or above which a clause without its own threshold is violated (0.5 by default)
 * @param threads       quick engine: encoder threads; 0 = one per core
 * @param cacheDir      quick engine: folder of the on-disk embedding cache; null = the default folder
 * @param diskCache     quick engine: whether embeddings are cached on disk at all
 */
public record EngineSpec(EngineKind kind, Path model, Path adapter, String device, DecodingPreset decoding,
                         int maxNewTokens, double threshold, int threads, Path cacheDir, boolean diskCache) {

    public static final String DEFAULT_DEVICE = "cpu";
    public static final DecodingPreset DEFAULT_DECODING = DecodingPreset.PAPER;
    public static final int DEFAULT_MAX_NEW_TOKENS = DecodingSettings.DEFAULT_MAX_NEW_TOKENS;
    public static final double DEFAULT_THRESHOLD = QuickEngineOptions.DEFAULT_THRESHOLD;

    public EngineSpec {
        Objects.requireNonNull(kind, "kind");
        device = device == null || device.isBlank() ? DEFAULT_DEVICE : device.trim();
        decoding = decoding == null ? DEFAULT_DECODING : decoding;
        if (maxNewTokens < 1) {
            throw new UserException("--max-new-tokens must be at least 1, was " + maxNewTokens);
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new UserException("--threshold must be from 0 to 1, was " + threshold);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = one per core), was " + threads);
        }
    }

    /** The quick engine with every default. */
    public static EngineSpec quick() {
        return new EngineSpec(EngineKind.QUICK, null, null, DEFAULT_DEVICE, DEFAULT_DECODING, DEFAULT_MAX_NEW_TOKENS,
                DEFAULT_THRESHOLD, 0, null, true);
    }

    /** The local LLM on {@code model} with every default. */
    public static EngineSpec llm(Path model) {
        return quick().withKind(EngineKind.LOCAL_LLM).withModel(model);
    }

    public EngineSpec withKind(EngineKind k) {
        return new EngineSpec(k, model, adapter, device, decoding, maxNewTokens, threshold, threads, cacheDir, diskCache);
    }

    public EngineSpec withModel(Path dir) {
        return new EngineSpec(kind, dir, adapter, device, decoding, maxNewTokens, threshold, threads, cacheDir, diskCache);
    }

    public EngineSpec withAdapter(Path dir) {
        return new EngineSpec(kind, model, dir, device, decoding, maxNewTokens, threshold, threads, cacheDir, diskCache);
    }

    public EngineSpec withDevice(String d) {
        return new EngineSpec(kind, model, adapter, d, decoding, maxNewTokens, threshold, threads, cacheDir, diskCache);
    }

    public EngineSpec withDecoding(DecodingPreset d) {
        return new EngineSpec(kind, model, adapter, device, d, maxNewTokens, threshold, threads, cacheDir, diskCache);
    }

    public EngineSpec withMaxNewTokens(int n) {
        return new EngineSpec(kind, model, adapter, device, decoding, n, threshold, threads, cacheDir, diskCache);
    }

    public EngineSpec withThreshold(double t) {
        return new EngineSpec(kind, model, adapter, device, decoding, maxNewTokens, t, threads, cacheDir, diskCache);
    }

    public EngineSpec withThreads(int n) {
        return new EngineSpec(kind, model, adapter, device, decoding, maxNewTokens, threshold, n, cacheDir, diskCache);
    }

    /** The embedding cache folder ({@code null} = the default folder). */
    public EngineSpec withCacheDir(Path dir) {
        return new EngineSpec(kind, model, adapter, device, decoding, maxNewTokens, threshold, threads, dir, diskCache);
    }

    public EngineSpec withDiskCache(boolean on) {
        return new EngineSpec(kind, model, adapter, device, decoding, maxNewTokens, threshold, threads, cacheDir, on);
    }

    /** Why this engine cannot be opened as chosen (no model folder, a missing folder), or empty when it may be tried. */
    public Optional<String> problem() {
        if (kind != EngineKind.LOCAL_LLM) {
            return Optional.empty();
        }
        if (model == null) {
            return Optional.of("Choose a model folder (a Hugging Face Qwen2 folder: config.json, tokenizer.json, "
                    + "*.safetensors).");
        }
        if (!Files.isDirectory(model)) {
            return Optional.of("The model folder does not exist: " + model);
        }
        if (adapter != null && !Files.isDirectory(adapter)) {
            return Optional.of("The adapter folder does not exist: " + adapter);
        }
        return Optional.empty();
    }

    /** One line naming the engine ("Quick engine (similarity)", "Local LLM · qwen · cpu · greedy · max 512 tokens"). */
    public String summary() {
        if (kind != EngineKind.LOCAL_LLM) {
            return "Quick engine (similarity)";
        }
        String name = model == null ? "no model folder chosen" : fileName(model);
        if (adapter != null) {
            name += " + adapter " + fileName(adapter);
        }
        return "Local LLM · " + name + " · " + device + " · " + decoding.shortName() + " · max " + maxNewTokens
                + " tokens";
    }

    private static String fileName(Path p) {
        return p.getFileName() == null ? p.toString() : p.getFileName().toString();
    }

    /** The quick engine's settings for this spec. */
    public QuickEngineOptions quickOptions() {
        QuickEngineOptions o = QuickEngineOptions.defaults().withDefaultThreshold(threshold);
        if (threads > 0) {
            o = o.withThreads(threads);
        }
        if (!diskCache) {
            o = o.withCacheDir(null);
        } else if (cacheDir != null) {
            o = o.withCacheDir(cacheDir);
        }
        return o;
    }

    /** The local LLM's settings for this spec; a user mistake when no model folder was given. */
    public LlmEngineOptions llmOptions() {
        if (model == null) {
            throw new UserException("--engine llm needs --model DIR (a Hugging Face Qwen2 model folder)");
        }
        return LlmEngineOptions.of(model).withAdapter(adapter).withDevice(DeviceChoice.parse(device))
                .withDecoding(decoding.settings().withMaxNewTokens(maxNewTokens))
                .withClauseRelevance(EncoderClauseRelevance.shared());
    }
}
