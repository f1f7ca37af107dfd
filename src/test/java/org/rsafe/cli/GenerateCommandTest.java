package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.llm.DeviceChoice;
import org.rsafe.engine.llm.TinyModels;

/** {@code rsafe generate} and {@code rsafe bench llm} on a tiny random model. */
class GenerateCommandTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() {
        model = TinyModels.f32Tied(dir);
    }

    @Test
    void generateStreamsTheTextToStdoutAndStatisticsToStderr() {
        Run r = run("generate", "--model", model.toString(), "--prompt", "Once upon a time", "--preset", "greedy",
                "--max-new-tokens", "6", "--chat");
        assertThat(r.code).as(r.err).isEqualTo(Main.EXIT_OK);
        assertThat(r.err).contains("RANDOM weights").contains("generated").contains("cpu, float32, decoding greedy");
        assertThat(r.out).endsWith("\n");
        // Greedy is reproducible: the same command prints the same text.
        assertThat(run("generate", "--model", model.toString(), "--prompt", "Once upon a time", "--preset", "greedy",
                "--max-new-tokens", "6", "--chat").out).isEqualTo(r.out);
    }

    @Test
    void aMissingModelFolderIsAUserError() {
        Run r = run("generate", "--model", dir.resolve("nope").toString(), "--prompt", "x");
        assertThat(r.code).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(r.err).contains("does not exist").doesNotContain("Exception");
    }

    @Test
    void askingForAGpuWithoutOneFailsWithAnExplanation() {
        Assumptions.assumeTrue(DeviceChoice.gpuCount() == 0, "this machine has a GPU");
        Run r = run("generate", "--model", model.toString(), "--prompt", "x", "--device", "gpu");
        assertThat(r.code).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(r.err).contains("no CUDA GPU visible to DJL");
    }

    @Test
    void benchLlmReportsEveryMeasurementAndTheBandwidthRatios() {
        Run r = run("bench", "llm", "--shape", "tiny", "--cache-dir", dir.resolve("bench").toString(),
                "--steps", "2", "--leak-tokens", "20");
        assertThat(r.code).as(r.err).isEqualTo(Main.EXIT_OK);
        assertThat(r.out).contains("RANDOM weights").contains("memory bandwidth: read").contains("prefill (512 tokens")
                .contains("decode at position 128").contains("decode at position 1024").contains("decode batch 8")
                .contains("% of the bandwidth limit").contains("(no growth)");
        // The random model never writes the format by itself; held to it, it always does.
        assertThat(r.out).containsPattern("parse failures over 4 outputs \\(paper sampling, \\d+ new tokens, RANDOM "
                + "weights\\): 4 without --constrain-format, 0 with it \\(target 0 with it: met\\)");
    }

    record Run(int code, String out, String err) { }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }
}
