package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.llm.ModelFolder;

class ModelCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) { }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void modelRandomTinyWritesAValidFolderAndSaysTheWeightsAreRandom() {
        Path out = dir.resolve("tiny");
        Run r = run("model", "random", "--shape", "tiny", "--out", out.toString(), "--seed", "5");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("RANDOM weights (not a trained model)").contains("shape tiny, seed 5")
                .contains("outputs of this model are meaningless");
        try (ModelFolder f = ModelFolder.open(out).validate()) {
            assertThat(f.config().vocabSize()).isEqualTo(300);
            assertThat(f.storedDtype()).isEqualTo("F32");
        }
    }

    @Test
    void modelRandomHonoursDtypeAndShards() {
        Path out = dir.resolve("bf");
        Run r = run("model", "random", "--shape", "tiny", "--out", out.toString(), "--dtype", "bf16", "--shards", "2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(out.resolve("model-00002-of-00002.safetensors")).isRegularFile();
        try (ModelFolder f = ModelFolder.open(out).validate()) {
            assertThat(f.storedDtype()).isEqualTo("BF16");
        }
    }

    @Test
    void inspectPrintsTheSummaryHashAndValidation() {
        Path out = dir.resolve("tiny");
        assertThat(run("model", "random", "--shape", "tiny", "--out", out.toString()).exit()).isZero();
        Run r = run("model", "inspect", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String hash;
        try (ModelFolder f = ModelFolder.open(out)) {
            hash = f.modelHash();
        }
        assertThat(r.out()).contains("Weights:        RANDOM")
                .contains("Qwen2, 2 layers, hidden 64, intermediate 128")
                .contains("4 heads, 2 kv heads, head_dim 16")
                .contains("Parameters:     ")
                .contains("Stored dtype:   F32")
                .contains("Tensors:        26 in 1 file")
                .contains("Model hash:     " + hash)
                .contains("Validation:     OK");
        assertThat(r.out()).containsPattern("Memory need:    about \\d+\\.\\d GB as float32 \\(weights 0\\.0 GB, "
                + "KV cache 0\\.0 GB for 8 × 2,048 tokens, working memory \\d\\.\\d GB\\); this machine has [\\d.]+ GB "
                + "available: fits");
    }

    @Test
    void inspectReportsMismatchedTensorsWithExitOne() throws IOException {
        Path out = dir.resolve("tiny");
        assertThat(run("model", "random", "--shape", "tiny", "--out", out.toString()).exit()).isZero();
        Path cfg = out.resolve("config.json");
        Files.writeString(cfg, Files.readString(cfg).replace("\"intermediate_size\" : 128", "\"intermediate_size\" : 96"));
        Run r = run("model", "inspect", out.toString());
        assertThat(r.exit()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(r.out()).contains("Validation:     FAILED, 6 problems")
                .contains("tensor model.layers.0.mlp.gate_proj.weight in model.safetensors has shape [128, 64], "
                        + "config.json implies [96, 64]");
    }

    @Test
    void inspectOfAMissingFolderIsAUserError() {
        Run r = run("model", "inspect", dir.resolve("nope").toString());
        assertThat(r.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(r.err()).contains("model folder " + dir.resolve("nope") + " does not exist");
    }

    @Test
    void badOptionsAreUserErrors() {
        Run dtype = run("model", "random", "--shape", "tiny", "--out", dir.resolve("x").toString(), "--dtype", "f8");
        assertThat(dtype.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(dtype.err()).contains("--dtype must be f32 or bf16, got 'f8'");
        Run shape = run("model", "random", "--shape", "llama", "--out", dir.resolve("y").toString());
        assertThat(shape.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(shape.err()).contains("unknown model shape 'llama'");
        Run shards = run("model", "random", "--shape", "tiny", "--out", dir.resolve("z").toString(), "--shards", "40");
        assertThat(shards.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(shards.err()).contains("cannot split 26 tensors into 40 shards");
        assertThat(dir.resolve("x")).doesNotExist();
        assertThat(dir.resolve("z")).doesNotExist();
    }
}
