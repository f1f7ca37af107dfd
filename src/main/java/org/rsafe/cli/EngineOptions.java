package org.rsafe.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.rsafe.engine.Engine;
import org.rsafe.engine.llm.DecodingSettings;
import org.rsafe.engine.llm.DeviceChoice;
import org.rsafe.engine.llm.LlmEngine;
import org.rsafe.engine.llm.LlmEngineOptions;
import org.rsafe.engine.quick.QuickEngine;
import org.rsafe.engine.quick.QuickEngineOptions;
import org.rsafe.util.UserException;
import picocli.CommandLine.Option;

/**
 * The engine flags shared by every command that judges inputs ({@code --engine}, {@code --threshold}); creates the
 * chosen engine. Use it with {@code @Mixin}.
 */
public final class EngineOptions {

    /** Engine names accepted by {@code --engine}. */
    public static final String QUICK = "quick";
    public static final String LLM = "llm";

    @Option(names = "--engine", defaultValue = QUICK, paramLabel = "quick|llm",
            description = "Guard engine: quick (default; offline sentence-similarity guard) or llm (a local Qwen2-family "
                    + "RSafe model folder, given with --model).")
    String engine = QUICK;

    @Option(names = "--model", paramLabel = "DIR",
            description = "llm engine: Hugging Face model folder (config.json, tokenizer.json, *.safetensors).")
    Path model;

    @Option(names = "--adapter", paramLabel = "DIR", description = "llm engine: a PEFT LoRA adapter folder to merge at load.")
    Path adapter;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "auto|cpu|gpu",
            description = "llm engine: where to run (default: ${DEFAULT-VALUE}).")
    String device = "cpu";

    @Option(names = "--preset", defaultValue = DecodingSettings.PAPER, paramLabel = "paper|greedy",
            description = "llm engine: decoding preset; paper = temperature 0.7, top-p 0.8, repetition penalty 1.05 "
                    + "(default); greedy = reproducible arg-max.")
    String preset = DecodingSettings.PAPER;

    @Option(names = "--max-new-tokens", paramLabel = "N",
            description = "llm engine: most tokens generated per input (default: 512).")
    Integer maxNewTokens;

    @Option(names = "--threshold", paramLabel = "T",
            description = "Score at or above which a clause without its own threshold is violated, 0..1 (default: 0.5).")
    Double threshold;

    /** The chosen engine's name, lower-cased. */
    public String engineName() {
        return engine == null ? QUICK : engine.trim().toLowerCase(Locale.ROOT);
    }

    /** The threshold for clauses that set none: {@code --threshold}, else the engine's default. */
    public double defaultThreshold() {
        if (threshold == null) {
            return QuickEngineOptions.DEFAULT_THRESHOLD;
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new UserException("--threshold must be from 0 to 1, was " + threshold);
        }
        return threshold;
    }

    /** The quick engine's settings with the flags applied. */
    public QuickEngineOptions quickOptions() {
        return QuickEngineOptions.defaults().withDefaultThreshold(defaultThreshold());
    }

    /** The llm engine's settings with the flags applied; {@code --model} is required. */
    public LlmEngineOptions llmOptions() {
        if (model == null) {
            throw new UserException("--engine llm needs --model DIR (a Hugging Face Qwen2 model folder)");
        }
        DecodingSettings decoding = DecodingSettings.preset(preset);
        if (maxNewTokens != null) {
            if (maxNewTokens < 1) {
                throw new UserException("--max-new-tokens must be at least 1, was " + maxNewTokens);
            }
            decoding = decoding.withMaxNewTokens(maxNewTokens);
        }
        return LlmEngineOptions.of(model).withAdapter(adapter).withDevice(DeviceChoice.parse(device))
                .withClauseRelevance(org.rsafe.engine.quick.EncoderClauseRelevance.shared())
                .withDecoding(decoding);
    }

    /** Creates the chosen engine; the caller closes it. */
    public Engine create() {
        return switch (engineName()) {
            case QUICK -> QuickEngine.create(quickOptions());
            case LLM -> LlmEngine.open(llmOptions());
            default -> throw new UserException("--engine: unknown engine '" + engine + "'; choose quick or llm");
        };
    }
}
