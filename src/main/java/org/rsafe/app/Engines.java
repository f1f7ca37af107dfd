package org.rsafe.app;

import java.util.List;
import org.rsafe.engine.Engine;
import org.rsafe.engine.llm.LlmEngine;
import org.rsafe.engine.quick.QuickEngine;
import org.rsafe.engine.remote.RemoteEngine;

/** The one place an engine is constructed: both faces and every use case open engines through here. */
public final class Engines {
    private Engines() { }

    /**
     * Opens the engine {@code spec} describes; the caller closes it. A local model that cannot be used (a missing
     * folder, a broken config), or a server that cannot be reached or refuses the key, is a
     * {@link org.rsafe.util.UserException}.
     */
    public static Engine open(EngineSpec spec) {
        return switch (spec.kind()) {
            case QUICK -> QuickEngine.create(spec.quickOptions());
            case LOCAL_LLM -> spec.isGguf() ? GgufEngine.open(spec) : LlmEngine.open(spec.llmOptions());
            case REMOTE -> RemoteEngine.open(spec.remoteOptions());
        };
    }

    /**
     * The model ids the server of a remote {@code spec} lists ({@code GET {endpoint}/models}), in its order, with the
     * spec's key variable and timeouts; the spec's model name may be empty. Blocks for up to the connect and read
     * timeouts, so a face calls it off its UI thread. No address, a malformed one, an unreachable server or a refused
     * key is a {@link org.rsafe.util.UserException} of one line.
     */
    public static List<String> remoteModelIds(EngineSpec spec) {
        if (spec.kind() != EngineKind.REMOTE) {
            throw new IllegalArgumentException("not a remote engine: " + spec.kind());
        }
        spec.problem().ifPresent(p -> {
            throw new org.rsafe.util.UserException(p);
        });
        return RemoteEngine.listModelIds(spec.remoteOptions());
    }
}
