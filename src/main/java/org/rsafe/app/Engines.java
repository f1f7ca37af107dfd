package org.rsafe.app;

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
            case LOCAL_LLM -> LlmEngine.open(spec.llmOptions());
            case REMOTE -> RemoteEngine.open(spec.remoteOptions());
        };
    }
}
