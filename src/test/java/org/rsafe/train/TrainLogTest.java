package org.rsafe.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainLogTest {
    @TempDir
    Path dir;

    static StepMetrics step(int n) {
        return new StepMetrics(n, n / 10.0, -0.1 * n, 0.1 * n, 0.2, 0.9, 0.5, 0.01, 1.5, 0, 0.1, 0.1, 42, 0.05, 0.25,
                120, 1.0, 1.5, 1e-5, 0.7);
    }

    @Test
    void linesUseTrlMetricNamesAndReadBackEqual() throws IOException {
        Path file = dir.resolve(TrainLog.FILE_NAME);
        try (TrainLog log = TrainLog.openForAppend(file)) {
            log.append(step(1));
            log.append(step(2));
        }

        assertThat(Files.readAllLines(file).get(0)).startsWith("{\"step\":1,\"epoch\":0.1,\"loss\":")
                .contains("\"reward_std\":0.2", "\"clip_ratio/region_mean\":0.1", "\"completions/mean_length\":42.0",
                        "\"frac_reward_zero_std\":0.25", "\"tokens_per_second\":120.0", "\"grad_norm\":0.7");
        assertThat(TrainLog.readAll(file)).containsExactly(step(1), step(2));
    }

    @Test
    void aTailReturnsOnlyNewCompleteLinesAndWaitsForATornOne() throws IOException {
        Path file = dir.resolve(TrainLog.FILE_NAME);
        TrainLog.Tail tail = new TrainLog.Tail(file);
        assertThat(tail.poll()).isEmpty();

        try (TrainLog log = TrainLog.openForAppend(file)) {
            log.append(step(1));
        }
        String second = TrainLog.toLine(step(2));
        Files.writeString(file, second.substring(0, 20), StandardOpenOption.APPEND);

        assertThat(tail.poll()).containsExactly(step(1));
        assertThat(tail.poll()).isEmpty();

        Files.writeString(file, second.substring(20) + "\n", StandardOpenOption.APPEND);
        assertThat(tail.poll()).containsExactly(step(2));
    }

    @Test
    void truncatingForAResumeKeepsStepsUpToTheCheckpointAndDropsATornTail() throws IOException {
        Path file = dir.resolve(TrainLog.FILE_NAME);
        try (TrainLog log = TrainLog.openForAppend(file)) {
            for (int i = 1; i <= 4; i++) {
                log.append(step(i));
            }
        }
        Files.write(file, "{\"step\":5,\"lo".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        TrainLog.truncateAfter(file, 2);

        assertThat(TrainLog.readAll(file)).containsExactly(step(1), step(2));
    }

    @Test
    void aDivergedStepIsWrittenAsNullAndReadAsNaN() throws IOException {
        Path file = dir.resolve(TrainLog.FILE_NAME);
        StepMetrics nan = new StepMetrics(1, 0, Double.NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Double.POSITIVE_INFINITY);
        try (TrainLog log = TrainLog.openForAppend(file)) {
            log.append(nan);
        }

        assertThat(Files.readString(file)).contains("\"loss\":null");
        assertThat(TrainLog.readAll(file).get(0).loss()).isNaN();
    }
}
