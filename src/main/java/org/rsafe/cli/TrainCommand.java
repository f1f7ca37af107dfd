package org.rsafe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rsafe.app.Training;
import org.rsafe.util.Diagnostic;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.train.AdapterMerger;
import org.rsafe.train.Checkpoint;
import org.rsafe.train.GrpoConfig;
import org.rsafe.train.GrpoRun;
import org.rsafe.train.GrpoTrainer;
import org.rsafe.train.StepMetrics;
import org.rsafe.train.TrainLog;
import org.rsafe.train.TrainingDataBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code rsafe train}: RSafe's reinforced alignment (GRPO with LoRA) and the files around it. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Reinforced alignment: build training rows, train LoRA adapters with GRPO, merge adapters."},
        subcommands = {TrainCommand.Data.class, TrainCommand.Grpo.class, TrainCommand.Merge.class})
public final class TrainCommand extends CliCommand {

    @Override
    public Integer call() {
        throw usage("name a step: 'rsafe train data', 'rsafe train grpo' or "
                + "'rsafe train merge'");
    }

    /** {@code rsafe train data}: labelled sets to RSafe-format training rows. */
    @Command(name = "data", mixinStandardHelpOptions = true,
            description = {"Build GRPO training rows (JSON Lines) from labelled CSV/TSV/JSONL/JSON files.",
                "Each row is rendered with the policy (prompt-level template, or response-level when the row has a "
                    + "response), wrapped in Qwen's chat format (unless --chat none), and stored with its gold label:",
                "  {\"id\",\"prompt\",\"label\",\"level\",\"source\",\"input\"[,\"response\"]}",
                "Rows without a label are dropped; --max-prompt-tokens drops long ones (counted with --model's "
                    + "tokenizer, else estimated); --balance keeps as many safe as unsafe rows (seeded downsampling)."})
    public static final class Data extends CliCommand {
        private static final int SHOW_BAD_ROWS = 5;

        @Option(names = "--from", required = true, arity = "1..*", paramLabel = "FILE",
                description = "Labelled data files (columns are detected; fix them with --text-col, --label-col, ...).")
        private List<Path> from;

        @Option(names = "--policy", required = true, paramLabel = "P", description = "Policy file (YAML).")
        private Path policyFile;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Training file to write (JSON Lines).")
        private Path out;

        @Option(names = "--balance", description = "Downsample the larger of safe/unsafe to the smaller (seeded).")
        private boolean balance;

        @Option(names = "--max-prompt-tokens", paramLabel = "N",
                description = "Drop rows whose model input is longer than N tokens (RSafe used 2048).")
        private Integer maxPromptTokens;

        @Option(names = "--template", paramLabel = "KIND", defaultValue = "paper",
                converter = PromptCommand.TemplateKindConverter.class,
                description = "paper (RSafe's template, default) or detailed.")
        private TemplateKind template;

        @Option(names = "--chat", paramLabel = "qwen|none", defaultValue = "qwen", converter = ChatConverter.class,
                description = "qwen (default): wrap as one user turn in Qwen2.5's chat format, as RSafe trained; "
                        + "none: store the rendered template alone.")
        private TrainingDataBuilder.ChatFormat chat;

        @Option(names = "--model", paramLabel = "DIR",
                description = "Count tokens with this model folder's tokenizer.json (default: an estimate).")
        private Path model;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of --balance (default: ${DEFAULT-VALUE}).")
        private long seed;

        @Mixin
        private DataOptions dataOptions = new DataOptions();

        @Override
        public Integer call() throws IOException {
            if (maxPromptTokens != null && maxPromptTokens < 1) {
                throw usage("--max-prompt-tokens must be at least 1, got " + maxPromptTokens);
            }
            Policy policy = PolicyLoader.loadOrThrow(policyFile);
            TrainingDataBuilder.Options options = new TrainingDataBuilder.Options(from, policy, template, chat, balance,
                    maxPromptTokens, seed, dataOptions.overrides(), dataOptions.badRowPolicy());
            Training.DataResult built = Training.buildData(options, model, out);
            TrainingDataBuilder.Result result = built.result();
            PrintWriter stdout = out();
            PrintWriter err = err();
            List<Diagnostic> bad = result.report().badRows();
            for (int i = 0; i < Math.min(SHOW_BAD_ROWS, bad.size()); i++) {
                err.println(bad.get(i).format());
            }
            if (bad.size() > SHOW_BAD_ROWS) {
                err.println("... and " + (bad.size() - SHOW_BAD_ROWS) + " more bad rows");
            }
            err.flush();
            print(stdout, result.report(), out, built.counted());
            stdout.flush();
            return Main.EXIT_OK;
        }

        static void print(PrintWriter out, TrainingDataBuilder.Report r, Path file, String counted) {
            out.printf(Locale.ROOT, "rows in:              %d%n", r.rowsIn());
            out.printf(Locale.ROOT, "dropped bad:          %d%n", r.droppedBad());
            out.printf(Locale.ROOT, "dropped unlabelled:   %d%n", r.droppedUnlabelled());
            out.printf(Locale.ROOT, "dropped over-long:    %d%n", r.droppedOverLong());
            out.printf(Locale.ROOT, "removed by balancing: %d%n", r.droppedByBalance());
            out.printf(Locale.ROOT, "rows out:             %d (longest input %d tokens; %s)%n", r.rowsOut(),
                    r.maxTokens(), counted);
            out.printf(Locale.ROOT, "  prompt level:       %d safe, %d unsafe%n", r.promptLevel().safe(), r.promptLevel().unsafe());
            out.printf(Locale.ROOT, "  response level:     %d safe, %d unsafe%n", r.responseLevel().safe(),
                    r.responseLevel().unsafe());
            out.println("wrote " + file);
        }
    }

    /** {@code rsafe train grpo}: LoRA adapters trained with GRPO on RSafe's reward. */
    @Command(name = "grpo", mixinStandardHelpOptions = true, modelTransformer = KnobOptions.class,
            description = {"Train a LoRA adapter with GRPO on RSafe's rule-based reward (0 malformed, 0.1 wrong verdict, "
                + "1.0 right verdict). Each step samples num_generations completions per prompt, scores them against "
                + "the gold labels, and updates the adapter with the clipped policy-gradient loss.",
                "The --out folder gets grpo_config.json, train_log.jsonl (one line per step, TRL metric names), "
                + "checkpoints/checkpoint-N (every save_steps, at the end and on Ctrl-C) and, at the end, the adapter "
                + "itself (adapter_config.json + adapter_model.safetensors): load it with --adapter DIR.",
                "Every GRPO setting is a flag with TRL's name, in kebab or snake case (--num-generations or "
                + "--num_generations); defaults follow RSafe's recipe.",
                "Exit codes: 0 done, 2 a user mistake, 130 cancelled (continue with --resume)."})
    public static final class Grpo extends CliCommand {

        @Option(names = "--model", required = true, paramLabel = "DIR", description = "Base model folder (Qwen2 family).")
        private Path model;

        @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training rows from 'rsafe train data'.")
        private Path data;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder (new, or an earlier run with --resume).")
        private Path out;

        @Option(names = "--resume", description = "Continue the run in --out from its newest checkpoint. Its saved "
                + "settings are used; changing one that alters training (anything but logging/save steps) is refused.")
        private boolean resume;

        @Option(names = "--device", paramLabel = "auto|cpu|gpu", defaultValue = Training.DEFAULT_DEVICE,
                description = "Where to train (default: ${DEFAULT-VALUE}: the GPU when DJL sees one).")
        private String device;

        @Option(names = "--dtype", paramLabel = "f32|f16", description = "Base weights' type (default: f32 on every "
                + "device; f16 only on request); LoRA factors and optimizer state are always f32.")
        private String dtype;

        @Option(names = {"-q", "--quiet"}, description = "No progress lines on stderr.")
        private boolean quiet;

        @Override
        public Integer call() throws IOException {
            PrintWriter stdout = out();
            PrintWriter err = err();
            Training.GrpoRequest request = request();
            GrpoRun.Summary s = CtrlC.cancels(cancel -> Training.run(request, new ProgressLines(err, quiet), cancel));
            if (s.cancelled()) {
                err.println("rsafe: cancelled after step " + s.stepsDone() + " of " + s.totalSteps()
                        + "; checkpoint saved in " + s.outDir().resolve(Checkpoint.DIR) + " (continue with --resume)");
                err.flush();
                return Main.EXIT_CANCELLED;
            }
            stdout.printf(Locale.ROOT, "grpo: %d steps (%d run now, from step %d) over %d rows; %,d LoRA parameters%n",
                    s.stepsDone(), s.stepsDone() - s.resumedFrom(), s.resumedFrom(), s.rows(), s.loraParameters());
            if (s.last() != null) {
                stdout.println("last step: " + ProgressLines.line(s.last(), s.totalSteps()));
            }
            if (s.skippedLongPrompts() > 0) {
                stdout.println("skipped " + s.skippedLongPrompts() + " prompts longer than max_prompt_length");
            }
            stdout.println("adapter: " + s.outDir() + " (adapter_config.json, adapter_model.safetensors); log: "
                    + s.outDir().resolve(TrainLog.FILE_NAME));
            stdout.flush();
            return Main.EXIT_OK;
        }

        /** The run the parsed flags ask for: every knob flag given, by its TRL name. */
        public Training.GrpoRequest request() {
            return new Training.GrpoRequest(model, data, out, KnobOptions.given(spec), resume, device, dtype);
        }
    }

    /** Prints one line per step (and sampling progress on long steps) to stderr. */
    static final class ProgressLines implements GrpoTrainer.Listener {
        private final PrintWriter err;
        private final boolean quiet;

        ProgressLines(PrintWriter err, boolean quiet) {
            this.err = err;
            this.quiet = quiet;
        }

        @Override
        public void onStep(StepMetrics m, int totalSteps) {
            if (!quiet) {
                err.println(line(m, totalSteps));
                err.flush();
            }
        }

        static String line(StepMetrics m, int totalSteps) {
            return String.format(Locale.ROOT, "step %d/%d  reward %.3f (std %.3f)  format %.2f  accuracy %.2f  loss %+.4f"
                            + "  kl %.4f  entropy %.3f  clip %.3f  len %.0f  zero-std %.2f  %.1f tok/s  %.1f s",
                    m.step(), totalSteps, m.reward(), m.rewardStd(), m.formatRate(), m.accuracy(), m.loss(), m.kl(),
                    m.entropy(), m.clipRegion(), m.meanLength(), m.fracRewardZeroStd(), m.tokensPerSecond(), m.stepTime());
        }
    }

    /**
     * Adds one option per {@link GrpoConfig#KNOBS} entry, spelled both ways ({@code --num-generations},
     * {@code --num_generations}), so the knob list lives in one place.
     */
    public static final class KnobOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            for (GrpoConfig.Knob k : GrpoConfig.KNOBS) {
                String dflt = k.defaultValue().isEmpty() ? "" : " (default: " + k.defaultValue() + ")";
                String[] names = k.kebab().equals(k.snake()) ? new String[] {k.kebab()} : new String[] {k.kebab(), k.snake()};
                spec.addOption(OptionSpec.builder(names).paramLabel("V").type(String.class)
                        .description(k.help() + dflt).build());
            }
            return spec;
        }

        /** The knobs the user set, TRL names to texts. */
        static Map<String, String> given(CommandSpec spec) {
            Map<String, String> out = new LinkedHashMap<>();
            CommandLine.ParseResult pr = spec.commandLine().getParseResult();
            for (GrpoConfig.Knob k : GrpoConfig.KNOBS) {
                if (pr.hasMatchedOption(k.kebab())) {
                    out.put(k.name(), pr.matchedOptionValue(k.kebab(), ""));
                }
            }
            return out;
        }
    }

    /** {@code rsafe train merge}: a base model with an adapter folded in, as a plain HF folder. */
    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = {"Write BASE with the LoRA adapter folded in (W += alpha/r * B*A) as a new Hugging Face model "
                + "folder: same tensor names, shards and dtype as BASE, plus its config, tokenizer and generation files."})
    public static final class Merge extends CliCommand {

        @Option(names = "--model", required = true, paramLabel = "BASE", description = "Base model folder.")
        private Path model;

        @Option(names = "--adapter", required = true, paramLabel = "DIR", description = "PEFT LoRA adapter folder.")
        private Path adapter;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "New folder (must not exist or be empty).")
        private Path out;

        @Override
        public Integer call() throws IOException {
            AdapterMerger.Result r = AdapterMerger.merge(model, adapter, out);
            PrintWriter stdout = out();
            stdout.printf(Locale.ROOT, "merged %d of %d tensors (stored as %s); copied %s%n", r.mergedTensors(),
                    r.tensors(), r.dtype(), String.join(", ", r.copiedFiles()));
            stdout.println("wrote " + r.dir());
            stdout.flush();
            return Main.EXIT_OK;
        }
    }

    /** Accepts {@code qwen} or {@code none}. */
    static final class ChatConverter implements ITypeConverter<TrainingDataBuilder.ChatFormat> {
        @Override
        public TrainingDataBuilder.ChatFormat convert(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "qwen" -> TrainingDataBuilder.ChatFormat.QWEN;
                case "none" -> TrainingDataBuilder.ChatFormat.NONE;
                default -> throw new TypeConversionException("expected qwen or none, got '" + value + "'");
            };
        }
    }
}
