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
        assertThat(r.out()).contains("Validation:     FAILED, ")
                .contains("tensor model.layers.0.mlp.gate_proj.weight in model.safetensors has shape [128, 64], "
                        + "config.json implies [96, 64]");
    }

    @Test
    void aMillionLayersInConfigJsonAreRefusedAtOnceNamingBothCounts() throws IOException {
        Path out = dir.resolve("tiny");
        assertThat(run("model", "random", "--shape", "tiny", "--out", out.toString()).exit()).isZero();
        Path cfg = out.resolve("config.json");
        Files.writeString(cfg, Files.readString(cfg).replace("\"num_hidden_layers\" : 2", "\"num_hidden_layers\" : 1000000"));

        Run r = run("model", "inspect", out.toString());

        assertThat(r.exit()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(r.out()).contains("Validation:     FAILED, config.json says num_hidden_layers 1000000, but the "
                + "tensors hold 2 layers (model.layers.0 to model.layers.1)").hasLineCount(2);
        Run gen = run("generate", "--model", out.toString(), "--prompt", "hi");
        assertThat(gen.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(gen.err()).contains("num_hidden_layers 1000000").doesNotContain("Exception");
    }

    @Test
    void aConfigWhoseEmbeddingDisagreesWithTheTensorsNamesTheTensorAndBothShapes() throws IOException {
        Path out = dir.resolve("tiny");
        assertThat(run("model", "random", "--shape", "tiny", "--out", out.toString()).exit()).isZero();
        Path cfg = out.resolve("config.json");
        Files.writeString(cfg, Files.readString(cfg).replace("\"vocab_size\" : 300", "\"vocab_size\" : 151936"));

        Run r = run("generate", "--model", out.toString(), "--prompt", "hi");

        assertThat(r.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(r.err()).contains("tensor model.embed_tokens.weight in model.safetensors has shape [300, 64], "
                + "config.json implies [151936, 64]");
    }

    @Test
    void inspectLoadsTheTokenizerAndReportsADamagedOne() throws IOException {
        Path out = dir.resolve("tiny");
        assertThat(run("model", "random", "--shape", "tiny", "--out", out.toString()).exit()).isZero();
        Files.writeString(out.resolve("tokenizer.json"), "{\"version\": \"1.0\", \"model\": 42}");

        Run r = run("model", "inspect", out.toString());

        assertThat(r.exit()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(r.out()).contains("Validation:     FAILED, 1 problem").contains("  - tokenizer: ")
                .contains("tokenizer.json").doesNotContain("Validation:     OK");
    }

    @Test
    void anF8TensorIsCalledUnsupportedNotUnknown() throws IOException {
        Path out = dir.resolve("tiny");
        assertThat(run("model", "random", "--shape", "tiny", "--out", out.toString()).exit()).isZero();
        Path st = out.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(st);
        long headerLength = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) headerLength, java.nio.charset.StandardCharsets.UTF_8);
        // data offsets count from the end of the header, so the header may change length
        String changed = header.replaceFirst("\"dtype\"\\s*:\\s*\"F32\"", "\"dtype\":\"F8_E4M3\"");
        assertThat(changed).isNotEqualTo(header);
        byte[] h = changed.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream rewritten = new java.io.ByteArrayOutputStream();
        rewritten.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        rewritten.write(h);
        rewritten.write(bytes, 8 + (int) headerLength, bytes.length - 8 - (int) headerLength);
        Files.write(st, rewritten.toByteArray());

        Run r = run("model", "inspect", out.toString());

        assertThat(r.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(r.err()).contains("dtype F8_E4M3 is a safetensors type this project does not support")
                .doesNotContain("unknown dtype");
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
