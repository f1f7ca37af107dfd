package org.rsafe.app;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.time.Duration;
import java.util.Optional;
import org.rsafe.engine.DecodingSettings;
import org.rsafe.engine.llm.DeviceChoice;
import org.rsafe.engine.llm.LlmEngineOptions;
import org.rsafe.engine.llm.Precision;
import org.rsafe.engine.quick.EncoderClauseRelevance;
import org.rsafe.engine.quick.QuickEngineOptions;
import org.rsafe.engine.remote.RemoteEngineOptions;
import org.rsafe.engine.remote.ServerKind;
import org.rsafe.util.UserException;

/**
 * Which engine judges and how: the one description of an engine that both faces fill in (the CLI from its flags,
 * the GUI from the engine picker) and that {@link Engines#open} turns into an engine. Its defaults are the only
 * engine defaults of the product, so the two faces open the same engine, with the same identity and run keys, for
 * the same choices.
 *
 * @param kind          which engine
 * @param model         local LLM: the Hugging Face model folder; null for the other engines
 * @param adapter       local LLM: a PEFT LoRA adapter folder merged at load, or null
 * @param device        local LLM: where to run ({@code cpu} by default; {@code auto}, {@code gpu})
 * @param decoding      local LLM and remote: decoding preset ({@link DecodingPreset#PAPER}, RSafe's evaluation
 *                      sampling, by default; seeded per request, so reruns give the same output)
 * @param maxNewTokens  local LLM and remote: most tokens generated per input (RSafe's 512 by default)
 * @param threshold     score at or above which a clause without its own threshold is violated (0.5 by default)
 * @param threads       quick engine: encoder threads; 0 = one per core
 * @param cacheDir      quick engine: folder of the on-disk embedding cache; null = the default folder
 * @param diskCache     quick engine: whether embeddings are cached on disk at all
 * @param remote        remote engine: the server, model name, key variable, server kind, concurrency and timeouts
 *                      ({@link Remote#DEFAULTS} when not chosen)
 * @param constrainFormat local LLM: constrain generation to {@code <think>...</think>} then {@code \boxed{safe}} or
 *                      {@code \boxed{unsafe}} (off by default)
 * @param dtype         local LLM: the dtype the weights are held in, {@code float32} (default) or {@code float16}
 * @param reviewBand    quick engine: the REVIEW band for this run, overriding the policy's {@code review_band}
 *                      ({@code --review-band}); null = the policy's, else the engine default
 */
public record EngineSpec(EngineKind kind, Path model, Path adapter, String device, DecodingPreset decoding,
                         int maxNewTokens, double threshold, int threads, Path cacheDir, boolean diskCache,
                         Remote remote, boolean constrainFormat, String dtype, Double reviewBand) {

    public static final String DEFAULT_DEVICE = "cpu";
    /** Float32 everywhere; float16 only on request (see {@link Precision}). */
    public static final String DEFAULT_DTYPE = "float32";
    public static final DecodingPreset DEFAULT_DECODING = DecodingPreset.PAPER;
    public static final int DEFAULT_MAX_NEW_TOKENS = DecodingSettings.DEFAULT_MAX_NEW_TOKENS;
    public static final double DEFAULT_THRESHOLD = QuickEngineOptions.DEFAULT_THRESHOLD;
    public static final ServerKind DEFAULT_SERVER_KIND = RemoteEngineOptions.DEFAULT_SERVER_KIND;
    /** 0 = the server kind's own default. */
    public static final int DEFAULT_CONCURRENCY = RemoteEngineOptions.DEFAULT_CONCURRENCY;
    public static final long DEFAULT_CONNECT_TIMEOUT_SECONDS = RemoteEngineOptions.DEFAULT_CONNECT_TIMEOUT_SECONDS;
    public static final long DEFAULT_READ_TIMEOUT_SECONDS = RemoteEngineOptions.DEFAULT_READ_TIMEOUT_SECONDS;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(DEFAULT_READ_TIMEOUT_SECONDS);

    /**
     * The remote engine's part of the spec.
     *
     * @param endpoint       the server's OpenAI API base URL as the user gave it ({@code http://host:8000/v1}); null
     *                       when not chosen
     * @param model          the model name to request; null = the server's only model
     * @param apiKeyEnv      name of the environment variable that holds the API key; null = no key. The key itself
     *                       is never part of a spec
     * @param serverKind     which server it is ({@link ServerKind#AUTO}, detected, by default)
     * @param concurrency    requests in flight during a batch; 0 = the server kind's default
     * @param connectTimeout longest wait for a connection
     * @param readTimeout    longest silence of the server while it answers
     */
    public record Remote(String endpoint, String model, String apiKeyEnv, ServerKind serverKind, int concurrency,
                         Duration connectTimeout, Duration readTimeout) {
        public static final Remote DEFAULTS = new Remote(null, null, null, DEFAULT_SERVER_KIND, DEFAULT_CONCURRENCY,
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);

        public Remote {
            endpoint = blankToNull(endpoint);
            model = blankToNull(model);
            apiKeyEnv = blankToNull(apiKeyEnv);
            serverKind = serverKind == null ? DEFAULT_SERVER_KIND : serverKind;
            connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
            readTimeout = readTimeout == null ? DEFAULT_READ_TIMEOUT : readTimeout;
            if (concurrency < 0 || concurrency > RemoteEngineOptions.MAX_CONCURRENCY) {
                throw new UserException("--concurrency must be from 1 to " + RemoteEngineOptions.MAX_CONCURRENCY
                        + ", was " + concurrency);
            }
            if (!isPositive(connectTimeout)) {
                throw new UserException("--connect-timeout must be longer than zero, was " + connectTimeout.toSeconds()
                        + " s");
            }
            if (!isPositive(readTimeout)) {
                throw new UserException("--read-timeout must be longer than zero, was " + readTimeout.toSeconds()
                        + " s");
            }
        }

        public Remote withEndpoint(String url) {
            return new Remote(url, model, apiKeyEnv, serverKind, concurrency, connectTimeout, readTimeout);
        }

        public Remote withModel(String name) {
            return new Remote(endpoint, name, apiKeyEnv, serverKind, concurrency, connectTimeout, readTimeout);
        }

        public Remote withApiKeyEnv(String name) {
            return new Remote(endpoint, model, name, serverKind, concurrency, connectTimeout, readTimeout);
        }

        public Remote withServerKind(ServerKind k) {
            return new Remote(endpoint, model, apiKeyEnv, k, concurrency, connectTimeout, readTimeout);
        }

        public Remote withConcurrency(int n) {
            return new Remote(endpoint, model, apiKeyEnv, serverKind, n, connectTimeout, readTimeout);
        }

        public Remote withConnectTimeout(Duration d) {
            return new Remote(endpoint, model, apiKeyEnv, serverKind, concurrency, d, readTimeout);
        }

        public Remote withReadTimeout(Duration d) {
            return new Remote(endpoint, model, apiKeyEnv, serverKind, concurrency, connectTimeout, d);
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.trim();
        }

        private static boolean isPositive(Duration d) {
            return !d.isNegative() && !d.isZero();
        }
    }

    public EngineSpec {
        Objects.requireNonNull(kind, "kind");
        remote = remote == null ? Remote.DEFAULTS : remote;
        device = device == null || device.isBlank() ? DEFAULT_DEVICE : device.trim();
        dtype = dtype == null || dtype.isBlank() ? DEFAULT_DTYPE : Precision.parse(dtype).cliName();
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
        if (reviewBand != null && !(reviewBand >= 0 && reviewBand <= QuickEngineOptions.MAX_REVIEW_BAND)) {
            throw new UserException("--review-band must be from 0 to " + QuickEngineOptions.MAX_REVIEW_BAND
                    + " standard deviations (0 turns REVIEW off), was " + reviewBand);
        }
    }

    /** The remote engine on the server at {@code endpoint} with every default (the server's only model). */
    public static EngineSpec remote(String endpoint) {
        return quick().withKind(EngineKind.REMOTE).withRemote(Remote.DEFAULTS.withEndpoint(endpoint));
    }

    /** The quick engine with every default. */
    public static EngineSpec quick() {
        return new EngineSpec(EngineKind.QUICK, null, null, DEFAULT_DEVICE, DEFAULT_DECODING, DEFAULT_MAX_NEW_TOKENS,
                DEFAULT_THRESHOLD, 0, null, true,
                Remote.DEFAULTS, false, DEFAULT_DTYPE, null);
    }

    /** The local LLM on {@code model} with every default. */
    public static EngineSpec llm(Path model) {
        return quick().withKind(EngineKind.LOCAL_LLM).withModel(model);
    }

    public EngineSpec withKind(EngineKind k) {
        return new EngineSpec(k, model, adapter, device, decoding, maxNewTokens, threshold, threads, cacheDir,
                diskCache, remote, constrainFormat, dtype, reviewBand);
    }

    public EngineSpec withModel(Path dir) {
        return new EngineSpec(kind, dir, adapter, device, decoding, maxNewTokens, threshold, threads, cacheDir,
                diskCache, remote, constrainFormat, dtype, reviewBand);
    }

    public EngineSpec withAdapter(Path dir) {
        return new EngineSpec(kind, model, dir, device, decoding, maxNewTokens, threshold, threads, cacheDir,
                diskCache, remote, constrainFormat, dtype, reviewBand);
    }

    public EngineSpec withDevice(String d) {
        return new EngineSpec(kind, model, adapter, d, decoding, maxNewTokens, threshold, threads, cacheDir,
                diskCache, remote, constrainFormat, dtype, reviewBand);
    }

    public EngineSpec withDecoding(DecodingPreset d) {
        return new EngineSpec(kind, model, adapter, device, d, maxNewTokens, threshold, threads, cacheDir,
                diskCache, remote, constrainFormat, dtype, reviewBand);
    }

    public EngineSpec withMaxNewTokens(int n) {
        return new EngineSpec(kind, model, adapter, device, decoding, n, threshold, threads, cacheDir,
                diskCache, remote, constrainFormat, dtype, reviewBand);
    }

    public EngineSpec withThreshold(double t) {
        return new EngineSpec(kind, model, adapter, device, decoding, maxNewTokens, t, threads, cacheDir,
                diskCache, remote, constrainFormat, dtype, reviewBand);
    }

    public EngineSpec withThreads(int n) {
        return new EngineSpec(kind, model, adapter, device, decoding, maxNewTokens, threshold, n, cacheDir,
                diskCache, remote, constrainFormat, dtype, reviewBand);
    }

    /** The embedding cache folder ({@code null} = the default folder). */
    public EngineSpec withCacheDir(Path dir) {
        return new EngineSpec(kind, model, adapter, device, decoding, maxNewTokens, threshold, threads, dir,
                diskCache, remote, constrainFormat, dtype, reviewBand);
    }

    public EngineSpec withDiskCache(boolean on) {
        return new EngineSpec(kind, model, adapter, device, decoding, maxNewTokens, threshold, threads, cacheDir,
                on, remote, constrainFormat, dtype, reviewBand);
    }

    public EngineSpec withConstrainFormat(boolean on) {
        return new EngineSpec(kind, model, adapter, device, decoding, maxNewTokens, threshold, threads, cacheDir,
                diskCache, remote, on, dtype, reviewBand);
    }

    /** {@code float32} or {@code float16} (any spelling {@link Precision#parse} takes). */
    public EngineSpec withDtype(String d) {
        return new EngineSpec(kind, model, adapter, device, decoding, maxNewTokens, threshold, threads, cacheDir,
                diskCache, remote, constrainFormat, d, reviewBand);
    }

    /** The REVIEW band for this run ({@code --review-band}); null = the policy's {@code review_band}, else the default. */
    public EngineSpec withReviewBand(Double band) {
        return new EngineSpec(kind, model, adapter, device, decoding, maxNewTokens, threshold, threads, cacheDir,
                diskCache, remote, constrainFormat, dtype, band);
    }

    public EngineSpec withRemote(Remote r) {
        return new EngineSpec(kind, model, adapter, device, decoding, maxNewTokens, threshold, threads, cacheDir,
                diskCache, r, constrainFormat, dtype, reviewBand);
    }

    /** True when the local LLM's model is a GGUF file (run by llama.cpp in a child process), not a folder. */
    public boolean isGguf() {
        return kind == EngineKind.LOCAL_LLM && model != null && isGgufFile(model);
    }

    /** A path named {@code *.gguf} (any case). */
    public static boolean isGgufFile(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gguf");
    }

    /**
     * Why this engine cannot be opened as chosen (no model folder, a missing folder, no server address or a malformed
     * one), or empty when it may be tried.
     */
    public Optional<String> problem() {
        return switch (kind) {
            case QUICK -> Optional.empty();
            case LOCAL_LLM -> localModelProblem();
            case REMOTE -> remoteProblem();
        };
    }

    private Optional<String> localModelProblem() {
        if (model == null) {
            return Optional.of("Choose a model folder (a Hugging Face Qwen2 folder: config.json, tokenizer.json, "
                    + "*.safetensors) or a .gguf file.");
        }
        if (isGgufFile(model)) {
            if (!Files.isRegularFile(model)) {
                return Optional.of("The GGUF model file does not exist: " + model);
            }
            if (adapter != null && (!isGgufFile(adapter) || !Files.isRegularFile(adapter))) {
                return Optional.of("With a GGUF model the adapter must be a GGUF adapter file (rsafe model convert "
                        + "--adapter writes one): " + adapter);
            }
            return Optional.empty();
        }
        if (!Files.isDirectory(model)) {
            return Optional.of("The model folder does not exist: " + model);
        }
        if (adapter != null && !Files.isDirectory(adapter)) {
            return Optional.of("The adapter folder does not exist: " + adapter);
        }
        return Optional.empty();
    }

    private Optional<String> remoteProblem() {
        if (remote.endpoint() == null) {
            return Optional.of("Give the server's address (its OpenAI API base URL, e.g. http://127.0.0.1:8000/v1).");
        }
        try {
            RemoteEngineOptions.endpoint(remote.endpoint());
            return Optional.empty();
        } catch (UserException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * One line naming the engine ("Quick engine (similarity)", "Local LLM · qwen · cpu · greedy · max 512 tokens",
     * "Remote server · rsafe-7b @ gpu-box:8000 · vllm · paper sampling · max 512 tokens").
     */
    public String summary() {
        return switch (kind) {
            case QUICK -> "Quick engine (similarity)" + (reviewBand == null ? ""
                    : " · review band " + QuickEngineOptions.formatBand(reviewBand));
            case LOCAL_LLM -> {
                String name = model == null ? "no model folder chosen" : fileName(model);
                if (adapter != null) {
                    name += " + adapter " + fileName(adapter);
                }
                yield "Local LLM · " + name + " · " + device + (DEFAULT_DTYPE.equals(dtype) ? "" : " · " + dtype)
                        + " · " + decoding.shortName() + " · max " + maxNewTokens + " tokens"
                        + (constrainFormat ? " · format constrained" : "");
            }
            case REMOTE -> "Remote server · " + (remote.model() == null ? "the server's model" : remote.model())
                    + " @ " + (remote.endpoint() == null ? "no address given" : remoteHost()) + " · "
                    + remote.serverKind().cliName() + " · " + decoding.shortName() + " · max " + maxNewTokens
                    + " tokens";
        };
    }

    private String remoteHost() {
        try {
            URI uri = RemoteEngineOptions.endpoint(remote.endpoint());
            return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        } catch (UserException e) {
            return remote.endpoint();
        }
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
        if (reviewBand != null) {
            o = o.withReviewBand(reviewBand);
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
                .withDecoding(decoding.settings(model).withMaxNewTokens(maxNewTokens))
                .withPrecision(Precision.parse(dtype)).withConstrainFormat(constrainFormat)
                .withClauseRelevance(EncoderClauseRelevance.shared());
    }

    /**
     * The remote engine's settings for this spec: the decoding preset as request fields, the server and its
     * treatment; a user mistake when no server address, or a malformed one, was given.
     */
    public RemoteEngineOptions remoteOptions() {
        DecodingSettings request = decoding.settings(null).withMaxNewTokens(maxNewTokens);
        return RemoteEngineOptions.of(RemoteEngineOptions.endpoint(remote.endpoint()), remote.model(), request)
                .withApiKeyEnv(remote.apiKeyEnv()).withServerKind(remote.serverKind())
                .withConcurrency(remote.concurrency())
                .withTimeouts(remote.connectTimeout(), remote.readTimeout())
                .withClauseRelevance(EncoderClauseRelevance.shared());
    }
}
