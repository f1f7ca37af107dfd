package org.rsafe.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.rsafe.util.DidYouMean;
import org.rsafe.util.UserException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code rsafe} command. Exit codes: 0 ok; 1 findings (lint errors, a failed gate);
 * 2 a user mistake (bad file, bad flag); 3 an internal error (a bug: stack trace printed); 130 cancelled.
 */
@Command(name = "rsafe", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "RSafe Workbench: write safety policies, judge prompts with a guard, measure on labelled sets.",
        subcommands = {
            CommandLine.HelpCommand.class,
            LintCommand.class,
            PromptCommand.class,
            ParseCommand.class,
            MetricsCommand.class,
            CheckCommand.class,
            BenchCommand.class,
            EvalCommand.class,
            CalibrateCommand.class,
            ModelCommand.class,
            TrainCommand.class,
            VersionCommand.class,
            CompareCommand.class,
            BundleCommand.class,
            GenerateCommand.class,
            ServeCommand.class,
        })
public final class Main implements java.util.concurrent.Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FINDINGS = 1;
    public static final int EXIT_USER_ERROR = 2;
    public static final int EXIT_INTERNAL = 3;
    /** {@code rsafe check}: the engine left the input to REVIEW (neither safe nor unsafe; docs/cli.md). */
    public static final int EXIT_REVIEW = 4;
    public static final int EXIT_CANCELLED = 130;

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    /** Bare {@code rsafe}: lists the commands. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return EXIT_OK;
    }

    public static void main(String[] args) {
        // Policy titles carry U+2011 and other non-ASCII text: print UTF-8 whatever the locale says.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(run(args, out, err));
    }

    /** Runs the CLI with the given streams; tests call this instead of {@link #main}. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // A prompt that starts with '@' is text to judge, not a file of arguments.
        cl.setExpandAtFiles(false);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof UserException ue) {
                if (ue.diagnostics().isEmpty()) {
                    err.println("rsafe: error: " + ue.getMessage());
                } else {
                    ue.lines().forEach(err::println);
                }
                err.flush();
                return EXIT_USER_ERROR;
            }
            if (ex instanceof CancellationException) {
                err.println("rsafe: cancelled");
                err.flush();
                return EXIT_CANCELLED;
            }
            err.println("rsafe: internal error (please report): " + ex);
            ex.printStackTrace(err);
            err.flush();
            return EXIT_INTERNAL;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine where = ex.getCommandLine();
            PrintWriter err = where.getErr();
            err.println("rsafe: error: " + describe(ex));
            err.println("Try '" + where.getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return EXIT_USER_ERROR;
        });
        return cl;
    }

    /**
     * The parse error in words. A mistyped command or option is named with the nearest real one; it is reported
     * before a missing required option, since the typo is usually why that option looks missing.
     */
    static String describe(CommandLine.ParameterException ex) {
        CommandLine where = ex.getCommandLine();
        List<String> unmatched = ex instanceof CommandLine.UnmatchedArgumentException u ? u.getUnmatched()
                : where.getUnmatchedArguments();
        if (unmatched.isEmpty()) {
            return ex.getMessage();
        }
        String first = unmatched.get(0);
        boolean option = first.startsWith("-");
        List<String> candidates = new ArrayList<>();
        if (option) {
            where.getCommandSpec().options().forEach(o -> candidates.addAll(List.of(o.names())));
        } else {
            candidates.addAll(where.getSubcommands().keySet());
        }
        String what = option ? "unknown option '" + first + "'"
                : where.getSubcommands().isEmpty() ? "unexpected argument '" + first + "'"
                : "unknown command '" + first + "'";
        String near = DidYouMean.closest(first, candidates).orElse(null);
        return what + (near == null ? "" : "; did you mean '" + near + "'?");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rsafe " + (v == null ? "dev" : v)};
        }
    }
}
