package org.rsafe.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one optimizer step did, with TRL's metric names as the JSON keys of the training log.
 *
 * @param step                optimizer steps done, 1-based (key {@code step})
 * @param epoch               passes over the training rows so far, fractional ({@code epoch})
 * @param loss                the step's loss summed over its micro-batches ({@code loss})
 * @param reward              mean RSafe reward of the step's completions ({@code reward})
 * @param rewardStd           mean within-group reward std ({@code reward_std})
 * @param formatRate          share of completions in the required format ({@code format_rate})
 * @param accuracy            share of well-formed completions with the gold verdict ({@code accuracy})
 * @param kl                  mean k3 KL to the reference; 0 when beta is 0 ({@code kl})
 * @param entropy             mean token entropy ({@code entropy})
 * @param clipLow             {@code clip_ratio/low_mean}
 * @param clipHigh            {@code clip_ratio/high_mean}
 * @param clipRegion          {@code clip_ratio/region_mean}
 * @param meanLength          {@code completions/mean_length}
 * @param clippedRatio        completions that hit max_completion_length ({@code completions/clipped_ratio})
 * @param fracRewardZeroStd   groups with equal rewards, which teach nothing ({@code frac_reward_zero_std})
 * @param tokensPerSecond     rollout tokens generated per second ({@code tokens_per_second})
 * @param rolloutTime         wall seconds spent sampling completions ({@code rollout_time}); the rest of
 *                            the step is scoring, forward/backward and the optimizer update
 * @param stepTime            wall seconds of the whole step ({@code step_time})
 * @param learningRate        the rate used for this step ({@code learning_rate})
 * @param gradNorm            global gradient norm before clipping ({@code grad_norm})
 */
public record StepMetrics(int step, double epoch, double loss, double reward, double rewardStd, double formatRate,
                          double accuracy, double kl, double entropy, double clipLow, double clipHigh,
                          double clipRegion, double meanLength, double clippedRatio, double fracRewardZeroStd,
                          double tokensPerSecond, double rolloutTime, double stepTime, double learningRate,
                          double gradNorm) {

    /** The JSON object of one log line, keys in a fixed order. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("epoch", epoch);
        m.put("loss", loss);
        m.put("reward", reward);
        m.put("reward_std", rewardStd);
        m.put("format_rate", formatRate);
        m.put("accuracy", accuracy);
        m.put("kl", kl);
        m.put("entropy", entropy);
        m.put("clip_ratio/low_mean", clipLow);
        m.put("clip_ratio/high_mean", clipHigh);
        m.put("clip_ratio/region_mean", clipRegion);
        m.put("completions/mean_length", meanLength);
        m.put("completions/clipped_ratio", clippedRatio);
        m.put("frac_reward_zero_std", fracRewardZeroStd);
        m.put("tokens_per_second", tokensPerSecond);
        m.put("rollout_time", rolloutTime);
        m.put("step_time", stepTime);
        m.put("learning_rate", learningRate);
        m.put("grad_norm", gradNorm);
        return m;
    }

    /** Reads a log object back; a missing or non-numeric value becomes NaN (older or foreign logs). */
    public static StepMetrics fromJson(Map<String, ?> m) {
        return new StepMetrics((int) num(m, "step"), num(m, "epoch"), num(m, "loss"), num(m, "reward"),
                num(m, "reward_std"), num(m, "format_rate"), num(m, "accuracy"), num(m, "kl"), num(m, "entropy"),
                num(m, "clip_ratio/low_mean"), num(m, "clip_ratio/high_mean"), num(m, "clip_ratio/region_mean"),
                num(m, "completions/mean_length"), num(m, "completions/clipped_ratio"), num(m, "frac_reward_zero_std"),
                num(m, "tokens_per_second"), num(m, "rollout_time"), num(m, "step_time"), num(m, "learning_rate"), num(m, "grad_norm"));
    }

    /** Seconds of the step outside sampling: scoring, forward/backward passes and the optimizer update. */
    public double optimizerTime() {
        return stepTime - rolloutTime;
    }

    private static double num(Map<String, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
