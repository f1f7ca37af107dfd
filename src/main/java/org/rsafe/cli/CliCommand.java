package org.rsafe.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** What every {@code rsafe} command has: its picocli spec, its stdout and stderr, and the way it reports misuse. */
abstract class CliCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The command's standard output (a test may redirect it). */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The command's error output (a test may redirect it). */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A mistake in the command's flags, reported as picocli reports its own (usage help, exit code 2). */
    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** For a command that only groups subcommands and is called without one: its help on stderr, exit code 2. */
    int showUsage() {
        spec.commandLine().usage(err());
        return Main.EXIT_USER_ERROR;
    }
}
