package org.rsafe.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rsafe.engine.quick.QuickBenchmark;
import org.rsafe.eval.BadRowPolicy;
import org.rsafe.eval.Dataset;
import org.rsafe.eval.DatasetReader;
import org.rsafe.eval.LabelledRow;
import org.rsafe.eval.MappingOverrides;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rsafe bench}: speed measurements of the engines on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure engine speed on this machine.",
        subcommands = {BenchCommand.Quick.class, BenchLlmCommand.class, BenchTrainCommand.class})
public final class BenchCommand extends CliCommand {

    @Override
    public Integer call() {
        throw usage("name an engine to measure, e.g. 'rsafe bench quick'");
    }

    /** {@code rsafe bench quick}: the quick engine against its bare encoder, late chunking, and the cache. */
    @Command(name = "quick", mixinStandardHelpOptions = true,
            description = {"Measure the quick engine: (1) bare encoder texts/s, (2) engine rows/s and its overhead,",
                "(3) sentence-level scoring cost against one whole-text pass, (4) re-judging N rows after a policy",
                "edit from the on-disk cache. Prompts come from --data, else from texts stitched from the policy."})
    public static final class Quick extends CliCommand {

        @Option(names = "--data", paramLabel = "FILE", description = "Dataset whose prompts to use (CSV/TSV/JSONL/JSON).")
        private Path data;

        @Option(names = "--rows", paramLabel = "N", defaultValue = "200", description = "Rows to use (default: ${DEFAULT-VALUE}).")
        private int rows;

        @Option(names = "--policy", paramLabel = "FILE", defaultValue = "policies/rsafe-default.yaml",
                description = "Policy to judge with (default: ${DEFAULT-VALUE}).")
        private Path policyFile;

        @Option(names = "--threads", paramLabel = "N", description = "Encoder threads (default: the number of cores).")
        private Integer threads;

        @Override
        public Integer call() {
            if (rows < 1) {
                throw usage("--rows must be at least 1, got " + rows);
            }
            int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            if (n < 1) {
                throw usage("--threads must be at least 1, got " + n);
            }
            if (!Files.isRegularFile(policyFile)) {
                throw new UserException(policyFile + ": no such policy file (pass --policy FILE)");
            }
            Policy policy = PolicyLoader.loadOrThrow(policyFile);
            List<String> texts = data == null ? QuickBenchmark.syntheticTexts(policy, rows) : prompts(data, rows);
            PrintWriter out = out();
            PrintWriter err = err();
            out.printf(Locale.ROOT, "quick engine benchmark: %d rows from %s, policy %s (%d clauses), %d threads "
                            + "on %d cores (load average %.1f at start)%n",
                    texts.size(), data == null ? "texts stitched from the policy's examples" : data,
                    policy.id(), policy.clauses().size(), n, Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            out.flush();
            QuickBenchmark.Result r = QuickBenchmark.run(policy, texts, n, step -> {
                err.println("  ... " + step);
                err.flush();
            });
            print(out, r);
            out.flush();
            return Main.EXIT_OK;
        }

        static void print(PrintWriter out, QuickBenchmark.Result r) {
            out.printf(Locale.ROOT, "inputs: %.0f characters, %.0f tokens, %.1f sentences per text on average%n",
                    r.meanChars(), r.meanTokens(), r.sentencesPerText());
            out.printf(Locale.ROOT, "(1) bare encoder:   %.1f texts/s (%d whole-text forward passes in %.2f s)%n",
                    r.rawTextsPerSecond(), r.rows(), r.rawSeconds());
            out.printf(Locale.ROOT, "(2) engine:         %.1f rows/s (%.2f s); overhead over the bare passes: %+.1f %%%n",
                    r.engineRowsPerSecond(), r.engineSeconds(), 100 * r.overhead());
            out.printf(Locale.ROOT, "(3) sentence-level: %.2fx one whole-text pass with late chunking; "
                            + "re-encoding every sentence would cost %.2fx (measured on %d rows)%n",
                    r.lateChunkingCost(), r.naiveChunkingCost(), r.naiveRows());
            out.printf(Locale.ROOT, "(4) policy edit:    %d rows re-judged in %.2f s from the disk cache "
                            + "(fresh engine; %d text%s re-encoded)%n",
                    r.rows(), r.cachedSeconds(), r.textsReencoded(), r.textsReencoded() == 1 ? "" : "s");
            out.printf(Locale.ROOT, "(5) lint examples: %d examples (20 clauses x 10) each judged with itself held out "
                            + "in %.2f s with their texts new to the engine, %.2f s after one edit (cache; target < 1 s)%n",
                    r.lintExamples(), r.lintColdSeconds(), r.lintEditSeconds());
        }

        private static List<String> prompts(Path file, int limit) {
            Dataset d = DatasetReader.readAll(file, MappingOverrides.NONE, BadRowPolicy.SKIP);
            List<String> out = new ArrayList<>();
            for (LabelledRow row : d.rows()) {
                if (out.size() >= limit) {
                    break;
                }
                out.add(row.prompt());
            }
            if (out.isEmpty()) {
                throw new UserException(file + ": no usable rows");
            }
            return out;
        }
    }
}
