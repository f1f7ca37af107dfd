package org.rsafe.train;

import java.util.Objects;

/**
 * The first GRPO stage: advantages from outcome rewards, one per completion, broadcast later to every completion
 * token. Completions come in groups of {@code num_generations} consecutive entries (one prompt each).
 *
 * <p>{@code A = r − mean(group)}, divided by {@code std(group) + ε} ({@link ScaleRewards#GROUP}), by
 * {@code std(batch) + ε} ({@link ScaleRewards#BATCH}) or by nothing. Standard deviations are unbiased (n − 1), as
 * in TRL and verl. A group of one completion has no spread to compare against: its advantage is 0.
 *
 * @param advantages        one per completion
 * @param groupMeans        one per group
 * @param groupStds         unbiased standard deviation per group (0 for one-completion groups)
 * @param rewardMean        mean reward over the batch (TRL's {@code reward})
 * @param rewardStd         mean over groups of the group standard deviation (TRL's {@code reward_std})
 * @param fracRewardZeroStd share of groups whose rewards are all equal: they teach nothing
 *                          (TRL's {@code frac_reward_zero_std})
 */
public record GroupAdvantages(double[] advantages, double[] groupMeans, double[] groupStds, double rewardMean,
                              double rewardStd, double fracRewardZeroStd) {

    /** TRL's ε; verl and RSafe's reference code add 1e-6 instead. The difference only shows when std ≈ 0. */
    public static final double DEFAULT_EPSILON = 1e-4;

    /** Standard deviations below this count as zero for {@code frac_reward_zero_std} (float noise). */
    static final double ZERO_STD = 1e-8;

    public GroupAdvantages {
        Objects.requireNonNull(advantages, "advantages");
    }

    /**
     * Computes the advantages.
     *
     * @param rewards        one per completion, groups consecutive
     * @param numGenerations group size; rewards.length must be a multiple of it
     */
    public static GroupAdvantages compute(double[] rewards, int numGenerations, ScaleRewards scale, double epsilon) {
        Objects.requireNonNull(scale, "scale");
        if (numGenerations < 1) {
            throw new IllegalArgumentException("numGenerations must be >= 1, was " + numGenerations);
        }
        if (rewards.length == 0 || rewards.length % numGenerations != 0) {
            throw new IllegalArgumentException(rewards.length + " rewards do not form groups of " + numGenerations);
        }
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("epsilon must be >= 0, was " + epsilon);
        }
        int groups = rewards.length / numGenerations;
        double[] means = new double[groups];
        double[] stds = new double[groups];
        int zeroStd = 0;
        double stdSum = 0;
        for (int g = 0; g < groups; g++) {
            int from = g * numGenerations;
            means[g] = mean(rewards, from, numGenerations);
            stds[g] = unbiasedStd(rewards, from, numGenerations, means[g]);
            stdSum += stds[g];
            if (stds[g] < ZERO_STD) {
                zeroStd++;
            }
        }
        double batchMean = mean(rewards, 0, rewards.length);
        double batchStd = unbiasedStd(rewards, 0, rewards.length, batchMean);
        double[] a = new double[rewards.length];
        if (numGenerations > 1) {
            for (int i = 0; i < rewards.length; i++) {
                int g = i / numGenerations;
                double centred = rewards[i] - means[g];
                a[i] = switch (scale) {
                    case GROUP -> centred / (stds[g] + epsilon);
                    case BATCH -> centred / (batchStd + epsilon);
                    case NONE -> centred;
                };
            }
        }
        return new GroupAdvantages(a, means, stds, batchMean, stdSum / groups, (double) zeroStd / groups);
    }

    private static double mean(double[] x, int from, int n) {
        double s = 0;
        for (int i = from; i < from + n; i++) {
            s += x[i];
        }
        return s / n;
    }

    private static double unbiasedStd(double[] x, int from, int n, double mean) {
        if (n < 2) {
            return 0;
        }
        double s = 0;
        for (int i = from; i < from + n; i++) {
            double d = x[i] - mean;
            s += d * d;
        }
        return Math.sqrt(s / (n - 1));
    }
}
