package org.rsafe.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupAdvantagesTest {

    /*
     * Group (1.0, 0.1, 0.1, 0.1): mean 0.325; deviations 0.675, −0.225 ×3; squares 0.455625 + 3·0.050625 = 0.6075;
     * unbiased variance 0.6075 / 3 = 0.2025; std 0.45. A = 0.675 / (0.45 + 1e-4) = 1.4996667, −0.225 / 0.4501 =
     * −0.4998889. Group (0, 0, 0, 0): std 0 → all advantages 0, and it counts towards frac_reward_zero_std.
     */
    @Test
    void groupScalingDividesByTheUnbiasedGroupStdPlusEpsilon() {
        GroupAdvantages a = GroupAdvantages.compute(new double[] {1.0, 0.1, 0.1, 0.1, 0, 0, 0, 0}, 4,
                ScaleRewards.GROUP, 1e-4);

        assertThat(a.advantages()).containsExactly(new double[] {1.4996667, -0.4998889, -0.4998889, -0.4998889, 0, 0, 0, 0},
                within(1e-6));
        assertThat(a.groupStds()).containsExactly(new double[] {0.45, 0}, within(1e-12));
        assertThat(a.fracRewardZeroStd()).isEqualTo(0.5);
        assertThat(a.rewardStd()).isCloseTo(0.225, within(1e-12));
        assertThat(a.rewardMean()).isCloseTo(1.3 / 8, within(1e-12));
    }

    /*
     * Rewards (1, 0) and (1, 1): group means 0.5 and 1. Batch mean 0.75, batch deviations 0.25, −0.75, 0.25, 0.25;
     * squares sum 0.0625 + 0.5625 + 0.0625 + 0.0625 = 0.75; unbiased variance 0.25; std 0.5.
     * batch: (1 − 0.5) / 0.5001 = 0.9998000, −0.9998000, 0, 0.   none: 0.5, −0.5, 0, 0.
     */
    @Test
    void batchScalingUsesTheBatchStdAndNoneOnlyCentres() {
        double[] r = {1, 0, 1, 1};

        assertThat(GroupAdvantages.compute(r, 2, ScaleRewards.BATCH, 1e-4).advantages())
                .containsExactly(new double[] {0.9998000, -0.9998000, 0, 0}, within(1e-6));
        assertThat(GroupAdvantages.compute(r, 2, ScaleRewards.NONE, 1e-4).advantages())
                .containsExactly(new double[] {0.5, -0.5, 0, 0}, within(1e-12));
    }

    @Test
    void oneCompletionGroupsHaveZeroAdvantage() {
        GroupAdvantages a = GroupAdvantages.compute(new double[] {1, 0.1, 0}, 1, ScaleRewards.BATCH, 1e-4);

        assertThat(a.advantages()).containsOnly(0.0);
        assertThat(a.fracRewardZeroStd()).isEqualTo(1.0);
    }

    @Test
    void completionMaskRunsUpToAndIncludingTheFirstEndToken() {
        int eos = 9;
        CompletionBatch b = CompletionBatch.of(List.of(new int[] {5, 9, 7}, new int[] {5, 6}, new int[] {9}),
                id -> id == eos, false);

        assertThat(b.width()).isEqualTo(3);
        assertThat(b.mask()).containsExactly(1, 1, 0, 1, 1, 0, 1, 0, 0);
        assertThat(b.truncated()).containsExactly(false, true, false);
        assertThat(b.lengths()).containsExactly(2, 2, 1);
        assertThat(b.ids()).containsExactly(5, 9, 7, 5, 6, 0, 9, 0, 0);
        assertThat(b.truncatedRatio()).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void maskTruncatedCompletionsZeroesCompletionsWithoutAnEndToken() {
        CompletionBatch b = CompletionBatch.of(List.of(new int[] {5, 9}, new int[] {5, 6}), id -> id == 9, true);

        assertThat(b.mask()).containsExactly(1, 1, 0, 0);
        assertThat(b.activeTokens()).isEqualTo(2);
    }
}
