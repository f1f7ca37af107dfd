package org.rsafe.cli;

import java.nio.file.Path;
import org.rsafe.app.DecodingPreset;
import org.rsafe.app.EngineKind;
import org.rsafe.app.EngineSpec;
import org.rsafe.app.Engines;
import org.rsafe.engine.Engine;
import picocli.CommandLine.Option;

/**
 * The engine flags shared by every command that judges inputs ({@code --engine}, {@code --model}, {@code --threshold},
 * ...), turned into the product's one {@link EngineSpec}. Flags left out keep the spec's defaults. Use it with
 * {@code @Mixin}.
 */
public final class EngineOptions {

    @Option(names = "--engine", paramLabel = "quick|llm",
            description = "Guard engine: quick (default; offline sentence-similarity guard) or llm (a local Qwen2-family "
                    + "RSafe model folder, given with --model).")
    String engine;

    @Option(names = "--model", paramLabel = "DIR",
            description = "llm engine: Hugging Face model folder (config.json, tokenizer.json, *.safetensors).")
    Path model;

    @Option(names = "--adapter", paramLabel = "DIR", description = "llm engine: a PEFT LoRA adapter folder to merge at load.")
    Path adapter;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu",
            description = "llm engine: where to run (default: " + EngineSpec.DEFAULT_DEVICE + ").")
    String device;

    @Option(names = "--preset", paramLabel = "paper|greedy",
            description = "llm engine: decoding preset; paper = temperature 0.7, top-p 0.8, repetition penalty 1.05, "
                    + "seeded (default); greedy = arg-max.")
    String preset;

    @Option(names = "--max-new-tokens", paramLabel = "N",
            description = "llm engine: most tokens generated per input (default: " + EngineSpec.DEFAULT_MAX_NEW_TOKENS
                    + ").")
    Integer maxNewTokens;

    @Option(names = "--threshold", paramLabel = "T",
            description = "Score at or above which a clause without its own threshold is violated, 0..1 (default: 0.5).")
    Double threshold;

    /** The chosen engine kind ({@code --engine}, quick when left out). */
    public EngineKind kind() {
        return engine == null ? EngineKind.QUICK : EngineKind.parse(engine);
    }

    /** The engine the flags describe, with the product defaults for every flag left out. */
    public EngineSpec spec() {
        EngineSpec spec = EngineSpec.quick().withKind(kind()).withModel(model).withAdapter(adapter);
        if (device != null) {
            spec = spec.withDevice(device);
        }
        if (preset != null) {
            spec = spec.withDecoding(DecodingPreset.parse(preset));
        }
        if (maxNewTokens != null) {
            spec = spec.withMaxNewTokens(maxNewTokens);
        }
        if (threshold != null) {
            spec = spec.withThreshold(threshold);
        }
        return spec;
    }

    /** The threshold for clauses that set none: {@code --threshold}, else the default. */
    public double defaultThreshold() {
        return spec().threshold();
    }

    /** Opens the chosen engine; the caller closes it. */
    public Engine create() {
        return Engines.open(spec());
    }
}
