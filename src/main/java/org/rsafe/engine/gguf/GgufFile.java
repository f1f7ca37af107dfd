package org.rsafe.engine.gguf;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rsafe.util.UserException;

/**
 * A GGUF file opened for reading: its metadata and tensor infos are parsed at once (with every length checked
 * against the file's size, so a damaged or hostile file cannot make the reader allocate more than the file
 * holds); tensor data is read on request and decoded to float32.
 */
public final class GgufFile implements AutoCloseable {

    /**
     * One tensor's description.
     *
     * @param shape  dimensions outermost first ([rows, columns]), i.e. ggml's ne[] reversed
     * @param offset byte offset of its data from the start of the data section
     */
    public record TensorInfo(String name, List<Long> shape, GgufType type, long offset) {
        public long elementCount() {
            return GgufType.elementCount(shape);
        }

        public long byteSize() {
            return type.byteSize(elementCount());
        }
    }

    private final Path path;
    private final FileChannel channel;
    private final long version;
    private final GgufMetadata metadata;
    private final Map<String, TensorInfo> tensors;
    private final long dataStart;
    private final long fileSize;

    private GgufFile(Path path, FileChannel channel, long version, GgufMetadata metadata,
                     Map<String, TensorInfo> tensors, long dataStart, long fileSize) {
        this.path = path;
        this.channel = channel;
        this.version = version;
        this.metadata = metadata;
        this.tensors = tensors;
        this.dataStart = dataStart;
        this.fileSize = fileSize;
    }

    /**
     * Opens and parses {@code path}. A missing file, a file that is not GGUF, an unsupported version, a tensor
     * type this project does not know or a structure that runs past the end of the file is a UserException
     * naming the file.
     */
    public static GgufFile open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new UserException("GGUF file " + path + " does not exist");
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UserException("cannot read " + path + ": " + e.getMessage(), e);
        }
        try {
            return parse(path, ch);
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // reporting the parse error matters more
            }
            if (e instanceof UserException u) {
                throw u;
            }
            throw new UserException(path + ": not a readable GGUF file (" + describe(e) + ")", e);
        }
    }

    private static String describe(Exception e) {
        return e instanceof EOFException ? "it ends early" : e.getMessage();
    }

    private static GgufFile parse(Path path, FileChannel ch) throws IOException {
        long size = ch.size();
        Input in = new Input(ch, size);
        if (size < 24 || in.u32() != GgufWriter.MAGIC) {
            throw new UserException(path + " is not a GGUF file (it does not start with \"GGUF\")");
        }
        long version = in.u32();
        if (version != 2 && version != 3) {
            throw new UserException(path + ": GGUF version " + version + " is not supported (only 2 and 3)");
        }
        long tensorCount = in.u64();
        long kvCount = in.u64();
        // Every entry takes at least 8 bytes, so counts beyond the file's size are damage.
        if (tensorCount < 0 || kvCount < 0 || tensorCount > size / 8 || kvCount > size / 8) {
            throw new UserException(path + ": GGUF header claims " + tensorCount + " tensors and " + kvCount
                    + " metadata entries, more than the file can hold");
        }
        GgufMetadata metadata = new GgufMetadata();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string();
            int typeId = (int) in.u32();
            GgufMetadata.ValueType type = GgufMetadata.ValueType.ofId(typeId).orElseThrow(() ->
                    new UserException(path + ": metadata " + key + " has unknown value type " + typeId));
            metadata.put(key, readValue(path, in, key, type));
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = in.string();
            long dims = in.u32();
            if (dims < 1 || dims > 4) {
                throw new UserException(path + ": tensor " + name + " has " + dims + " dimensions (1 to 4 allowed)");
            }
            long[] ne = new long[(int) dims];
            for (int d = 0; d < dims; d++) {
                ne[d] = in.u64();
                if (ne[d] <= 0 || ne[d] > size) {
                    throw new UserException(path + ": tensor " + name + " has a dimension of " + ne[d]);
                }
            }
            int typeId = (int) in.u32();
            GgufType type = GgufType.ofId(typeId).orElseThrow(() -> new UserException(path + ": tensor " + name
                    + " has ggml type " + typeId + ", which this project does not read (F32, F16, Q8_0, Q4_0)"));
            long offset = in.u64();
            List<Long> shape = new ArrayList<>();
            for (int d = ne.length - 1; d >= 0; d--) {
                shape.add(ne[d]);
            }
            if (!type.fitsRow(ne[0])) {
                throw new UserException(path + ": tensor " + name + " has rows of " + ne[0] + " values, not whole "
                        + type + " blocks");
            }
            if (tensors.put(name, new TensorInfo(name, List.copyOf(shape), type, offset)) != null) {
                throw new UserException(path + ": tensor " + name + " appears twice");
            }
        }
        long alignment = metadata.integer("general.alignment").orElse((long) GgufWriter.ALIGNMENT);
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw new UserException(path + ": general.alignment " + alignment + " is not a power of two");
        }
        long dataStart = (in.position() + alignment - 1) / alignment * alignment;
        for (TensorInfo t : tensors.values()) {
            if (t.offset() < 0 || t.offset() % alignment != 0) {
                throw new UserException(path + ": tensor " + t.name() + " starts at offset " + t.offset()
                        + ", not a multiple of the alignment " + alignment);
            }
            double elements = 1;
            for (long d : t.shape()) {
                elements *= d;
            }
            if (elements > size * 32.0 || dataStart + t.offset() + t.byteSize() > size) {
                throw new UserException(path + ": tensor " + t.name() + " " + t.shape() + " " + t.type()
                        + " runs past the end of the file (truncated?)");
            }
        }
        return new GgufFile(path, ch, version, metadata, Collections.unmodifiableMap(tensors), dataStart, size);
    }

    private static GgufMetadata.Value readValue(Path path, Input in, String key, GgufMetadata.ValueType type)
            throws IOException {
        if (type != GgufMetadata.ValueType.ARRAY) {
            return new GgufMetadata.Value(type, null, in.scalar(type));
        }
        int elementId = (int) in.u32();
        GgufMetadata.ValueType element = GgufMetadata.ValueType.ofId(elementId)
                .filter(t -> t != GgufMetadata.ValueType.ARRAY)
                .orElseThrow(() -> new UserException(path + ": metadata " + key + " is an array of unsupported type "
                        + elementId));
        long count = in.u64();
        if (count < 0 || count > in.remaining()) {
            throw new UserException(path + ": metadata " + key + " claims " + count + " elements, more than the file "
                    + "holds");
        }
        List<Object> items = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            items.add(in.scalar(element));
        }
        return new GgufMetadata.Value(type, element, Collections.unmodifiableList(items));
    }

    public Path path() {
        return path;
    }

    public long version() {
        return version;
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    /** Tensor infos in file order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public long fileSize() {
        return fileSize;
    }

    /** A tensor's values decoded to float32, row-major; a UserException when absent. */
    public float[] readFloats(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new UserException(path + " has no tensor " + name);
        }
        long n = t.elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new UserException(path + ": tensor " + name + " is too large to read at once");
        }
        float[] out = new float[(int) n];
        int chunkValues = GgufType.QK * 4096;
        ByteBuffer buf = ByteBuffer.allocate((int) t.type().byteSize(chunkValues)).order(ByteOrder.LITTLE_ENDIAN);
        long pos = dataStart + t.offset();
        try {
            for (int from = 0; from < n; from += chunkValues) {
                int count = (int) Math.min(chunkValues, n - from);
                buf.clear().limit((int) t.type().byteSize(count));
                while (buf.hasRemaining()) {
                    if (channel.read(buf, pos + buf.position()) < 0) {
                        throw new EOFException();
                    }
                }
                pos += buf.limit();
                buf.flip();
                t.type().decode(buf, out, from, count);
            }
        } catch (IOException e) {
            throw new UserException("cannot read tensor " + name + " of " + path + ": " + describe(e), e);
        }
        return out;
    }

    /**
     * A fingerprint of the file for run identities, cheap even for a 8 GB model: SHA-256 over the header (metadata
     * and tensor infos, the tokenizer included) and the first and last 4 KiB of every tensor's data.
     */
    public String contentHash() {
        java.security.MessageDigest md = org.rsafe.util.Hashing.sha256Digest();
        try {
            digestRange(md, 0, dataStart);
            for (TensorInfo t : tensors.values()) {
                long start = dataStart + t.offset();
                long n = t.byteSize();
                digestRange(md, start, Math.min(4096, n));
                digestRange(md, start + Math.max(0, n - 4096), Math.min(4096, n));
            }
        } catch (IOException e) {
            throw new UserException("cannot read " + path + ": " + e.getMessage(), e);
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    private void digestRange(java.security.MessageDigest md, long from, long length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        long pos = from;
        long end = from + length;
        while (pos < end) {
            buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new EOFException();
            }
            buf.flip();
            md.update(buf);
            pos += n;
        }
    }

    /** llama.cpp's name of general.file_type ({@code f32}, {@code f16}, {@code q8_0}, ...), or the number. */
    public String fileTypeName() {
        long t = metadata.integer("general.file_type").orElse(-1L);
        for (Qwen2GgufConverter.FileType ft : Qwen2GgufConverter.FileType.values()) {
            if (ft.fileTypeId() == t) {
                return ft.cliName();
            }
        }
        return t < 0 ? "unknown" : "type " + t;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was written
        }
    }

    /** Buffered little-endian reading from a channel, bounded by the file's size. */
    private static final class Input {
        private final FileChannel ch;
        private final long size;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private long bufStart;

        Input(FileChannel ch, long size) {
            this.ch = ch;
            this.size = size;
            buf.limit(0);
        }

        long position() {
            return bufStart + buf.position();
        }

        long remaining() {
            return size - position();
        }

        private void need(int n) throws IOException {
            if (buf.remaining() >= n) {
                return;
            }
            long pos = position();
            if (pos + n > size) {
                throw new EOFException();
            }
            // The unread bytes move to the front of the buffer: index 0 is now the file's offset pos.
            buf.compact();
            bufStart = pos;
            while (buf.position() < n) {
                if (ch.read(buf, bufStart + buf.position()) < 0) {
                    throw new EOFException();
                }
            }
            buf.flip();
        }

        long u32() throws IOException {
            need(4);
            return buf.getInt() & 0xFFFFFFFFL;
        }

        long u64() throws IOException {
            need(8);
            return buf.getLong();
        }

        String string() throws IOException {
            long len = u64();
            if (len < 0 || len > remaining()) {
                throw new EOFException();
            }
            byte[] b = new byte[(int) len];
            int done = 0;
            while (done < len) {
                int n = (int) Math.min(buf.capacity() / 2, len - done);
                need(n);
                buf.get(b, done, n);
                done += n;
            }
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                // Token texts may be partial UTF-8 sequences in some vocabularies: keep them readable.
                return new String(b, StandardCharsets.UTF_8);
            }
        }

        Object scalar(GgufMetadata.ValueType type) throws IOException {
            switch (type) {
                case UINT8, INT8, BOOL -> {
                    need(1);
                    byte b = buf.get();
                    return type == GgufMetadata.ValueType.BOOL ? (Object) (b != 0)
                            : (Object) (long) (type == GgufMetadata.ValueType.UINT8 ? b & 0xFF : b);
                }
                case UINT16, INT16 -> {
                    need(2);
                    short s = buf.getShort();
                    return (long) (type == GgufMetadata.ValueType.UINT16 ? s & 0xFFFF : s);
                }
                case UINT32 -> {
                    return u32();
                }
                case INT32 -> {
                    need(4);
                    return (long) buf.getInt();
                }
                case UINT64, INT64 -> {
                    return u64();
                }
                case FLOAT32 -> {
                    need(4);
                    return buf.getFloat();
                }
                case FLOAT64 -> {
                    need(8);
                    return buf.getDouble();
                }
                case STRING -> {
                    return string();
                }
                default -> throw new IllegalStateException(type.name());
            }
        }
    }
}
