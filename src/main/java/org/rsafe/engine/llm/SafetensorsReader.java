package org.rsafe.engine.llm;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.FloatFormats;
import org.rsafe.util.SourcePos;
import org.rsafe.util.UserException;

/**
 * Reads the tensors of one safetensors file or of a sharded set (through {@code model.safetensors.index.json})
 * as float32, parsing and checking the headers itself and memory-mapping only the byte range of the tensor
 * being read, so files and tensors over 2 GB work and BF16 never reaches native code.
 */
public final class SafetensorsReader implements TensorSource {
    /** Single-file checkpoint name used by transformers. */
    public static final String SINGLE_FILE = "model.safetensors";
    /** Shard index name used by transformers. */
    public static final String INDEX_FILE = "model.safetensors.index.json";
    /** The safetensors reference implementation refuses headers above 100 MB; so do we. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    /** Largest slice mapped at once: well under the 2 GB limit of one MappedByteBuffer. */
    static final int MAP_CHUNK_BYTES = 1 << 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where one tensor's bytes live: absolute positions in its file. */
    public record Location(Path file, SafetensorsDtype dtype, List<Long> shape, long begin, long end) { }

    private final String where;
    private final Map<String, Location> tensors;
    private final Map<Path, FileChannel> channels;
    private final Map<String, String> metadata;
    private volatile int mapChunkBytes = MAP_CHUNK_BYTES;

    private SafetensorsReader(String where, Map<String, Location> tensors, Map<Path, FileChannel> channels,
                              Map<String, String> metadata) {
        this.where = where;
        this.tensors = tensors;
        this.channels = channels;
        this.metadata = metadata;
    }

    /**
     * Opens the checkpoint of a model folder: the shards named by {@value #INDEX_FILE} when present, else
     * {@value #SINGLE_FILE}. A path to a single {@code .safetensors} file is accepted too.
     */
    public static SafetensorsReader open(Path modelDir) {
        if (Files.isRegularFile(modelDir)) {
            return openFile(modelDir);
        }
        if (!Files.isDirectory(modelDir)) {
            throw new UserException("model folder " + modelDir + " does not exist");
        }
        Path index = modelDir.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return openSharded(index);
        }
        Path single = modelDir.resolve(SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            return openFile(single);
        }
        String hint = Files.exists(modelDir.resolve("pytorch_model.bin"))
                || Files.exists(modelDir.resolve("pytorch_model.bin.index.json"))
                ? " (found PyTorch .bin weights: only safetensors checkpoints are supported; convert them with "
                  + "transformers' save_pretrained(safe_serialization=True))"
                : "";
        throw new UserException("no " + SINGLE_FILE + " or " + INDEX_FILE + " in " + modelDir + hint);
    }

    /** Opens one safetensors file. */
    public static SafetensorsReader openFile(Path file) {
        Map<Path, FileChannel> channels = new LinkedHashMap<>();
        try {
            Header h = readHeader(file, channels);
            return new SafetensorsReader(file.toString(), Collections.unmodifiableMap(h.tensors), channels, h.metadata);
        } catch (RuntimeException e) {
            closeAll(channels);
            throw e;
        }
    }

    private static SafetensorsReader openSharded(Path index) {
        JsonNode root = readJson(index);
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new UserException(index + ": no \"weight_map\" object naming the shard of each tensor");
        }
        Path dir = index.getParent();
        // Shard -> tensors the index says live there, in index order.
        Map<String, List<String>> byShard = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            if (!e.getValue().isTextual()) {
                throw new UserException(index + ": weight_map entry for tensor " + e.getKey() + " is not a file name");
            }
            byShard.computeIfAbsent(e.getValue().asText(), k -> new ArrayList<>()).add(e.getKey());
        }
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byShard.entrySet()) {
            Path shard = dir.resolve(e.getKey()).normalize();
            if (!shard.startsWith(dir.normalize()) || !Files.isRegularFile(shard)) {
                missing.add(e.getKey() + " (named for " + e.getValue().size() + " tensors, e.g. " + e.getValue().get(0) + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new UserException(index + " references shard files missing from " + dir + ": "
                    + String.join(", ", missing));
        }
        Map<Path, FileChannel> channels = new LinkedHashMap<>();
        try {
            Map<String, Location> all = new LinkedHashMap<>();
            Map<String, String> metadata = null;
            for (Map.Entry<String, List<String>> e : byShard.entrySet()) {
                Path shard = dir.resolve(e.getKey());
                Header h = readHeader(shard, channels);
                if (metadata == null) {
                    metadata = h.metadata;
                }
                for (String name : e.getValue()) {
                    if (!h.tensors.containsKey(name)) {
                        throw new UserException(index + " places tensor " + name + " in " + e.getKey()
                                + ", but that file does not contain it");
                    }
                }
                for (Map.Entry<String, Location> t : h.tensors.entrySet()) {
                    Location prev = all.putIfAbsent(t.getKey(), t.getValue());
                    if (prev != null) {
                        throw new UserException("tensor " + t.getKey() + " is stored twice: in "
                                + prev.file().getFileName() + " and in " + shard.getFileName());
                    }
                }
            }
            return new SafetensorsReader(dir.toString(), Collections.unmodifiableMap(all), channels,
                    metadata == null ? Map.of() : metadata);
        } catch (RuntimeException e) {
            closeAll(channels);
            throw e;
        }
    }

    private record Header(Map<String, Location> tensors, Map<String, String> metadata) { }

    private static Header readHeader(Path file, Map<Path, FileChannel> channels) {
        FileChannel ch;
        long size;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            channels.put(file, ch);
            size = ch.size();
        } catch (IOException e) {
            throw new UserException("cannot open " + file + ": " + e.getMessage(), e);
        }
        if (size < 8) {
            throw new UserException(file + ": truncated: " + size + " bytes, too short for a safetensors header");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0, file);
        long headerLen = lenBuf.getLong(0);
        if (headerLen <= 1 || headerLen > MAX_HEADER_BYTES) {
            throw new UserException(file + ": header length " + headerLen
                    + " is absurd (not a safetensors file, or corrupted)");
        }
        if (8 + headerLen > size) {
            throw new UserException(file + ": truncated: the header needs " + (8 + headerLen)
                    + " bytes but the file has " + size);
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        readFully(ch, hb, 8, file);
        String text = new String(hb.array(), StandardCharsets.UTF_8);
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String at = loc == null ? "" : " at header line " + loc.getLineNr() + " column " + loc.getColumnNr();
            throw new UserException(file + ": header is not valid JSON" + at + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new UserException(file + ": header is not a JSON object");
        }
        long dataStart = 8 + headerLen;
        long dataSize = size - dataStart;
        Map<String, Location> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (name.equals("__metadata__")) {
                if (v.isObject()) {
                    v.properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
                }
                continue;
            }
            tensors.put(name, parseEntry(file, name, v, dataStart, dataSize));
        }
        checkNoOverlap(file, tensors);
        return new Header(tensors, Collections.unmodifiableMap(metadata));
    }

    private static Location parseEntry(Path file, String name, JsonNode v, long dataStart, long dataSize) {
        String ctx = "tensor " + name + " in " + file;
        if (!v.isObject()) {
            throw new UserException(ctx + ": header entry is not an object");
        }
        JsonNode dt = v.get("dtype");
        if (dt == null || !dt.isTextual()) {
            throw new UserException(ctx + ": header entry has no \"dtype\"");
        }
        SafetensorsDtype dtype = SafetensorsDtype.parse(dt.asText()).orElseThrow(() -> new UserException(
                SafetensorsDtype.isKnownUnsupported(dt.asText())
                        ? ctx + ": dtype " + dt.asText() + " is a safetensors type this project does not support; "
                                + "weights must be F32, F16, BF16 or F64 (convert the model, e.g. to BF16)"
                        : ctx + ": unknown dtype \"" + dt.asText() + "\" (expected one of F32, F16, BF16, F64, I64, ...)"));
        JsonNode sh = v.get("shape");
        if (sh == null || !sh.isArray()) {
            throw new UserException(ctx + ": header entry has no \"shape\" array");
        }
        List<Long> shape = new ArrayList<>();
        long count = 1;
        for (JsonNode d : sh) {
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
                throw new UserException(ctx + ": shape " + sh + " has a dimension that is not a non-negative integer");
            }
            shape.add(d.asLong());
            try {
                count = Math.multiplyExact(count, d.asLong());
            } catch (ArithmeticException e) {
                throw new UserException(ctx + ": shape " + sh + " has more elements than a file can hold");
            }
        }
        JsonNode off = v.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).isIntegralNumber()
                || !off.get(1).isIntegralNumber() || !off.get(0).canConvertToLong() || !off.get(1).canConvertToLong()) {
            throw new UserException(ctx + ": \"data_offsets\" must be [begin, end]");
        }
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        if (begin < 0 || end < begin) {
            throw new UserException(ctx + ": data_offsets [" + begin + ", " + end + "] are not a valid range");
        }
        long expected = count > Long.MAX_VALUE / dtype.size() ? -1 : count * dtype.size();
        if (end - begin != expected) {
            throw new UserException(ctx + ": data_offsets span " + (end - begin) + " bytes but shape " + shape
                    + " of " + dtype + " needs " + expected);
        }
        if (end > dataSize) {
            throw new UserException(ctx + ": truncated file: the tensor's data ends at byte " + (dataStart + end)
                    + " but the file has only " + (dataStart + dataSize) + " bytes (incomplete download?)");
        }
        return new Location(file, dtype, List.copyOf(shape), dataStart + begin, dataStart + end);
    }

    private static void checkNoOverlap(Path file, Map<String, Location> tensors) {
        List<Map.Entry<String, Location>> sorted = new ArrayList<>(tensors.entrySet());
        sorted.sort(Comparator.comparingLong((Map.Entry<String, Location> e) -> e.getValue().begin())
                .thenComparingLong(e -> e.getValue().end()));
        Map.Entry<String, Location> prev = null;
        for (Map.Entry<String, Location> e : sorted) {
            if (e.getValue().begin() == e.getValue().end()) {
                continue;
            }
            if (prev != null && e.getValue().begin() < prev.getValue().end()) {
                throw new UserException(file + ": tensors " + prev.getKey() + " and " + e.getKey()
                        + " overlap in the data buffer (corrupted header)");
            }
            prev = e;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path file) {
        try {
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos + buf.position());
                if (n < 0) {
                    throw new UserException(file + ": truncated while reading the header");
                }
            }
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(org.rsafe.util.BoundedFiles.readUtf8(file, org.rsafe.util.BoundedFiles.SETTINGS_JSON_BYTES,
                    "a JSON settings file"));
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            SourcePos pos = loc == null || loc.getLineNr() <= 0 ? SourcePos.UNKNOWN
                    : new SourcePos(loc.getLineNr(), Math.max(1, loc.getColumnNr()));
            throw new UserException(List.of(Diagnostic.error(file.toString(), pos, null,
                    "invalid JSON: " + e.getOriginalMessage())));
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Lets tests exercise the multi-map path of tensors over 1 GB with small tensors. */
    SafetensorsReader withMapChunkBytes(int bytes) {
        this.mapChunkBytes = bytes;
        return this;
    }

    /** The folder or file this reader was opened on (for messages). */
    public String where() {
        return where;
    }

    /** The shard files, in the order they were opened. */
    public List<Path> files() {
        return List.copyOf(channels.keySet());
    }

    /** The {@code __metadata__} map of the first file (e.g. {@code format=pt}). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Byte positions and stored type of a tensor (used for hashing headers without reading weights). */
    public Location location(String name) {
        Location loc = tensors.get(name);
        if (loc == null) {
            throw new UserException("no tensor " + name + " in " + where);
        }
        return loc;
    }

    /** Every tensor's location, sorted by name. */
    public Map<String, Location> locations() {
        return Collections.unmodifiableMap(new TreeMap<>(tensors));
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(tensors.keySet()));
    }

    @Override
    public TensorInfo info(String name) {
        Location loc = location(name);
        return new TensorInfo(name, loc.dtype().name(), loc.shape(), loc.file().getFileName().toString());
    }

    @Override
    public float[] readFloats(String name) {
        Location loc = location(name);
        long n = (loc.end() - loc.begin()) / loc.dtype().size();
        if (n > Integer.MAX_VALUE - 16) {
            throw new UserException("tensor " + name + " in " + loc.file() + " has " + n
                    + " elements, too many for one Java array; read it with readInto");
        }
        float[] out = new float[(int) n];
        readInto(name, FloatBuffer.wrap(out));
        return out;
    }

    @Override
    public void readInto(String name, FloatBuffer dst) {
        Location loc = location(name);
        int size = loc.dtype().size();
        long n = (loc.end() - loc.begin()) / size;
        if (dst.remaining() < n) {
            throw new IllegalArgumentException("buffer has room for " + dst.remaining() + " floats, tensor "
                    + name + " has " + n);
        }
        if (!loc.dtype().isFloat()) {
            throw new UserException("tensor " + name + " in " + loc.file() + " is stored as " + loc.dtype()
                    + ", not a floating-point type; it cannot be used as a weight");
        }
        FileChannel ch = channels.get(loc.file());
        if (ch == null || !ch.isOpen()) {
            throw new IllegalStateException("reader for " + where + " is closed");
        }
        // Chunks hold whole elements, so no value straddles two maps.
        long chunkBytes = Math.max(1, mapChunkBytes / size) * (long) size;
        for (long pos = loc.begin(); pos < loc.end(); pos += chunkBytes) {
            long len = Math.min(chunkBytes, loc.end() - pos);
            MappedByteBuffer map;
            try {
                map = ch.map(FileChannel.MapMode.READ_ONLY, pos, len);
            } catch (IOException e) {
                throw new UserException("cannot map tensor " + name + " in " + loc.file() + ": " + e.getMessage(), e);
            }
            map.order(ByteOrder.LITTLE_ENDIAN);
            convert(map, loc.dtype(), dst);
        }
    }

    private static void convert(ByteBuffer src, SafetensorsDtype dtype, FloatBuffer dst) {
        switch (dtype) {
            case F32 -> dst.put(src.asFloatBuffer());
            case F64 -> {
                var d = src.asDoubleBuffer();
                while (d.hasRemaining()) {
                    dst.put((float) d.get());
                }
            }
            case BF16, F16 -> {
                ShortBuffer s = src.asShortBuffer();
                short[] block = new short[Math.min(1 << 16, s.remaining())];
                float[] out = new float[block.length];
                boolean bf16 = dtype == SafetensorsDtype.BF16;
                while (s.hasRemaining()) {
                    int k = Math.min(block.length, s.remaining());
                    s.get(block, 0, k);
                    for (int i = 0; i < k; i++) {
                        out[i] = bf16 ? FloatFormats.bf16ToFloat(block[i]) : FloatFormats.halfToFloat(block[i]);
                    }
                    dst.put(out, 0, k);
                }
            }
            default -> throw new IllegalStateException("not a float dtype: " + dtype);
        }
    }

    @Override
    public void close() {
        closeAll(channels);
    }

    private static void closeAll(Map<Path, FileChannel> channels) {
        for (FileChannel ch : channels.values()) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Read-only channel: nothing to lose on a failed close.
            }
        }
    }
}
