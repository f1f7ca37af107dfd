package org.rsafe.engine.llm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Test fixtures: tiny random Qwen2-shaped model folders written by the product's {@link RandomModelWriter}. */
public final class TinyModels {
    private TinyModels() { }

    /** Seed used by every fixture, so two folders of one kind hold identical weights. */
    public static final long SEED = 20241122L;

    /** The fixture variants the engine must handle. */
    public enum Kind {
        /** The tiny shape as shipped: F32, tied head, 4 query heads sharing 2 kv heads. */
        F32_TIED(RandomModelWriter.Options.defaults()),
        /** Separate lm_head.weight, like the 7B RSafe checkpoint. */
        F32_UNTIED(RandomModelWriter.Options.defaults().withTied(false)),
        /** Stored as bfloat16 (the dtype of the real checkpoints); must load without DJL ever seeing BF16. */
        BF16(RandomModelWriter.Options.defaults().withDtype(SafetensorsWriter.Dtype.BF16).withTied(false)),
        /** Three shards plus model.safetensors.index.json, like the 7B checkpoint's four. */
        SHARDED(RandomModelWriter.Options.defaults().withShards(3).withTied(false)),
        /**
         * Grouped-query attention with 4 query heads per kv head and an explicit head_dim that differs from
         * hidden/heads (hidden 48, 4 heads of 16), to catch mix-ups between the two.
         */
        GQA(RandomModelWriter.Options.defaults().withConfig(
                new ModelConfig(300, 48, 96, 2, 4, 1, 16, 1e-6, 1e6, true, 2048, List.of(299), "float32")));

        private final RandomModelWriter.Options options;

        Kind(RandomModelWriter.Options options) {
            this.options = options;
        }

        public RandomModelWriter.Options options() {
            return options;
        }

        /** Writes this fixture into {@code parent/<kind name>} and returns the folder. */
        public Path write(Path parent) {
            Path dir = parent.resolve(name().toLowerCase(java.util.Locale.ROOT));
            try {
                RandomModelWriter.write(dir, RandomModelWriter.Shape.TINY, SEED, options);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return dir;
        }
    }

    public static Path f32Tied(Path parent) {
        return Kind.F32_TIED.write(parent);
    }

    public static Path f32Untied(Path parent) {
        return Kind.F32_UNTIED.write(parent);
    }

    public static Path bf16(Path parent) {
        return Kind.BF16.write(parent);
    }

    public static Path sharded(Path parent) {
        return Kind.SHARDED.write(parent);
    }

    public static Path gqa(Path parent) {
        return Kind.GQA.write(parent);
    }

    /** Writes a fixture with custom options (e.g. a larger init std) into {@code parent/name}. */
    public static Path custom(Path parent, String name, RandomModelWriter.Options options) {
        Path dir = parent.resolve(name);
        try {
            RandomModelWriter.write(dir, RandomModelWriter.Shape.TINY, SEED, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** A tensor held in memory for editing: shape and row-major values. */
    public record Tensor(long[] shape, float[] values) { }

    /**
     * Loads every tensor of a single-file folder, lets {@code edit} change, add or remove entries, and writes
     * model.safetensors back as F32. For building folders with hand-made weights or deliberate defects.
     */
    public static void editTensors(Path dir, Consumer<Map<String, Tensor>> edit) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (SafetensorsReader r = SafetensorsReader.open(dir)) {
            for (String name : r.names()) {
                long[] shape = r.info(name).shape().stream().mapToLong(Long::longValue).toArray();
                tensors.put(name, new Tensor(shape, r.readFloats(name)));
            }
        }
        edit.accept(tensors);
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        tensors.forEach((name, t) -> entries.add(SafetensorsWriter.Entry.of(name, t.values(), t.shape())));
        try {
            SafetensorsWriter.write(dir.resolve(SafetensorsReader.SINGLE_FILE), entries, SafetensorsWriter.Dtype.F32);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
