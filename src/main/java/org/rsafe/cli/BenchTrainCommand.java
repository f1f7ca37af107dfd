package org.rsafe.cli;

import org.rsafe.train.TrainBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rsafe bench train}: GRPO step speed (rollouts, forward/backward and update) on a random model. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Measure GRPO training steps with LoRA (r=16, all projections) on a model of the given shape",
            "with RANDOM weights (written once to the cache folder): rollout tokens/s, and the optimizer part of a step",
            "(scoring, forward/backward over the completions, AdamW). Also prints the computed memory estimate for a",
            "GPU run of that shape."})
public final class BenchTrainCommand extends RandomModelBench {

    @Option(names = "--steps", paramLabel = "N", defaultValue = "2", description = "Measured steps after one warm-up step (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(names = "--prompt-tokens", paramLabel = "N", defaultValue = "128", description = "Prompt length (default: ${DEFAULT-VALUE}).")
    private int promptTokens;

    @Option(names = "--completion-tokens", paramLabel = "N", defaultValue = "32",
            description = "max_completion_length (default: ${DEFAULT-VALUE}).")
    private int completionTokens;

    @Option(names = "--num-generations", paramLabel = "N", defaultValue = "4", description = "Group size (default: ${DEFAULT-VALUE}).")
    private int numGenerations;

    @Option(names = "--micro-batch", paramLabel = "N", defaultValue = "8",
            description = "Completions per step and per backward pass (a multiple of --num-generations; default: ${DEFAULT-VALUE}).")
    private int microBatch;

    @Override
    String title() {
        return "GRPO training benchmark";
    }

    @Override
    Measurement prepare() {
        if (steps < 1 || promptTokens < 1 || completionTokens < 1 || numGenerations < 2 || microBatch < 1
                || microBatch % numGenerations != 0) {
            throw usage("sizes must be positive, --num-generations at least 2 and --micro-batch a multiple of it");
        }
        TrainBenchmark.Config config = new TrainBenchmark.Config(model.shape(), model.cacheDir(), model.device(), steps,
                promptTokens, completionTokens, numGenerations, microBatch);
        return step -> TrainBenchmark.run(config, step).lines();
    }
}
