package org.rsafe.cli;

import java.nio.file.Path;
import org.rsafe.app.EngineSpec;
import picocli.CommandLine.Option;

/**
 * The flags of the commands that run one local model folder directly ({@code generate}, {@code serve}): the folder,
 * an adapter merged into it, the device and the dtype. Use it with {@code @Mixin}.
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

    @Option(names = "--dtype", paramLabel = "float32|float16", defaultValue = EngineSpec.DEFAULT_DTYPE,
            description = "The dtype the weights are held in (default: ${DEFAULT-VALUE}); float16 only on request: "
                    + "far slower on the CPU, and Qwen2-7B is reported to overflow in it on a GPU.")
    String dtype = EngineSpec.DEFAULT_DTYPE;

    /** The local LLM these flags name, with every other setting at the product default. */
    public EngineSpec spec() {
        return EngineSpec.llm(model).withAdapter(adapter).withDevice(device).withDtype(dtype);
    }
}
