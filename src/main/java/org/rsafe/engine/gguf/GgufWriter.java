package org.rsafe.engine.gguf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.rsafe.util.AtomicFiles;

/**
 * Writes a GGUF version 3 file: header, metadata, tensor infos, then each tensor's data at a 32-byte aligned
 * offset. Tensors are produced and encoded one at a time, in chunks, so memory holds at most one tensor's float32
 * values; the file appears under its name only once complete (temporary file, then an atomic rename).
 */
public final class GgufWriter {
    static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
    static final int VERSION = 3;
    public static final int ALIGNMENT = 32;
    /** Values encoded per write: a multiple of every block size. */
    private static final int CHUNK_VALUES = 1 << 16;

    /**
     * One tensor to write.
     *
     * @param name   the GGUF tensor name ({@code blk.0.attn_q.weight})
     * @param shape  dimensions outermost first, as in PyTorch and safetensors ([rows, columns]); the file stores
     *               them reversed, as ggml's ne[]
     * @param type   how the values are stored
     * @param values produces the float32 values, row-major, when the tensor's turn comes
     */
    public record Tensor(String name, List<Long> shape, GgufType type, Supplier<float[]> values) {
        public Tensor {
            shape = List.copyOf(shape);
            if (shape.isEmpty() || shape.size() > 4) {
                throw new IllegalArgumentException(name + ": GGUF tensors have 1 to 4 dimensions, not " + shape.size());
            }
            if (!type.fitsRow(shape.get(shape.size() - 1))) {
                throw new IllegalArgumentException(name + ": rows of " + shape.get(shape.size() - 1)
                        + " values cannot be stored as " + type + " (blocks of " + type.blockValues() + ")");
            }
        }

        public long elementCount() {
            return GgufType.elementCount(shape);
        }

        public long byteSize() {
            return type.byteSize(elementCount());
        }
    }

    /** Told after each tensor is written. */
    public interface Progress {
        Progress NONE = (done, total, name) -> { };

        void tensorWritten(int done, int total, String name);
    }

    private GgufWriter() { }

    /** Writes {@code metadata} and {@code tensors} to {@code target}, replacing it atomically. */
    public static void write(Path target, GgufMetadata metadata, List<Tensor> tensors, Progress progress)
            throws IOException {
        Set<String> names = new HashSet<>();
        for (Tensor t : tensors) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("tensor " + t.name() + " given twice");
            }
        }
        AtomicFiles.write(target, raw -> {
            LittleEndianOut out = new LittleEndianOut(new BufferedOutputStream(raw, 1 << 20));
            out.u32(MAGIC);
            out.u32(VERSION);
            out.u64(tensors.size());
            out.u64(metadata.entries().size());
            for (Map.Entry<String, GgufMetadata.Value> e : metadata.entries().entrySet()) {
                out.string(e.getKey());
                out.value(e.getValue());
            }
            long offset = 0;
            List<Long> offsets = new ArrayList<>();
            for (Tensor t : tensors) {
                out.string(t.name());
                out.u32(t.shape().size());
                for (int i = t.shape().size() - 1; i >= 0; i--) {
                    out.u64(t.shape().get(i));
                }
                out.u32(t.type().id());
                out.u64(offset);
                offsets.add(offset);
                offset = align(offset + t.byteSize());
            }
            out.pad();
            long dataStart = out.written;
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_VALUES * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < tensors.size(); i++) {
                Tensor t = tensors.get(i);
                if (out.written - dataStart != offsets.get(i)) {
                    throw new IllegalStateException("tensor " + t.name() + " misplaced");
                }
                float[] values = t.values().get();
                if (values.length != t.elementCount()) {
                    throw new IllegalStateException("tensor " + t.name() + " produced " + values.length
                            + " values, its shape " + t.shape() + " needs " + t.elementCount());
                }
                for (int from = 0; from < values.length; from += CHUNK_VALUES) {
                    int n = Math.min(CHUNK_VALUES, values.length - from);
                    chunk.clear();
                    t.type().encode(values, from, n, chunk);
                    out.bytes(chunk.array(), chunk.position());
                }
                out.pad();
                progress.tensorWritten(i + 1, tensors.size(), t.name());
            }
            out.flush();
        });
    }

    static long align(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** Little-endian primitives over a stream, counting the bytes written. */
    private static final class LittleEndianOut {
        private final OutputStream out;
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        long written;

        LittleEndianOut(OutputStream out) {
            this.out = out;
        }

        void u32(long v) throws IOException {
            scratch.clear();
            scratch.putInt((int) v);
            bytes(scratch.array(), 4);
        }

        void u64(long v) throws IOException {
            scratch.clear();
            scratch.putLong(v);
            bytes(scratch.array(), 8);
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            bytes(b, b.length);
        }

        void value(GgufMetadata.Value v) throws IOException {
            u32(v.type().id);
            if (v.type() == GgufMetadata.ValueType.ARRAY) {
                List<?> items = (List<?>) v.value();
                u32(v.elementType().id);
                u64(items.size());
                for (Object item : items) {
                    scalar(v.elementType(), item);
                }
            } else {
                scalar(v.type(), v.value());
            }
        }

        private void scalar(GgufMetadata.ValueType type, Object v) throws IOException {
            switch (type) {
                case STRING -> string((String) v);
                case UINT32, INT32 -> u32((Long) v);
                case UINT64, INT64 -> u64((Long) v);
                case FLOAT32 -> u32(Float.floatToRawIntBits((Float) v));
                case BOOL -> bytes(new byte[] {(byte) ((Boolean) v ? 1 : 0)}, 1);
                default -> throw new IllegalArgumentException("writing " + type + " values is not supported");
            }
        }

        void bytes(byte[] b, int n) throws IOException {
            out.write(b, 0, n);
            written += n;
        }

        void pad() throws IOException {
            int n = (int) (align(written) - written);
            bytes(new byte[n], n);
        }

        void flush() throws IOException {
            out.flush();
        }
    }
}
