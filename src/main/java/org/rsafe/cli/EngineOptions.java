package org.rsafe.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import org.rsafe.app.DecodingPreset;
import org.rsafe.app.EngineKind;
import org.rsafe.app.EngineSpec;
import org.rsafe.app.Engines;
import org.rsafe.engine.Engine;
import org.rsafe.engine.remote.ServerKind;
import org.rsafe.util.UserException;
import picocli.CommandLine.Option;

/**
 * The engine flags shared by every command that judges inputs ({@code --engine}, {@code --model}, {@code --threshold},
 * ...), turned into the product's one {@link EngineSpec}. Flags left out keep the spec's defaults. Use it with
 * {@code @Mixin}.
 */
public final class EngineOptions {

    @Option(names = "--engine", paramLabel = "quick|llm|remote",
            description = "Guard engine: quick (default; offline sentence-similarity guard), llm (a local Qwen2-family "
                    + "RSafe model folder, given with --model) or remote (a model on an OpenAI-compatible server, "
                    + "given with --endpoint).")
    String engine;

    @Option(names = "--model", paramLabel = "DIR|NAME",
            description = "llm engine: Hugging Face model folder (config.json, tokenizer.json, *.safetensors), or a "
                    + ".gguf file run by llama.cpp in a child process. remote engine: the model name the server serves (default: its only model).")
    String model;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "remote engine: the server's OpenAI API base URL, e.g. http://127.0.0.1:8000/v1.")
    String endpoint;

    @Option(names = "--api-key-env", paramLabel = "NAME",
            description = "remote engine: name of the environment variable that holds the API key (the key is sent "
                    + "as a bearer token and recorded nowhere).")
    String apiKeyEnv;

    @Option(names = "--server-kind", paramLabel = "auto|generic|vllm|sglang|ollama|llamacpp|rsafe",
            description = "remote engine: which server it is, for the request fields it takes and the default "
                    + "concurrency (default: auto, detected from the server's model list).")
    String serverKind;

    @Option(names = "--concurrency", paramLabel = "N",
            description = "remote engine: requests kept in flight during a batch (default: set by the server kind; "
                    + "see docs/engines.md).")
    Integer concurrency;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS",
            description = "remote engine: longest wait for a connection (default: "
                    + EngineSpec.DEFAULT_CONNECT_TIMEOUT_SECONDS + ").")
    Long connectTimeout;

    @Option(names = "--read-timeout", paramLabel = "SECONDS",
            description = "remote engine: longest silence of the server while it answers (default: "
                    + EngineSpec.DEFAULT_READ_TIMEOUT_SECONDS + ").")
    Long readTimeout;

    @Option(names = "--adapter", paramLabel = "DIR", description = "llm engine: a PEFT LoRA adapter folder to merge at load.")
    Path adapter;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu",
            description = "llm engine: where to run (default: " + EngineSpec.DEFAULT_DEVICE + ").")
    String device;

    @Option(names = "--dtype", paramLabel = "float32|float16",
            description = "llm engine: the dtype the weights are held in (default: " + EngineSpec.DEFAULT_DTYPE
                    + "); float16 only on request: far slower on the CPU, and Qwen2-7B is reported to overflow in it "
                    + "on a GPU.")
    String dtype;

    @Option(names = "--constrain-format",
            description = "llm engine: hold every output to RSafe's format (<think>...</think> then \\boxed{safe} or "
                    + "\\boxed{unsafe}), so that no output fails to parse (a logits mask on DJL, a grammar for GGUF).")
    boolean constrainFormat;

    @Option(names = "--preset", paramLabel = "paper|greedy|hf",
            description = "llm and remote engines: decoding preset; paper = temperature 0.7, top-p 0.8, repetition penalty 1.05, "
                    + "seeded (default); greedy = arg-max; hf (llm only) = the model folder's generation_config.json "
                    + "(do_sample, temperature, top_k, top_p, repetition_penalty), as Hugging Face generate uses it.")
    String preset;

    @Option(names = "--max-new-tokens", paramLabel = "N",
            description = "llm and remote engines: most tokens generated per input (default: " + EngineSpec.DEFAULT_MAX_NEW_TOKENS
                    + ").")
    Integer maxNewTokens;

    @Option(names = "--threshold", paramLabel = "T",
            description = "Score at or above which a clause without its own threshold is violated, 0..1 (default: 0.5).")
    Double threshold;

    @Option(names = "--review-band", paramLabel = "SD",
            description = "quick engine: REVIEW band for this run in standard deviations past a clause's bar, 0..3 "
                    + "(0 = never REVIEW); overrides the policy's review_band (default: the policy's, else 0.25).")
    Double reviewBand;

    /** The chosen engine kind ({@code --engine}, quick when left out). */
    public EngineKind kind() {
        return engine == null ? EngineKind.QUICK : EngineKind.parse(engine);
    }

    /** The engine the flags describe, with the product defaults for every flag left out. */
    public EngineSpec spec() {
        EngineKind kind = kind();
        EngineSpec spec = EngineSpec.quick().withKind(kind).withAdapter(adapter);
        if (kind == EngineKind.REMOTE) {
            spec = spec.withRemote(remote());
        } else {
            spec = spec.withModel(modelFolder());
        }
        if (device != null) {
            spec = spec.withDevice(device);
        }
        if (dtype != null) {
            spec = spec.withDtype(dtype);
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
        if (reviewBand != null) {
            spec = spec.withReviewBand(reviewBand);
        }
        return spec.withConstrainFormat(constrainFormat);
    }

    /** {@code --model} as a folder, for the local engines. */
    private Path modelFolder() {
        if (model == null) {
            return null;
        }
        try {
            return Path.of(model);
        } catch (InvalidPathException e) {
            throw new UserException("--model: not a folder path: '" + model + "'");
        }
    }

    /** The remote flags; {@code --model} is the model name. */
    private EngineSpec.Remote remote() {
        EngineSpec.Remote r = EngineSpec.Remote.DEFAULTS.withEndpoint(endpoint).withModel(model)
                .withApiKeyEnv(apiKeyEnv);
        if (serverKind != null) {
            r = r.withServerKind(ServerKind.parse(serverKind));
        }
        if (concurrency != null) {
            if (concurrency < 1) {
                throw new UserException("--concurrency must be at least 1, was " + concurrency);
            }
            r = r.withConcurrency(concurrency);
        }
        if (connectTimeout != null) {
            r = r.withConnectTimeout(Duration.ofSeconds(connectTimeout));
        }
        if (readTimeout != null) {
            r = r.withReadTimeout(Duration.ofSeconds(readTimeout));
        }
        return r;
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
