package org.rsafe.cli;

import java.nio.file.Path;
import org.rsafe.app.EngineSpec;
import picocli.CommandLine.Option;

/**
 * The flags of the commands that run one local model folder directly ({@code generate}, {@code serve}): the folder,
 * an adapter merged into it, and the device. Use it with {@code @Mixin}.
 */
public final class LocalModelOptions {

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Model folder (config.json, tokenizer.json, *.safetensors); serve also takes a .gguf file.")
    Path model;

    @Option(names = "--adapter", paramLabel = "DIR", description = "PEFT LoRA adapter folder merged into the weights.")
    Path adapter;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu", defaultValue = EngineSpec.DEFAULT_DEVICE,
            description = "Where to run (default: ${DEFAULT-VALUE}); gpu fails clearly when DJL sees no CUDA GPU.")
    String device = EngineSpec.DEFAULT_DEVICE;

    /** The local LLM these flags name, with every other setting at the product default. */
    public EngineSpec spec() {
        return EngineSpec.llm(model).withAdapter(adapter).withDevice(device);
    }
}
