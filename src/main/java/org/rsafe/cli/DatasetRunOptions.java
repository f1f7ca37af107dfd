package org.rsafe.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags of every command that judges a labelled dataset (eval, calibrate, compare, bundle export): the engine,
 * the dataset's columns and labels, and whether progress lines are printed. Use it with {@code @Mixin}.
 */
public final class DatasetRunOptions {

    @Option(names = {"-q", "--quiet"}, description = "No progress lines on stderr.")
    boolean quiet;

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Mixin
    DataOptions data = new DataOptions();

    /** The progress printer of a run, prefixed with {@code what} (silent with --quiet). */
    EvalCommand.ProgressPrinter progress(java.io.PrintWriter err, String what) {
        return new EvalCommand.ProgressPrinter(err, what, quiet);
    }
}
