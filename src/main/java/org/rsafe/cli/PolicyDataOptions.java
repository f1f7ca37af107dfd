package org.rsafe.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The policy and the labelled data set of the commands that judge one with the other (eval, calibrate, bundle export). */
public final class PolicyDataOptions {

    @Option(names = "--policy", required = true, paramLabel = "P", description = "Policy file (YAML).")
    Path policyFile;

    @Option(names = "--data", required = true, paramLabel = "D",
            description = "Labelled data set: CSV/TSV, JSON Lines or JSON array, optionally .gz.")
    Path data;
}
