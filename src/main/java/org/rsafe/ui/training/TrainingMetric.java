package org.rsafe.ui.training;

import java.util.function.ToDoubleFunction;
import org.rsafe.train.StepMetrics;

/** A per-step value of the training log that the Training tab can plot, named by its log key. */
public enum TrainingMetric {
    REWARD("reward", StepMetrics::reward),
    REWARD_STD("reward_std", StepMetrics::rewardStd),
    KL("kl", StepMetrics::kl),
    ENTROPY("entropy", StepMetrics::entropy),
    LOSS("loss", StepMetrics::loss),
    ACCURACY("accuracy", StepMetrics::accuracy),
    FORMAT_RATE("format_rate", StepMetrics::formatRate),
    CLIP_LOW("clip_ratio/low_mean", StepMetrics::clipLow),
    CLIP_HIGH("clip_ratio/high_mean", StepMetrics::clipHigh),
    CLIP_REGION("clip_ratio/region_mean", StepMetrics::clipRegion),
    MEAN_LENGTH("completions/mean_length", StepMetrics::meanLength),
    CLIPPED_RATIO("completions/clipped_ratio", StepMetrics::clippedRatio),
    FRAC_REWARD_ZERO_STD("frac_reward_zero_std", StepMetrics::fracRewardZeroStd),
    GRAD_NORM("grad_norm", StepMetrics::gradNorm),
    LEARNING_RATE("learning_rate", StepMetrics::learningRate),
    TOKENS_PER_SECOND("tokens_per_second", StepMetrics::tokensPerSecond),
    STEP_TIME("step_time", StepMetrics::stepTime);

    private final String key;
    private final ToDoubleFunction<StepMetrics> value;

    TrainingMetric(String key, ToDoubleFunction<StepMetrics> value) {
        this.key = key;
        this.value = value;
    }

    /** The metric's key in {@code train_log.jsonl}. */
    public String key() {
        return key;
    }

    /** The step's value; NaN when the log line had none (a diverged step, or an older log). */
    public double of(StepMetrics step) {
        return value.applyAsDouble(step);
    }

    @Override
    public String toString() {
        return key;
    }
}
