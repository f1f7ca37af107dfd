package org.rsafe.cli;

import java.util.Locale;
import org.rsafe.engine.Engine;
import org.rsafe.engine.quick.QuickEngine;
import org.rsafe.engine.quick.QuickEngineOptions;
import org.rsafe.util.UserException;
import picocli.CommandLine.Option;

/**
 * The engine flags shared by every command that judges inputs ({@code --engine}, {@code --threshold}); creates the
 * chosen engine. Use it with {@code @Mixin}.
 */
public final class EngineOptions {

    /** Engine names accepted by {@code --engine}. */
    public static final String QUICK = "quick";
    public static final String LLM = "llm";

    @Option(names = "--engine", defaultValue = QUICK, paramLabel = "quick|llm",
            description = "Guard engine: quick (default; offline sentence-similarity guard) or llm (local RSafe model; "
                    + "not available yet).")
    String engine = QUICK;

    @Option(names = "--threshold", paramLabel = "T",
            description = "Score at or above which a clause without its own threshold is violated, 0..1 (default: 0.5).")
    Double threshold;

    /** The chosen engine's name, lower-cased. */
    public String engineName() {
        return engine == null ? QUICK : engine.trim().toLowerCase(Locale.ROOT);
    }

    /** The threshold for clauses that set none: {@code --threshold}, else the engine's default. */
    public double defaultThreshold() {
        if (threshold == null) {
            return QuickEngineOptions.DEFAULT_THRESHOLD;
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new UserException("--threshold must be from 0 to 1, was " + threshold);
        }
        return threshold;
    }

    /** The quick engine's settings with the flags applied. */
    public QuickEngineOptions quickOptions() {
        return QuickEngineOptions.defaults().withDefaultThreshold(defaultThreshold());
    }

    /** Creates the chosen engine; the caller closes it. */
    public Engine create() {
        return switch (engineName()) {
            case QUICK -> QuickEngine.create(quickOptions());
            case LLM -> throw new UserException("the local LLM engine is not available yet; use --engine quick");
            default -> throw new UserException("--engine: unknown engine '" + engine + "'; choose quick or llm");
        };
    }
}
