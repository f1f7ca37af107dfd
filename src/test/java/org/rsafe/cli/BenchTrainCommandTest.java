package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchTrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void benchTrainReportsRolloutSpeedStepTimeAndTheMemoryEstimate() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = Main.run(new String[] {"bench", "train", "--shape", "tiny", "--cache-dir", dir.toString(), "--steps", "1",
            "--prompt-tokens", "32", "--completion-tokens", "8"}, new PrintWriter(out), new PrintWriter(err));

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("GRPO training benchmark (tiny, RANDOM weights)")
                .containsPattern("step 1: rollouts [0-9.]+ tokens/s \\([0-9.]+ s\\); optimizer step [0-9.]+ s")
                .contains("memory on a GPU in float16 (estimate)");
    }
}
