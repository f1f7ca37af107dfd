package org.rsafe.train;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.llm.DeviceChoice;
import org.rsafe.engine.llm.LlmBenchmark;
import org.rsafe.engine.llm.LocalModel;
import org.rsafe.engine.llm.ModelConfig;
import org.rsafe.engine.llm.RandomModelWriter;
import org.rsafe.trace.Verdict;

/**
 * Measures GRPO steps on a random model of a given shape: rollout speed (completion tokens sampled per second) and
 * the rest of a step (scoring, forward/backward over the micro-batches, AdamW update). Values do not matter for
 * speed, so the weights are random; completions run to the length limit because a random model rarely ends early.
 */
public final class TrainBenchmark {

    private TrainBenchmark() { }

    /**
     * What to measure.
     *
     * @param steps             optimizer steps measured (after one warm-up step)
     * @param promptTokens      approximate prompt length (synthetic text)
     * @param completionTokens  max_completion_length
     */
    public record Config(RandomModelWriter.Shape shape, Path cacheDir, DeviceChoice device, int steps,
                         int promptTokens, int completionTokens, int numGenerations, int microBatch) {
        public Config {
            if (steps < 1 || promptTokens < 1 || completionTokens < 1 || numGenerations < 2 || microBatch < 1) {
                throw new IllegalArgumentException("benchmark sizes must be positive (num_generations >= 2)");
            }
        }
    }

    /** One measured step. */
    public record Step(double rolloutTokensPerSecond, double rolloutSeconds, double optimizerSeconds, double loss) { }

    /** The measurements and the settings they were taken with. */
    public record Result(Config config, String device, long loraParameters, List<Step> steps, MemoryEstimate memory) {
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            out.add(String.format(Locale.ROOT, "device %s; LoRA r=16 on all projections: %,d trainable parameters",
                    device, loraParameters));
            out.add(String.format(Locale.ROOT, "each step: %d prompts x %d completions of %d tokens, prompts ~%d tokens, "
                    + "micro-batch %d", config.microBatch() / config.numGenerations(), config.numGenerations(),
                    config.completionTokens(), config.promptTokens(), config.microBatch()));
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                out.add(String.format(Locale.ROOT, "step %d: rollouts %.1f tokens/s (%.2f s); optimizer step %.2f s "
                        + "(forward/backward + AdamW); loss %.4f", i + 1, s.rolloutTokensPerSecond(), s.rolloutSeconds(),
                        s.optimizerSeconds(), s.loss()));
            }
            out.add("memory on a GPU in float16 (estimate): " + memory.describe());
            return out;
        }
    }

    public static Result run(Config c, Consumer<String> progress) {
        Path folder = LlmBenchmark.modelFolder(c.shape(), c.cacheDir(), progress);
        Device device = c.device().resolve();
        GrpoConfig g = GrpoConfig.fromSettings(Map.of(
                "num_generations", Integer.toString(c.numGenerations()),
                "per_device_train_batch_size", Integer.toString(c.microBatch()),
                "gradient_accumulation_steps", "1",
                "rollout_batch_size", Integer.toString(c.microBatch()),
                "max_completion_length", Integer.toString(c.completionTokens()),
                "max_steps", Integer.toString(c.steps() + 1),
                "learning_rate", "1e-4"));
        progress.accept("loading " + folder);
        LocalModel model = LocalModel.open(folder, null, device, DeviceChoice.defaultDataType(device));
        List<TrainingRow> rows;
        try {
            rows = syntheticRows(model.tokenizer()::encode, c.promptTokens(), g.promptsPerStep() * (c.steps() + 1));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        try (GrpoTrainer trainer = GrpoTrainer.start(model, g, rows)) {
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i <= c.steps(); i++) {
                progress.accept(i == 0 ? "warm-up step" : "step " + i + " of " + c.steps());
                StepMetrics m = trainer.trainStep(Cancellation.none(), GrpoTrainer.Listener.NONE);
                if (i > 0) {
                    steps.add(new Step(m.tokensPerSecond(), m.rolloutTime(), m.optimizerTime(), m.loss()));
                }
            }
            ModelConfig mc = model.model().config();
            return new Result(c, DeviceChoice.describe(device), trainer.lora().parameterCount(), steps,
                    MemoryEstimate.of(mc, g, c.promptTokens(), 2));
        }
    }

    /** Prompts of plain words, each just reaching {@code tokens} tokens by the model's tokenizer, half labelled unsafe. */
    static List<TrainingRow> syntheticRows(Function<String, int[]> encode, int tokens, int n) {
        String[] words = {"please", "review", "this", "message", "about", "cooking", "travel", "weather", "music",
            "history", "science", "garden"};
        List<TrainingRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; encode.apply(sb.toString()).length < tokens; k++) {
                sb.append(k == 0 ? "" : " ").append(words[(i * 7 + k) % words.length]);
            }
            rows.add(new TrainingRow("bench:" + i, sb.toString(), i % 2 == 0 ? Verdict.SAFE : Verdict.UNSAFE,
                    TrainingRow.Level.PROMPT, "bench", "", null));
        }
        return rows;
    }
}
