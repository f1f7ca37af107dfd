package org.rsafe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.gguf.GgufFile;
import org.rsafe.engine.gguf.GgufModelCheck;
import org.rsafe.engine.gguf.GgufType;
import org.rsafe.engine.gguf.GgufWriter;
import org.rsafe.engine.gguf.Qwen2GgufConverter;
import org.rsafe.engine.gguf.Qwen2GgufConverter.FileType;
import org.rsafe.engine.llm.ModelConfig;
import org.rsafe.engine.llm.ModelFolder;
import org.rsafe.engine.llm.RandomModelWriter;
import org.rsafe.engine.llm.SafetensorsWriter;
import org.rsafe.util.UserException;

class ModelConversionTest {
    @TempDir
    Path tmp;

    @Test
    void aShardedBf16UntiedFolderBecomesAnF32GgufHoldingTheSameValues() {
        Path model = GgufFixtures.scaledTiny(tmp, "bf16", RandomModelWriter.Options.defaults()
                .withDtype(SafetensorsWriter.Dtype.BF16).withTied(false).withShards(3));
        Path out = ModelConversion.convertModel(model, FileType.F32, tmp.resolve("m.gguf"), GgufWriter.Progress.NONE)
                .file();
        try (ModelFolder folder = ModelFolder.open(model); GgufFile g = GgufFile.open(out)) {
            ModelConfig c = folder.config();
            Map<String, List<Long>> shapes = ModelFolder.expectedShapes(c);
            assertThat(g.tensors()).hasSize(shapes.size()).containsKey("output.weight");
            shapes.forEach((hf, shape) -> {
                String name = Qwen2GgufConverter.ggufName(hf);
                assertThat(g.tensors().get(name).shape()).as(name).isEqualTo(shape);
                assertThat(g.readFloats(name)).as(name).containsExactly(folder.tensors().readFloats(hf));
            });
            var m = g.metadata();
            assertThat(m.string("general.architecture")).contains("qwen2");
            assertThat(m.integer("qwen2.block_count")).contains((long) c.numLayers());
            assertThat(m.integer("qwen2.attention.head_count_kv")).contains((long) c.numKvHeads());
            assertThat(m.number("qwen2.rope.freq_base")).contains(c.ropeTheta());
            assertThat(m.string("tokenizer.ggml.model")).contains("gpt2");
            assertThat(m.string("tokenizer.ggml.pre")).contains("gpt-2");
            assertThat(m.array("tokenizer.ggml.tokens").orElseThrow()).hasSize(c.vocabSize());
            assertThat(m.integer("tokenizer.ggml.eos_token_id")).contains(299L);
            assertThat(m.integer("tokenizer.ggml.padding_token_id")).contains(297L);
            assertThat(GgufModelCheck.checkModel(g).controlTokens())
                    .containsExactlyInAnyOrder("<|endoftext|>", "<|im_start|>", "<|im_end|>");
        }
    }

    @Test
    void q8KeepsNormsAndBiasesInF32AndATiedHeadIsNotWritten() {
        Path model = GgufFixtures.scaledTiny(tmp, "tied", RandomModelWriter.Options.defaults());
        Path out = ModelConversion.convertModel(model, FileType.Q8_0, tmp.resolve("q8.gguf"), GgufWriter.Progress.NONE)
                .file();
        try (GgufFile g = GgufFile.open(out)) {
            assertThat(g.tensors()).doesNotContainKey("output.weight");
            assertThat(g.tensors().get("token_embd.weight").type()).isEqualTo(GgufType.Q8_0);
            assertThat(g.tensors().get("blk.0.attn_q.weight").type()).isEqualTo(GgufType.Q8_0);
            assertThat(g.tensors().get("blk.0.attn_q.bias").type()).isEqualTo(GgufType.F32);
            assertThat(g.tensors().get("output_norm.weight").type()).isEqualTo(GgufType.F32);
            assertThat(g.fileTypeName()).isEqualTo("q8_0");
            assertThat(g.metadata().integer("general.quantization_version")).contains(2L);
        }
    }

    @Test
    void aQwen3FolderIsRefusedNamingTheBundledLlamaCpp() throws IOException {
        Path model = GgufFixtures.scaledTiny(tmp, "qwen3", RandomModelWriter.Options.defaults());
        Path config = model.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"qwen2\"", "\"qwen3\""));
        assertThatThrownBy(() -> ModelConversion.convertModel(model, FileType.F16, tmp.resolve("x.gguf"),
                GgufWriter.Progress.NONE))
                .isInstanceOf(UserException.class).hasMessageContaining("Qwen3").hasMessageContaining("b4916");
        assertThat(tmp.resolve("x.gguf")).doesNotExist();
    }

    @Test
    void aMissingTensorIsNamedAndNoFileIsLeft() throws IOException {
        Path model = GgufFixtures.scaledTiny(tmp, "broken", RandomModelWriter.Options.defaults().withShards(2)
                .withTied(false));
        try (var files = Files.list(model)) {
            Path shard = files.filter(p -> p.getFileName().toString().startsWith("model-00002")).findFirst().orElseThrow();
            Files.delete(shard);
        }
        assertThatThrownBy(() -> ModelConversion.convertModel(model, FileType.F16, tmp.resolve("y.gguf"),
                GgufWriter.Progress.NONE)).isInstanceOf(UserException.class).hasMessageContaining("model-00002");
        assertThat(tmp.resolve("y.gguf")).doesNotExist();
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    /**
     * The GGUF check derives every tensor's place and shape from the metadata (the same Qwen2 layout as the checkpoint
     * reader, in llama.cpp's names): a transposed weight, a missing norm and a stray tensor are each named.
     */
    @Test
    void aGgufWhoseTensorsDoNotFitItsMetadataIsRefusedNamingEachTensor() throws IOException {
        Path model = GgufFixtures.scaledTiny(tmp, "fit", RandomModelWriter.Options.defaults().withTied(false));
        Path good = ModelConversion.convertModel(model, FileType.F32, tmp.resolve("good.gguf"),
                GgufWriter.Progress.NONE).file();
        Path bad = tmp.resolve("bad.gguf");
        List<Long> upShape;
        try (GgufFile g = GgufFile.open(good)) {
            assertThat(GgufModelCheck.checkModel(g).vocabSize()).isPositive();
            upShape = g.tensors().get("blk.1.ffn_up.weight").shape();
            List<GgufWriter.Tensor> tensors = new ArrayList<>();
            for (GgufFile.TensorInfo t : g.tensors().values()) {
                float[] v = g.readFloats(t.name());
                if (t.name().equals("output_norm.weight")) {
                    tensors.add(new GgufWriter.Tensor("blk.0.extra.weight", t.shape(), t.type(), () -> v));
                } else if (t.name().equals("blk.1.ffn_up.weight")) {
                    List<Long> swapped = List.of(t.shape().get(1), t.shape().get(0));
                    tensors.add(new GgufWriter.Tensor(t.name(), swapped, t.type(), () -> v));
                } else {
                    tensors.add(new GgufWriter.Tensor(t.name(), t.shape(), t.type(), () -> v));
                }
            }
            GgufWriter.write(bad, g.metadata(), tensors, GgufWriter.Progress.NONE);
        }
        assertThat(upShape.get(0)).isNotEqualTo(upShape.get(1));
        try (GgufFile g = GgufFile.open(bad)) {
            assertThatThrownBy(() -> GgufModelCheck.checkModel(g))
                    .isInstanceOf(UserException.class)
                    .hasMessageContaining("tensor output_norm.weight is missing")
                    .hasMessageContaining("tensor blk.1.ffn_up.weight has shape [" + upShape.get(1) + ", "
                            + upShape.get(0) + "], the metadata implies " + upShape)
                    .hasMessageContaining("tensor blk.0.extra.weight has no place in a qwen2 model");
        }
    }

    /**
     * The converter holds one tensor at a time: a model of 44 MB of float32 weights converts in a JVM whose heap is
     * 24 MB, through the real command line.
     */
    @Test
    void theConverterRunsInAHeapSmallerThanTheModel() throws Exception {
        ModelConfig c = new ModelConfig(2000, 256, 1024, 10, 4, 2, 64, 1e-6, 1e6, false, 2048, List.of(1999), "float32");
        Path model = tmp.resolve("40mb");
        RandomModelWriter.write(model, RandomModelWriter.Shape.TINY, 3, RandomModelWriter.Options.defaults()
                .withConfig(c));
        long weights = c.parameterCount() * 4;
        assertThat(weights).isGreaterThan(40L << 20);
        Path out = tmp.resolve("40mb-q8.gguf");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx24m",
                "-cp", System.getProperty("java.class.path"), "org.rsafe.cli.Main", "model", "convert",
                model.toString(), "--to", "gguf", "--type", "q8_0", "--out", out.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("Wrote " + out);
        try (GgufFile g = GgufFile.open(out)) {
            assertThat(GgufModelCheck.checkModel(g).vocabSize()).isEqualTo(2000);
        }
    }
}
