package org.rsafe.train;

import static org.rsafe.util.FileTrees.deleteTree;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.rsafe.engine.llm.ModelFolder;
import org.rsafe.engine.llm.SafetensorsReader;
import org.rsafe.engine.llm.SafetensorsWriter;
import org.rsafe.engine.llm.TensorSource;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.UserException;

/**
 * Writes a base model with a LoRA adapter folded in ({@code W += (alpha/r)·B·A}) as a plain Hugging Face folder:
 * same tensor names, shard count and stored dtype as the base, plus the base's config, tokenizer and generation
 * files. Tensors are merged and written one at a time, so memory holds one tensor, not the model.
 */
public final class AdapterMerger {

    private AdapterMerger() { }

    /** What was written. */
    public record Result(Path dir, int tensors, int mergedTensors, String dtype, List<String> copiedFiles) { }

    /**
     * Merges. {@code out} must not exist or be an empty folder; everything is written into a hidden temporary
     * folder beside it and renamed at the end, so an interrupted merge leaves no half model.
     */
    public static Result merge(Path base, Path adapter, Path out) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target) && (!Files.isDirectory(target) || !isEmpty(target))) {
            throw new UserException(target + " already exists and is not an empty folder; choose a new folder");
        }
        try (ModelFolder folder = ModelFolder.open(base, adapter)) {
            folder.validate();
            TensorSource tensors = folder.tensors();
            SafetensorsWriter.Dtype dtype = outputDtype(folder.storedDtype());
            List<String> names = new ArrayList<>(new TreeSet<>(tensors.names()));
            int merged = (int) names.stream().filter(n -> folder.adapter().orElseThrow().targets(n)).count();
            List<SafetensorsWriter.Entry> entries = new ArrayList<>();
            for (String name : names) {
                entries.add(new SafetensorsWriter.Entry(name, tensors.info(name).shape(), () -> {
                    float[] w = folder.mergedWeights(name); // one tensor in memory at a time
                    return new SafetensorsWriter.Values() {
                        private int pos;

                        @Override
                        public void next(float[] chunk, int count) {
                            System.arraycopy(w, pos, chunk, 0, count);
                            pos += count;
                        }
                    };
                }));
            }
            Path tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".");
            try {
                int shards = folder.reader().files().size();
                if (shards == 1) {
                    SafetensorsWriter.write(tmp.resolve(SafetensorsReader.SINGLE_FILE), entries, dtype);
                } else {
                    SafetensorsWriter.writeSharded(tmp, entries, dtype, shards);
                }
                List<String> copied = copyNonWeightFiles(base, tmp);
                if (Files.exists(target)) {
                    Files.delete(target); // the empty folder the user named
                }
                Files.move(tmp, target);
                return new Result(target, names.size(), merged, dtype.name(), copied);
            } finally {
                deleteTree(tmp);
            }
        }
    }

    /** F32, F16 and BF16 bases keep their type; anything mixed is written as F32. */
    private static SafetensorsWriter.Dtype outputDtype(String stored) {
        try {
            return SafetensorsWriter.Dtype.valueOf(stored.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return SafetensorsWriter.Dtype.F32;
        }
    }

    /** config.json, tokenizer files, generation_config.json, chat template, licence...: all but the weights. */
    private static List<String> copyNonWeightFiles(Path base, Path dst) throws IOException {
        List<String> copied = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(base)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (!Files.isRegularFile(f) || name.endsWith(".safetensors") || name.equals(SafetensorsReader.INDEX_FILE)
                        || name.endsWith(".bin") || name.startsWith(".")) {
                    continue;
                }
                byte[] bytes = Files.readAllBytes(f);
                AtomicFiles.write(dst.resolve(name), o -> o.write(bytes));
                copied.add(name);
            }
        }
        copied.sort(null);
        return copied;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
