package org.rsafe.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rsafe.util.UserException;

class GrpoConfigTest {

    @Test
    void defaultsFollowTheRsafeRecipe() {
        GrpoConfig c = GrpoConfig.defaults();

        assertThat(c.numGenerations()).isEqualTo(4);
        assertThat(c.temperature()).isEqualTo(0.7);
        assertThat(c.topP()).isEqualTo(0.8);
        assertThat(c.topK()).isZero();
        assertThat(c.repetitionPenalty()).isEqualTo(1.05);
        assertThat(c.maxCompletionLength()).isEqualTo(512);
        assertThat(c.epsilon()).isEqualTo(0.2);
        assertThat(c.epsilonHigh()).isEqualTo(0.2);
        assertThat(c.entropyCoef()).isEqualTo(0.001);
        assertThat(c.lossType()).as("RSafe's verl token-mean per micro-batch").isEqualTo(LossType.BNPO);
        assertThat(c.beta()).isZero();
        assertThat(c.weightDecay()).isEqualTo(0.01);
        assertThat(c.maxGradNorm()).isEqualTo(1.0);
        assertThat(c.promptsPerStep()).isEqualTo(32);
        assertThat(c.learningRate()).isBetween(1e-5, 1e-4);
        assertThat(c.targetModules()).containsExactlyElementsOf(GrpoConfig.LINEAR_MODULES);
    }

    @Test
    void settingsAcceptTrlSnakeCaseAndKebabCaseNames() {
        GrpoConfig c = GrpoConfig.fromSettings(Map.of("num_generations", "8", "--max-completion-length", "64",
                "loss-type", "dr_grpo", "target_modules", "q_proj, v_proj", "epsilon", "0.1"));

        assertThat(c.numGenerations()).isEqualTo(8);
        assertThat(c.maxCompletionLength()).isEqualTo(64);
        assertThat(c.lossType()).isEqualTo(LossType.DR_GRPO);
        assertThat(c.targetModules()).containsExactly("q_proj", "v_proj");
        assertThat(c.epsilonHigh()).as("epsilon_high follows epsilon when not given").isEqualTo(0.1);
    }

    @Test
    void everyBadSettingIsReportedByName() {
        assertThatThrownBy(() -> GrpoConfig.fromSettings(Map.of("top_p", "1.5", "lora_r", "zero",
                "target_modules", "q_proj,attn")))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("top_p must be in (0, 1]")
                .hasMessageContaining("lora_r must be an integer");
        assertThatThrownBy(() -> GrpoConfig.fromSettings(Map.of("target_modules", "q_proj,attn")))
                .hasMessageContaining("unknown module 'attn'");
        assertThatThrownBy(() -> GrpoConfig.fromSettings(Map.of("generations", "4")))
                .hasMessageContaining("unknown setting 'generations' (did you mean num_generations?)");
    }

    @Test
    void aStepMustTakeWholeGroups() {
        assertThatThrownBy(() -> GrpoConfig.fromSettings(Map.of("per_device_train_batch_size", "3",
                "gradient_accumulation_steps", "1", "num_generations", "4")))
                .hasMessageContaining("must be a multiple of num_generations");
    }

    @Test
    void onlyOneOptimisationPassPerBatchIsSupported() {
        assertThatThrownBy(() -> GrpoConfig.fromSettings(Map.of("num_iterations", "2")))
                .hasMessageContaining("num_iterations must be 1");
    }

    @Test
    void textsReadBackToAnEqualConfig() {
        GrpoConfig c = GrpoConfig.fromSettings(Map.of("learning_rate", "3e-5", "epsilon_high", "0.28", "seed", "7"));

        assertThat(GrpoConfig.fromSettings(c.toTexts())).isEqualTo(c);
    }

    @Test
    void theTrajectoryHashIgnoresLoggingAndSaveCadenceOnly() {
        GrpoConfig c = GrpoConfig.defaults();

        assertThat(c.with(Map.of("save_steps", "7", "logging_steps", "3")).trajectoryHash()).isEqualTo(c.trajectoryHash());
        assertThat(c.with(Map.of("seed", "43")).trajectoryHash()).isNotEqualTo(c.trajectoryHash());
    }

    @Test
    void totalStepsComeFromEpochsUnlessMaxStepsIsSet() {
        GrpoConfig c = GrpoConfig.fromSettings(Map.of("per_device_train_batch_size", "4",
                "gradient_accumulation_steps", "2", "num_generations", "4", "num_train_epochs", "3"));

        assertThat(c.promptsPerStep()).isEqualTo(2);
        assertThat(c.totalSteps(5)).isEqualTo(8); // ⌈3 · 5 / 2⌉
        assertThat(c.with(Map.of("max_steps", "4")).totalSteps(5)).isEqualTo(4);
    }
}
