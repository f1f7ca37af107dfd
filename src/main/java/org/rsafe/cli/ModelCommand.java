package org.rsafe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.rsafe.app.ModelConversion;
import org.rsafe.engine.gguf.GgufWriter;
import org.rsafe.engine.gguf.Qwen2GgufConverter;
import org.rsafe.engine.llm.GenerationDefaults;
import org.rsafe.engine.llm.LlmTokenizer;
import org.rsafe.engine.llm.LoraAdapter;
import org.rsafe.engine.llm.MemoryNeed;
import org.rsafe.engine.llm.ModelConfig;
import org.rsafe.engine.llm.ModelFolder;
import org.rsafe.engine.llm.RandomModelWriter;
import org.rsafe.engine.llm.SafetensorsWriter;
import org.rsafe.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rsafe model random|inspect}: writes random-weight Qwen2 folders and checks model folders. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Work with Hugging Face model folders (Qwen2 / Qwen2.5 / RSafe checkpoints).",
        subcommands = {ModelCommand.RandomCommand.class, ModelCommand.InspectCommand.class,
            ModelCommand.ConvertCommand.class})
public final class ModelCommand extends CliCommand {

    @Override
    public Integer call() {
        throw usage("choose a subcommand: random, inspect or convert");
    }

    /** {@code rsafe model convert DIR --to gguf}: a model folder (or a LoRA adapter of it) as a GGUF file for llama.cpp. */
    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = {"Convert a Hugging Face Qwen2 folder (F32, F16 or BF16 safetensors, sharded or not) to a GGUF",
                "file for the llama.cpp engine (--engine llm --model FILE.gguf), tensor by tensor. With --adapter, write",
                "that PEFT LoRA adapter as a GGUF adapter instead (the model folder is needed to check it)."})
    static final class ConvertCommand extends CliCommand {

        @Parameters(index = "0", paramLabel = "DIR", description = "Hugging Face model folder.")
        private Path dir;

        @Option(names = "--to", required = true, paramLabel = "gguf", description = "Output format; only gguf.")
        private String to;

        @Option(names = "--type", paramLabel = "TYPE", defaultValue = "f16",
                description = "f32, f16 (default), q8_0 or q4_0 (llama.cpp's block formats; norms and biases stay f32; "
                        + "q4_0 keeps the embedding and output head in q8_0). Adapters: f32 or f16.")
        private String type;

        @Option(names = "--out", paramLabel = "FILE",
                description = "File to write (default: DIR-TYPE.gguf, or ADAPTER-lora-TYPE.gguf, beside the folder).")
        private Path out;

        @Option(names = "--adapter", paramLabel = "DIR", description = "PEFT LoRA adapter folder to convert.")
        private Path adapter;

        @Override
        public Integer call() {
            if (!to.trim().equalsIgnoreCase("gguf")) {
                throw usage("--to: only gguf is supported, was '" + to + "'");
            }
            Qwen2GgufConverter.FileType t = Qwen2GgufConverter.FileType.parse(type);
            Path target = out != null ? out : ModelConversion.defaultOut(adapter != null ? adapter : dir, t, adapter != null);
            PrintWriter err = err();
            GgufWriter.Progress progress = (done, total, name) -> {
                if (done == total || done % 25 == 0) {
                    err.printf("rsafe: %d/%d tensors%n", done, total);
                    err.flush();
                }
            };
            ModelConversion.Result r = adapter == null
                    ? ModelConversion.convertModel(dir, t, target, progress)
                    : ModelConversion.convertAdapter(dir, adapter, t, target, progress);
            out().printf(Locale.ROOT, "Wrote %s (%s, %d tensors, %s)%n", r.file(), t.cliName(), r.tensors(),
                    human(r.bytes()));
            out().flush();
            return Main.EXIT_OK;
        }
    }

    /** {@code rsafe model random}: a Qwen2-shaped folder with seeded random weights, for trying the engine. */
    @Command(name = "random", mixinStandardHelpOptions = true,
            description = {"Write a model folder with RANDOM weights (not a trained model) in the layout of a",
                "Hugging Face Qwen2 checkpoint: config.json, generation_config.json, a synthetic tokenizer.json,",
                "safetensors weights and README.txt. Useful to try the local engine without a download."})
    static final class RandomCommand extends CliCommand {

        @Option(names = "--shape", required = true, paramLabel = "SHAPE",
                description = "tiny, qwen2.5-0.5b, qwen2.5-1.5b or qwen2.5-7b.")
        private String shape;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "New folder to create (must not exist or be empty).")
        private Path out;

        @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
        private long seed = 42;

        @Option(names = "--dtype", paramLabel = "TYPE", description = "Stored weight type: f32 (default) or bf16.")
        private String dtype = "f32";

        @Option(names = "--shards", paramLabel = "N",
                description = "Split the weights into N files plus model.safetensors.index.json (default: 1).")
        private int shards = 1;

        @Override
        public Integer call() throws IOException {
            RandomModelWriter.Shape s = RandomModelWriter.Shape.parse(shape);
            SafetensorsWriter.Dtype d = switch (dtype.toLowerCase(Locale.ROOT)) {
                case "f32", "float32" -> SafetensorsWriter.Dtype.F32;
                case "bf16", "bfloat16" -> SafetensorsWriter.Dtype.BF16;
                default -> throw usage("--dtype must be f32 or bf16, got '" + dtype + "'");
            };
            if (shards < 1 || shards > 99) {
                throw usage("--shards must be between 1 and 99, got " + shards);
            }
            RandomModelWriter.Options options = RandomModelWriter.Options.defaults().withDtype(d).withShards(shards);
            ModelConfig config = RandomModelWriter.resolvedConfig(s, options);
            long bytes = RandomModelWriter.estimatedBytes(s, options);
            PrintWriter o = out();
            PrintWriter err = err();
            Path parent = out.toAbsolutePath().normalize().getParent();
            Path existing = parent;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing != null) {
                long free = Files.getFileStore(existing).getUsableSpace();
                if (free < bytes + (64L << 20)) {
                    throw new UserException(String.format(Locale.ROOT, "%s needs about %s but only %s is free on that disk",
                            s.id(), human(bytes), human(free)));
                }
            }
            if (bytes > (8L << 30)) {
                err.printf("rsafe: warning: writing %s of random weights; this takes a while%n", human(bytes));
                err.flush();
            }
            o.printf(Locale.ROOT, "Writing RANDOM weights (not a trained model): shape %s, seed %d, %s, %,d parameters, %s%n",
                    s.id(), seed, d, config.parameterCount(), human(bytes));
            o.flush();
            RandomModelWriter.write(out, s, seed, options);
            o.printf("Wrote %s%n", out);
            o.println("The weights are random: outputs of this model are meaningless (see README.txt in the folder).");
            o.flush();
            return Main.EXIT_OK;
        }
    }

    /** {@code rsafe model inspect DIR}: prints what a model folder holds and whether its weights match its config. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Print a model folder's config, parameter count, stored dtype, tensor count and model hash,",
                "check every tensor against config.json and load the tokenizer.",
                "Exit status: 0 valid, 1 tensors do not match config.json or the tokenizer does not load, 2 unreadable."})
    static final class InspectCommand extends CliCommand {

        @Parameters(index = "0", paramLabel = "DIR", description = "Hugging Face model folder.")
        private Path dir;

        @Option(names = "--adapter", paramLabel = "DIR", description = "PEFT LoRA adapter folder to check against the model.")
        private Path adapter;

        @Override
        public Integer call() {
            PrintWriter o = out();
            try (ModelFolder f = ModelFolder.open(dir, adapter)) {
                ModelConfig c = f.config();
                o.printf("Model folder:   %s%n", f.dir());
                if (f.randomWeights()) {
                    o.println("Weights:        RANDOM (written by rsafe model random; not a trained model)");
                }
                o.printf(Locale.ROOT, "Architecture:   Qwen2, %d layers, hidden %d, intermediate %d%n",
                        c.numLayers(), c.hiddenSize(), c.intermediateSize());
                o.printf(Locale.ROOT, "Attention:      %d heads, %d kv heads, head_dim %d, rope_theta %s, rms_norm_eps %s%n",
                        c.numHeads(), c.numKvHeads(), c.headDim(), fmt(c.ropeTheta()), fmt(c.rmsNormEps()));
                o.printf(Locale.ROOT, "Vocabulary:     %d rows, LM head %s%n", c.vocabSize(),
                        c.tieWordEmbeddings() ? "tied to the embedding" : "separate (lm_head.weight)");
                o.printf(Locale.ROOT, "Parameters:     %,d (config), %,d stored%n", c.parameterCount(), f.storedParameterCount());
                o.printf("Stored dtype:   %s%s%n", f.storedDtype(),
                        c.torchDtype().isEmpty() ? "" : " (config torch_dtype: " + c.torchDtype() + ")");
                o.printf("Tensors:        %d in %d file%s%n", f.tensors().names().size(), f.reader().files().size(),
                        f.reader().files().size() == 1 ? "" : "s");
                o.printf("Tokenizer:      %s%n", f.tokenizerJson());
                GenerationDefaults g = f.generationDefaults();
                o.printf(Locale.ROOT, "Generation:     %s, temperature %s, top_p %s, top_k %d, repetition_penalty %s, eos %s%s%n",
                        g.doSample() ? "sample" : "greedy", fmt(g.temperature()), fmt(g.topP()), g.topK(),
                        fmt(g.repetitionPenalty()), g.eosTokenIds(), g.fromFile() ? "" : " (transformers defaults)");
                f.adapter().ifPresent(a -> printAdapter(o, a));
                o.printf("Memory need:    %s%n", MemoryNeed.onThisMachine(f));
                o.printf("Model hash:     %s%n", f.modelHash());
                f.warnings().forEach(w -> o.println("warning: " + w));
                List<String> problems = new java.util.ArrayList<>(f.problems());
                // The tokenizer is loaded as generate loads it, so a damaged one is found here and not only there.
                try {
                    LlmTokenizer.open(f.tokenizerJson()).close();
                } catch (UserException e) {
                    problems.add("tokenizer: " + e.getMessage());
                }
                if (problems.isEmpty()) {
                    o.println("Validation:     OK (every tensor present with the shape config.json implies; the "
                            + "tokenizer loads)");
                    o.flush();
                    return Main.EXIT_OK;
                }
                o.printf("Validation:     FAILED, %d problem%s%n", problems.size(), problems.size() == 1 ? "" : "s");
                problems.forEach(p -> o.println("  - " + p));
                o.flush();
                return Main.EXIT_FINDINGS;
            } catch (ModelFolder.ConfigMismatch e) {
                o.printf("Model folder:   %s%n", dir);
                o.println("Validation:     FAILED, " + e.getMessage());
                o.flush();
                return Main.EXIT_FINDINGS;
            }
        }

        private static void printAdapter(PrintWriter o, LoraAdapter a) {
            o.printf(Locale.ROOT, "Adapter:        %s, LoRA r %d, alpha %s (scale %s), %d weights changed, targets %s%n",
                    a.dir(), a.r(), fmt(a.alpha()), fmt(a.scale()), a.targetedWeights().size(), a.targetModules());
        }
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    static String human(long bytes) {
        if (bytes >= (1L << 30)) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        if (bytes >= (1L << 20)) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
    }
}
