package org.rsafe.cli;

import java.nio.file.Path;
import org.rsafe.engine.llm.DeviceChoice;
import org.rsafe.engine.llm.RandomModelWriter;
import picocli.CommandLine.Option;

/** The model flags shared by the benchmarks that run on a random-weight model folder ({@code bench llm|train}). */
public final class BenchModelOptions {

    @Option(names = "--shape", paramLabel = "tiny|qwen2.5-0.5b|qwen2.5-1.5b|qwen2.5-7b", defaultValue = "tiny",
            description = "Model shape (default: ${DEFAULT-VALUE}). qwen2.5-0.5b needs about 2 GB of disk and 3 GB of memory.")
    String shape = "tiny";

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where the random model folders are kept (default: ~/.cache/rsafe-workbench/bench-models).")
    Path cacheDir;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu", defaultValue = "cpu",
            description = "Where to run (default: ${DEFAULT-VALUE}).")
    String device = "cpu";

    RandomModelWriter.Shape shape() {
        return RandomModelWriter.Shape.parse(shape);
    }

    /** The folder that keeps the random models between runs, so a benchmark writes a 2 GB folder only once. */
    Path cacheDir() {
        return cacheDir != null ? cacheDir
                : Path.of(System.getProperty("user.home"), ".cache", "rsafe-workbench", "bench-models");
    }

    DeviceChoice device() {
        return DeviceChoice.parse(device);
    }
}
