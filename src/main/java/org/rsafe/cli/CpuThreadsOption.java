package org.rsafe.cli;

import org.rsafe.engine.llm.DeviceChoice;
import picocli.CommandLine.Option;

/** The {@code --threads} flag of the commands that run a local model on the CPU ({@code generate}, {@code bench llm}). */
public final class CpuThreadsOption {

    @Option(names = "--threads", paramLabel = "N",
            description = "PyTorch CPU threads (default: one per core; 1 can be much faster on a busy machine).")
    Integer threads;

    /** Sets PyTorch's CPU thread count when the flag was given; call it before any model is opened. */
    void apply() {
        if (threads != null) {
            DeviceChoice.useCpuThreads(threads);
        }
    }
}
