package org.rsafe.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;

/**
 * A benchmark on a model folder with random weights ({@code bench llm|train}): checks its flags, names itself and
 * the model's shape on stdout, reports each step on stderr while it runs and prints its result lines.
 */
abstract class RandomModelBench extends CliCommand {

    /** A benchmark ready to run, its flags checked: reports each step, returns the lines to print. */
    interface Measurement {
        List<String> run(Consumer<String> step);
    }

    @Mixin
    BenchModelOptions model = new BenchModelOptions();

    /** What is measured, e.g. {@code GRPO training benchmark}. */
    abstract String title();

    /** Checks the flags (mistakes are {@link #usage} errors) and sets the benchmark up. */
    abstract Measurement prepare();

    @Override
    public final Integer call() {
        Measurement measurement = prepare();
        PrintWriter out = out();
        PrintWriter err = err();
        out.println(title() + " (" + model.shape().id() + ", RANDOM weights)");
        out.flush();
        List<String> lines = measurement.run(step -> {
            err.println("  ... " + step);
            err.flush();
        });
        lines.forEach(out::println);
        out.flush();
        return Main.EXIT_OK;
    }
}
