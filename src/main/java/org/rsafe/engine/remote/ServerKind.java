package org.rsafe.engine.remote;

import java.util.Locale;
import org.rsafe.util.UserException;

/**
 * The OpenAI-compatible servers the remote engine knows, with what each takes beyond the common fields
 * ({@code model}, {@code messages}, {@code temperature}, {@code top_p}, {@code max_tokens}, {@code seed},
 * {@code stream}) and how many requests to keep in flight by default. A field a server does not take is not sent:
 * the OpenAI API itself rejects unknown fields, and the others ignore them silently, which would hide a setting that
 * was never applied.
 */
public enum ServerKind {
    /** Decided when the engine opens, from the {@code owned_by} field of {@code GET /models}, else the port. */
    AUTO("auto", "detect from the server", 0, 4, null, null, false),
    /** The OpenAI API or any other compatible server: only the common fields. */
    GENERIC("generic", "OpenAI-compatible server", 0, 4, null, null, false),
    /** vLLM ({@code vllm serve}): batches continuously, so many requests in flight pay off. */
    VLLM("vllm", "vLLM", 8000, 16, -1, "repetition_penalty", true),
    /** SGLang ({@code python -m sglang.launch_server}): batches continuously like vLLM. */
    SGLANG("sglang", "SGLang", 30000, 16, -1, "repetition_penalty", true),
    /** Ollama's {@code /v1} endpoint: takes neither top_k nor a repetition penalty; few parallel slots by default. */
    OLLAMA("ollama", "Ollama", 11434, 2, null, null, true),
    /** The llama.cpp server ({@code llama-server}): its penalty is {@code repeat_penalty}, over a recent window. */
    LLAMACPP("llamacpp", "llama.cpp server", 8080, 2, 0, "repeat_penalty", false),
    /**
     * The workbench's own {@code rsafe serve}: takes every sampling field the local engine uses (top-k 0 is off),
     * so paper sampling through it is the local engine's; it batches the requests that arrive together (16 at most by
     * default).
     */
    RSAFE("rsafe", "rsafe serve", 8000, 16, 0, "repetition_penalty", false);

    private final String cliName;
    private final String label;
    private final int defaultPort;
    private final int defaultConcurrency;
    private final Integer topKOff;
    private final String repetitionPenaltyField;
    private final boolean streamUsage;

    ServerKind(String cliName, String label, int defaultPort, int defaultConcurrency, Integer topKOff,
               String repetitionPenaltyField, boolean streamUsage) {
        this.cliName = cliName;
        this.label = label;
        this.defaultPort = defaultPort;
        this.defaultConcurrency = defaultConcurrency;
        this.topKOff = topKOff;
        this.repetitionPenaltyField = repetitionPenaltyField;
        this.streamUsage = streamUsage;
    }

    /** The name {@code --server-kind} takes and the engine identity records. */
    public String cliName() {
        return cliName;
    }

    public String label() {
        return label;
    }

    /** The port the server listens on when started with its defaults; 0 when there is none. */
    public int defaultPort() {
        return defaultPort;
    }

    /** Requests kept in flight when {@code --concurrency} is not given. */
    public int defaultConcurrency() {
        return defaultConcurrency;
    }

    /** Whether {@code top_k} is sent. */
    public boolean takesTopK() {
        return topKOff != null;
    }

    /**
     * The {@code top_k} value that switches it off on this server (vLLM and SGLang: -1, llama.cpp: 0). Sent
     * explicitly because vLLM otherwise applies the checkpoint's {@code generation_config.json} (top-k 20 for
     * Qwen2.5-Instruct), which is not RSafe's evaluation setting.
     */
    public int topKOff() {
        if (topKOff == null) {
            throw new IllegalStateException(cliName + " takes no top_k");
        }
        return topKOff;
    }

    /** The request field of the repetition penalty, or null when the server takes none. */
    public String repetitionPenaltyField() {
        return repetitionPenaltyField;
    }

    /** Whether {@code stream_options.include_usage} is sent, so a streamed answer ends with token counts. */
    public boolean streamUsage() {
        return streamUsage;
    }

    /** The kind of that CLI name (any case); a user mistake otherwise. */
    public static ServerKind parse(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace(".", "").replace("-", "");
        for (ServerKind k : values()) {
            if (k.cliName.equals(key)) {
                return k;
            }
        }
        throw new UserException("--server-kind: unknown server kind '" + name
                + "'; choose auto, generic, vllm, sglang, ollama, llamacpp or rsafe");
    }

    /**
     * The kind a server most likely is: vLLM, SGLang and the llama.cpp server name themselves in the {@code owned_by}
     * field of their model list; Ollama by its owner {@code library} or its port. Generic when neither says.
     */
    static ServerKind detect(String ownedBy, int port) {
        String owner = ownedBy == null ? "" : ownedBy.trim().toLowerCase(Locale.ROOT);
        switch (owner) {
            case "vllm":
                return VLLM;
            case "sglang":
                return SGLANG;
            case "llamacpp":
                return LLAMACPP;
            case "rsafe":
                return RSAFE;
            case "ollama":
            case "library": // Ollama's owner of models pulled from its public library
                return OLLAMA;
            default:
                break;
        }
        return port == OLLAMA.defaultPort ? OLLAMA : GENERIC;
    }

    @Override
    public String toString() {
        return label;
    }
}
