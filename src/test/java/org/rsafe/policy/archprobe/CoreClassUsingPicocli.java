package org.rsafe.policy.archprobe;

import picocli.CommandLine;

/** Uses picocli outside the CLI, on purpose; only ArchitectureTest reads it. */
public final class CoreClassUsingPicocli {
    public CommandLine line() {
        return new CommandLine(this);
    }
}
