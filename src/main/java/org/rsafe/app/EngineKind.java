package org.rsafe.app;

import java.util.List;
import java.util.Locale;
import org.rsafe.util.UserException;

/**
 * The engines a user can pick, with the name the CLI takes ({@code --engine quick|llm|remote}) and the label the GUI
 * shows.
 */
public enum EngineKind {
    /** The offline sentence-similarity guard: needs no model files. */
    QUICK("quick", "Quick (similarity)"),
    /** A local Qwen2-family RSafe model folder run in the JVM. */
    LOCAL_LLM("llm", "Local LLM"),
    /** A model on an OpenAI-compatible inference server (vLLM, SGLang, Ollama, the llama.cpp server, ...). */
    REMOTE("remote", "Remote server (OpenAI API)");

    private final String cliName;
    private final String label;

    EngineKind(String cliName, String label) {
        this.cliName = cliName;
        this.label = label;
    }

    /** The name used by {@code --engine} and recorded in run identities ("quick", "llm", "remote"). */
    public String cliName() {
        return cliName;
    }

    public String label() {
        return label;
    }

    /** The kinds the GUI's engine pickers offer: all of them, in this order. */
    public static List<EngineKind> inGui() {
        return List.of(values());
    }

    /** The kind of that CLI name (any case); a user mistake otherwise. */
    public static EngineKind parse(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (EngineKind k : values()) {
            if (k.cliName.equals(key)) {
                return k;
            }
        }
        throw new UserException("--engine: unknown engine '" + name + "'; choose quick, llm or remote");
    }

    @Override
    public String toString() {
        return label;
    }
}
