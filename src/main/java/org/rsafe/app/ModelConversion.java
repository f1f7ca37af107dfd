package org.rsafe.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rsafe.engine.gguf.GgufWriter;
import org.rsafe.engine.gguf.Qwen2GgufConverter;
import org.rsafe.engine.gguf.Qwen2GgufConverter.FileType;
import org.rsafe.engine.llm.LoraAdapter;
import org.rsafe.engine.llm.ModelConfig;
import org.rsafe.engine.llm.ModelFolder;
import org.rsafe.util.UserException;

/**
 * The convert use case ({@code rsafe model convert DIR --to gguf}): a Hugging Face Qwen2 folder, read by the local
 * engine's model-folder reader (every dtype widened to float32 in Java, shards and tied heads handled), written as
 * a GGUF model for the llama.cpp engine; or a PEFT LoRA adapter of it written as a GGUF adapter.
 */
public final class ModelConversion {
    private ModelConversion() { }

    /** What was written. */
    public record Result(Path file, long bytes, int tensors, FileType type) { }

    /** The file written when no {@code --out} is given: {@code NAME-TYPE.gguf} beside the folder. */
    public static Path defaultOut(Path folder, FileType type, boolean adapter) {
        Path abs = folder.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? "model" : abs.getFileName().toString();
        return abs.resolveSibling(name + (adapter ? "-lora-" : "-") + type.cliName() + ".gguf");
    }

    /** Writes {@code modelDir} as a GGUF model at {@code out} (replaced atomically). */
    public static Result convertModel(Path modelDir, FileType type, Path out, GgufWriter.Progress progress) {
        Qwen2GgufConverter.checkArchitecture(modelDir);
        try (ModelFolder folder = ModelFolder.open(modelDir).validate()) {
            ModelConfig c = folder.config();
            Map<String, List<Long>> shapes = ModelFolder.expectedShapes(c);
            Qwen2GgufConverter.writeModel(out, modelDir, name(modelDir), hyperparameters(c), shapes,
                    folder.tensors()::readFloats, type, progress);
            return new Result(out, size(out), shapes.size(), type);
        } catch (IOException e) {
            throw new UserException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the PEFT adapter {@code adapterDir} of the model {@code modelDir} as a GGUF LoRA adapter at
     * {@code out}; the adapter is checked against the model's shapes first.
     */
    public static Result convertAdapter(Path modelDir, Path adapterDir, FileType type, Path out,
                                        GgufWriter.Progress progress) {
        Qwen2GgufConverter.checkArchitecture(modelDir);
        try (ModelFolder folder = ModelFolder.open(modelDir, adapterDir).validate()) {
            LoraAdapter a = folder.adapter().orElseThrow();
            List<Qwen2GgufConverter.LoraPair> pairs = new ArrayList<>();
            Map<String, List<Long>> shapes = ModelFolder.expectedShapes(folder.config());
            for (String base : shapes.keySet()) {
                if (a.targets(base)) {
                    LoraAdapter.Factors f = a.factors(base);
                    pairs.add(new Qwen2GgufConverter.LoraPair(base, a.tensors().info(f.aTensor()).shape(),
                            a.tensors().info(f.bTensor()).shape(), a.tensors()::readFloats, f.aTensor(), f.bTensor()));
                }
            }
            Qwen2GgufConverter.writeAdapter(out, name(adapterDir), a.r(), a.scale(), pairs, type, progress);
            return new Result(out, size(out), pairs.size() * 2, type);
        } catch (IOException e) {
            throw new UserException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    static Qwen2GgufConverter.Hyperparameters hyperparameters(ModelConfig c) {
        return new Qwen2GgufConverter.Hyperparameters(c.vocabSize(), c.hiddenSize(), c.intermediateSize(),
                c.numLayers(), c.numHeads(), c.numKvHeads(), c.headDim(), c.rmsNormEps(), c.ropeTheta(),
                c.maxPositionEmbeddings());
    }

    private static String name(Path dir) {
        Path n = dir.toAbsolutePath().normalize().getFileName();
        return n == null ? dir.toString() : n.toString();
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
