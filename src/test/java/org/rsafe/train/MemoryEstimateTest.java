package org.rsafe.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rsafe.engine.llm.RandomModelWriter;

class MemoryEstimateTest {

    @Test
    void loraParameterCountsMatchPeftsForQwenAtRank16OnAllProjections() {
        GrpoConfig g = GrpoConfig.defaults();

        // PEFT prints these "trainable params" for r=16 on the seven projections.
        assertThat(MemoryEstimate.loraParameters(RandomModelWriter.Shape.QWEN2_5_0_5B.config(), g)).isEqualTo(8_798_208L);
        assertThat(MemoryEstimate.loraParameters(RandomModelWriter.Shape.QWEN2_5_7B.config(), g)).isEqualTo(40_370_176L);
    }

    @Test
    void componentsFollowTheShapes() {
        GrpoConfig g = GrpoConfig.fromSettings(Map.of("per_device_train_batch_size", "1", "gradient_accumulation_steps",
                "128", "rollout_batch_size", "16", "max_completion_length", "512"));
        var c = RandomModelWriter.Shape.QWEN2_5_0_5B.config();

        MemoryEstimate m = MemoryEstimate.of(c, g, 512, 2);

        assertThat(m.weightBytes()).isEqualTo(c.parameterCount() * 2);
        // 16 rows × 1024 tokens × 24 layers × (k, v) × 2 kv heads × 64 × 2 bytes
        assertThat(m.kvCacheBytes()).isEqualTo(16L * 1024 * 24 * 2 * 2 * 64 * 2);
        assertThat(m.loraBytes()).isEqualTo(8_798_208L * 16);
        assertThat(m.totalBytes()).isEqualTo(m.weightBytes() + m.loraBytes() + m.kvCacheBytes() + m.activationBytes()
                + m.logitsBytes());
    }

    @Test
    void activationsGrowWithTheSquareOfTheSequenceLength() {
        GrpoConfig g = GrpoConfig.fromSettings(Map.of("per_device_train_batch_size", "1", "gradient_accumulation_steps",
                "4", "max_completion_length", "256"));
        var c = RandomModelWriter.Shape.QWEN2_5_1_5B.config();

        long shortRun = MemoryEstimate.of(c, g, 256, 2).activationBytes();
        long longRun = MemoryEstimate.of(c, g, 1792, 2).activationBytes();

        // T grows 4× (512 → 2048): linear terms grow 4×, the attention scores 16×.
        assertThat((double) longRun / shortRun).isGreaterThan(5.0).isLessThan(16.0);
    }
}
