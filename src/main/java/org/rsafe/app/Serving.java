package org.rsafe.app;

import java.util.function.Function;
import org.rsafe.engine.gguf.GgufServedModel;
import org.rsafe.engine.llm.DeviceChoice;
import org.rsafe.engine.llm.LocalModel;
import org.rsafe.engine.remote.RemoteEngineOptions;
import org.rsafe.engine.llm.Precision;
import org.rsafe.serve.ChatServer;
import org.rsafe.serve.LocalServedModel;
import org.rsafe.serve.ServeOptions;
import org.rsafe.serve.ServedModel;
import org.rsafe.util.UserException;

/**
 * The serve use case ({@code rsafe serve}): opens the local model an {@link EngineSpec} describes and serves it over
 * the OpenAI chat-completions protocol, so the remote engine (or any OpenAI client) can use it.
 */
public final class Serving {
    /** Starts the line {@code rsafe serve} prints on stdout once it listens, followed by its base URL. */
    public static final String READY_LINE = "rsafe serve listening at ";

    private Serving() { }

    /**
     * Loads the spec's model (and adapter) on its device and starts the server; the caller closes it, which closes
     * the model. Only the local LLM can be served. The API key is read from the environment variable
     * {@code apiKeyEnv} (null = no key).
     */
    public static ChatServer start(EngineSpec spec, ServeOptions options, String apiKeyEnv) {
        return start(spec, options, apiKeyEnv, System::getenv);
    }

    /** {@link #start(EngineSpec, ServeOptions, String)} reading the key from {@code environment}. */
    public static ChatServer start(EngineSpec spec, ServeOptions options, String apiKeyEnv,
                                   Function<String, String> environment) {
        if (spec.kind() != EngineKind.LOCAL_LLM) {
            throw new UserException("rsafe serve serves the local LLM only (--engine llm --model DIR|FILE.gguf)");
        }
        spec.problem().ifPresent(p -> {
            throw new UserException(p);
        });
        if (apiKeyEnv != null && !apiKeyEnv.isBlank()) {
            String key = environment.apply(apiKeyEnv.trim());
            if (key == null || key.isBlank()) {
                throw new UserException(RemoteEngineOptions.missingKeyMessage(apiKeyEnv.trim()));
            }
            options = options.withApiKey(key);
        }
        if (spec.isGguf()) {
            // Runs llama.cpp in this process: rsafe serve is the child the GGUF engine starts, never the workbench.
            ServedModel gguf = GgufServedModel.open(new GgufServedModel.Options(spec.model(), spec.adapter(),
                    spec.threads(), 0, spec.constrainFormat()));
            try {
                return ChatServer.start(gguf, options);
            } catch (RuntimeException e) {
                gguf.close();
                throw e;
            }
        }
        LocalModel local = LocalModel.open(spec.model(), spec.adapter(), DeviceChoice.parse(spec.device()),
                Precision.parse(spec.dtype()));
        try {
            return ChatServer.start(new LocalServedModel(local, spec.constrainFormat()), options);
        } catch (RuntimeException e) {
            local.close();
            throw e;
        }
    }
}
