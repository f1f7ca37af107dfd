package org.rsafe.engine.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.FloatFormats;

/**
 * Writes float tensors as safetensors (F32, F16 or BF16, rounded to nearest even) with the
 * {@code {"format":"pt"}} metadata transformers requires, either as one file or as numbered shards plus
 * {@code model.safetensors.index.json}. Values are pulled tensor by tensor in chunks, so a model larger than
 * the heap can be written; every file goes through {@link AtomicFiles}.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 1 << 16;

    private SafetensorsWriter() { }

    /** The stored types this writer produces. */
    public enum Dtype {
        F32, F16, BF16;

        public SafetensorsDtype stored() {
            return SafetensorsDtype.valueOf(name());
        }
    }

    /** Produces a tensor's values in row-major order, a chunk at a time. */
    @FunctionalInterface
    public interface Values {
        /** Fills {@code chunk[0..count)} with the next {@code count} values. */
        void next(float[] chunk, int count);
    }

    /** One tensor to write: its name, shape and a fresh source of its values (called once, when written). */
    public record Entry(String name, List<Long> shape, Supplier<Values> values) {
        public Entry {
            Objects.requireNonNull(name, "name");
            shape = List.copyOf(shape);
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("negative dimension in " + shape + " of " + name);
                }
            }
            Objects.requireNonNull(values, "values");
        }

        /** A tensor whose values are already in memory; {@code data.length} must equal the shape's product. */
        public static Entry of(String name, float[] data, long... shape) {
            List<Long> s = Arrays.stream(shape).boxed().toList();
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException(name + ": shape " + s + " needs " + n + " values, got " + data.length);
            }
            return new Entry(name, s, () -> new Values() {
                private int pos;

                @Override
                public void next(float[] chunk, int count) {
                    System.arraycopy(data, pos, chunk, 0, count);
                    pos += count;
                }
            });
        }

        public long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** Writes one safetensors file holding every entry, in the given order. */
    public static void write(Path file, List<Entry> entries, Dtype dtype) throws IOException {
        byte[] header = header(entries, dtype);
        AtomicFiles.write(file, out -> {
            out.write(header);
            for (Entry e : entries) {
                writeValues(out, e, dtype);
            }
        });
    }

    /**
     * Writes {@code model-0000i-of-0000n.safetensors} shards into {@code dir}, cutting the ordered entries into
     * {@code shards} runs of roughly equal bytes (a tensor is never split), plus the index mapping each tensor
     * to its shard and giving {@code metadata.total_size}. Returns the shard file names.
     */
    public static List<String> writeSharded(Path dir, List<Entry> entries, Dtype dtype, int shards) throws IOException {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be >= 1, was " + shards);
        }
        if (shards > entries.size()) {
            throw new IllegalArgumentException("cannot cut " + entries.size() + " tensors into " + shards + " shards");
        }
        long total = 0;
        for (Entry e : entries) {
            total += e.elementCount() * dtype.stored().size();
        }
        List<List<Entry>> groups = new ArrayList<>();
        int idx = 0;
        long cumulative = 0;
        for (int s = 0; s < shards; s++) {
            List<Entry> g = new ArrayList<>();
            int leave = shards - s - 1; // tensors the later shards still need, one each at least
            long target = total * (s + 1) / shards;
            do {
                Entry e = entries.get(idx++);
                g.add(e);
                cumulative += e.elementCount() * dtype.stored().size();
            } while (idx < entries.size() - leave && (s == shards - 1 || cumulative < target));
            groups.add(g);
        }
        List<String> names = new ArrayList<>();
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (int s = 0; s < shards; s++) {
            String name = String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
            names.add(name);
            write(dir.resolve(name), groups.get(s), dtype);
            for (Entry e : groups.get(s)) {
                weightMap.put(e.name(), name);
            }
        }
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", total);
        ObjectNode wm = index.putObject("weight_map");
        weightMap.forEach(wm::put);
        AtomicFiles.writeString(dir.resolve(SafetensorsReader.INDEX_FILE),
                JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(index) + "\n");
        return names;
    }

    /** The 8-byte length, the JSON header and its space padding to a multiple of 8 bytes. */
    static byte[] header(List<Entry> entries, Dtype dtype) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Entry e : entries) {
            if (root.has(e.name())) {
                throw new IllegalArgumentException("tensor " + e.name() + " is listed twice");
            }
            ObjectNode t = root.putObject(e.name());
            t.put("dtype", dtype.name());
            ArrayNode shape = t.putArray("shape");
            e.shape().forEach(shape::add);
            long bytes = e.elementCount() * dtype.stored().size();
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(root);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer buf = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded);
        buf.put(json);
        while (buf.hasRemaining()) {
            buf.put((byte) ' ');
        }
        return buf.array();
    }

    private static void writeValues(OutputStream out, Entry e, Dtype dtype) throws IOException {
        long n = e.elementCount();
        Values values = e.values().get();
        int size = dtype.stored().size();
        float[] chunk = new float[(int) Math.min(CHUNK, Math.max(n, 1))];
        ByteBuffer bytes = ByteBuffer.allocate(chunk.length * size).order(ByteOrder.LITTLE_ENDIAN);
        for (long done = 0; done < n; ) {
            int k = (int) Math.min(chunk.length, n - done);
            values.next(chunk, k);
            bytes.clear();
            for (int i = 0; i < k; i++) {
                switch (dtype) {
                    case F32 -> bytes.putFloat(chunk[i]);
                    case F16 -> bytes.putShort(FloatFormats.floatToHalf(chunk[i]));
                    case BF16 -> bytes.putShort(FloatFormats.floatToBf16(chunk[i]));
                    default -> throw new IllegalStateException();
                }
            }
            out.write(bytes.array(), 0, k * size);
            done += k;
        }
    }
}
