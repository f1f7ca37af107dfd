package org.rsafe.engine.quick;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.Hashing;

/**
 * Encoder outputs keyed by model hash, embedding scheme and SHA-256 of the text, so a text is encoded
 * once per model, ever. Kept in memory (bounded, least recently used out first) and, when a folder is
 * given, on disk, because every CLI call is a new process and re-judging a data set after a policy edit
 * should cost no forward pass at all.
 *
 * <p>Disk layout: {@code <folder>/<first 16 hex digits of the model hash>/seg-*.rsqc}. Each flush writes
 * the new entries as one new segment through {@link AtomicFiles} (temporary file, fsync, rename), so
 * concurrent processes never see a half-written segment and never write the same file. Beyond the size
 * cap the oldest segments are deleted; when segments pile up they are merged into one. Unreadable
 * segments are skipped: this is a cache, a miss only costs time. Thread-safe.
 */
public final class InputEmbeddingCache implements AutoCloseable {
    private static final int MAGIC = 0x52535143;   // "RSQC"
    private static final int FORMAT = 1;
    private static final int HEADER_BYTES = 16;
    private static final int KEY_BYTES = 32;
    private static final int VECTOR_BYTES = SentenceEncoder.DIMENSION * Float.BYTES;
    private static final int MAX_SEGMENTS = 48;
    private static final long MEMORY_MAX_BYTES = 256L << 20;

    private final Path dir;
    private final long maxBytes;
    private final Map<String, TextEmbedding> memory = new LinkedHashMap<>(1024, 0.75f, true);
    private long memoryBytes;
    private final Map<String, TextEmbedding> pending = new LinkedHashMap<>();
    private final Map<String, Location> index = new HashMap<>();
    private final List<Segment> segments = new ArrayList<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    private record Segment(Path file, long bytes, FileChannel channel) { }

    private record Location(Segment segment, long offset, int length) { }

    private InputEmbeddingCache(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    /** A cache that lives as long as this object. */
    public static InputEmbeddingCache inMemory() {
        return new InputEmbeddingCache(null, 0);
    }

    /** A cache backed by {@code folder} for the given model; existing segments are indexed now. */
    public static InputEmbeddingCache open(Path folder, String modelHash, long maxBytes) {
        Path dir = folder.resolve(modelHash.substring(0, Math.min(16, modelHash.length())));
        InputEmbeddingCache cache = new InputEmbeddingCache(dir, maxBytes);
        cache.loadIndex();
        return cache;
    }

    /** The cache key of a text: SHA-256 over model hash, scheme (what was computed) and text. */
    public static String key(String modelHash, String scheme, String text) {
        return Hashing.sha256(modelHash + '\u0000' + scheme + '\u0000' + text);
    }

    public long hits() {
        return hits.get();
    }

    public long misses() {
        return misses.get();
    }

    /** The folder holding this model's segments, or null for a memory-only cache. */
    public Path folder() {
        return dir;
    }

    public synchronized long diskBytes() {
        return segments.stream().mapToLong(Segment::bytes).sum();
    }

    public synchronized int segmentCount() {
        return segments.size();
    }

    /** The cached embedding, or null (counted as a miss). */
    public TextEmbedding get(String key) {
        Location loc;
        synchronized (this) {
            TextEmbedding e = memory.get(key);
            if (e == null) {
                e = pending.get(key);
            }
            if (e != null) {
                hits.incrementAndGet();
                return e;
            }
            loc = index.get(key);
        }
        if (loc != null) {
            TextEmbedding e = read(loc);
            if (e != null) {
                synchronized (this) {
                    remember(key, e);
                }
                hits.incrementAndGet();
                return e;
            }
        }
        misses.incrementAndGet();
        return null;
    }

    public synchronized void put(String key, TextEmbedding e) {
        remember(key, e);
        if (dir != null && !index.containsKey(key)) {
            pending.put(key, e);
        }
    }

    /** Adds every entry held in memory here to {@code target} (which writes them on its next flush). */
    synchronized void copyMemoryTo(InputEmbeddingCache target) {
        memory.forEach(target::put);
    }

    /** Writes the entries added since the last flush as one new segment; then applies the size cap. */
    public synchronized void flush() {
        if (dir == null || pending.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(dir);
            writeSegment(new ArrayList<>(pending.entrySet()));
            pending.clear();
            if (segments.size() > MAX_SEGMENTS) {
                compact();
            }
            enforceCap();
        } catch (IOException e) {
            // A cache that cannot be written (read-only home, full disk) must not fail the judgement.
            pending.clear();
        }
    }

    @Override
    public synchronized void close() {
        flush();
        for (Segment s : segments) {
            try {
                s.channel().close();
            } catch (IOException ignored) {
                // closing a read-only channel cannot lose data
            }
        }
        segments.clear();
        index.clear();
    }

    private void remember(String key, TextEmbedding e) {
        if (memory.put(key, e) == null) {
            memoryBytes += sizeOf(e);
        }
        Iterator<Map.Entry<String, TextEmbedding>> it = memory.entrySet().iterator();
        while (memoryBytes > MEMORY_MAX_BYTES && it.hasNext()) {
            memoryBytes -= sizeOf(it.next().getValue());
            it.remove();
        }
    }

    private static long sizeOf(TextEmbedding e) {
        return (long) (2 + e.spans().length) * VECTOR_BYTES + 64;
    }

    private void loadIndex() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "seg-*.rsqc")) {
            ds.forEach(files::add);
        } catch (IOException e) {
            return;
        }
        files.sort(null);   // names start with a zero-padded time stamp: oldest first
        for (Path f : files) {
            indexSegment(f);
        }
    }

    private void indexSegment(Path file) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES);
            readFully(ch, head, 0);
            head.flip();
            if (head.getInt() != MAGIC || head.getInt() != FORMAT || head.getInt() != SentenceEncoder.DIMENSION) {
                ch.close();
                return;
            }
            int count = head.getInt();
            Segment seg = new Segment(file, size, ch);
            Map<String, Location> found = new HashMap<>();
            long pos = HEADER_BYTES;
            ByteBuffer eh = ByteBuffer.allocate(KEY_BYTES + 4 + 1 + 2);
            for (int i = 0; i < count; i++) {
                eh.clear();
                readFully(ch, eh, pos);
                eh.flip();
                byte[] k = new byte[KEY_BYTES];
                eh.get(k);
                eh.getInt();
                eh.get();
                int vectors = eh.getShort();
                ByteBuffer flags = ByteBuffer.allocate(vectors);
                readFully(ch, flags, pos + eh.capacity());
                int present = 0;
                for (int v = 0; v < vectors; v++) {
                    present += flags.get(v) != 0 ? 1 : 0;
                }
                int length = eh.capacity() + vectors + present * VECTOR_BYTES;
                if (pos + length > size) {
                    ch.close();
                    return;
                }
                found.put(HexFormat.of().formatHex(k), new Location(seg, pos, length));
                pos += length;
            }
            if (pos != size) {
                ch.close();
                return;
            }
            segments.add(seg);
            index.putAll(found);
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // nothing more to release
                }
            }
        }
    }

    private TextEmbedding read(Location loc) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(loc.length());
            readFully(loc.segment().channel(), buf, loc.offset());
            buf.flip();
            buf.position(KEY_BYTES);
            int tokens = buf.getInt();
            boolean truncated = buf.get() != 0;
            int vectors = buf.getShort();
            byte[] present = new byte[vectors];
            buf.get(present);
            float[][] all = new float[vectors][];
            for (int v = 0; v < vectors; v++) {
                if (present[v] != 0) {
                    float[] x = new float[SentenceEncoder.DIMENSION];
                    buf.asFloatBuffer().get(x);
                    buf.position(buf.position() + VECTOR_BYTES);
                    all[v] = x;
                }
            }
            float[][] spans = new float[vectors - 2][];
            System.arraycopy(all, 2, spans, 0, spans.length);
            return new TextEmbedding(all[0], all[1], spans, truncated, tokens);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        long p = pos;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) {
                throw new IOException("segment ends early");
            }
            p += n;
        }
    }

    private void writeSegment(List<Map.Entry<String, TextEmbedding>> entries) throws IOException {
        String name = String.format("seg-%015d-%08x.rsqc", System.currentTimeMillis(),
                ThreadLocalRandom.current().nextInt());
        Path file = dir.resolve(name);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeInt(SentenceEncoder.DIMENSION);
        out.writeInt(entries.size());
        List<long[]> spans = new ArrayList<>();
        for (Map.Entry<String, TextEmbedding> en : entries) {
            long start = out.size();
            TextEmbedding e = en.getValue();
            out.write(HexFormat.of().parseHex(en.getKey()));
            out.writeInt(e.tokens());
            out.writeByte(e.truncated() ? 1 : 0);
            float[][] vectors = new float[2 + e.spans().length][];
            vectors[0] = e.whole();
            vectors[1] = e.mean();
            System.arraycopy(e.spans(), 0, vectors, 2, e.spans().length);
            out.writeShort(vectors.length);
            for (float[] v : vectors) {
                out.writeByte(v == null ? 0 : 1);
            }
            for (float[] v : vectors) {
                if (v != null) {
                    for (float x : v) {
                        out.writeFloat(x);
                    }
                }
            }
            spans.add(new long[] {start, out.size() - start});
        }
        out.flush();
        byte[] data = bytes.toByteArray();
        AtomicFiles.write(file, o -> o.write(data));
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        Segment seg = new Segment(file, data.length, ch);
        segments.add(seg);
        for (int i = 0; i < entries.size(); i++) {
            index.put(entries.get(i).getKey(), new Location(seg, spans.get(i)[0], (int) spans.get(i)[1]));
        }
    }

    /** Merges every live entry into one new segment and deletes the old ones. */
    private void compact() throws IOException {
        List<Map.Entry<String, TextEmbedding>> live = new ArrayList<>();
        for (Map.Entry<String, Location> en : index.entrySet()) {
            TextEmbedding e = read(en.getValue());
            if (e != null) {
                live.add(Map.entry(en.getKey(), e));
            }
        }
        List<Segment> old = new ArrayList<>(segments);
        segments.clear();
        index.clear();
        writeSegment(live);
        for (Segment s : old) {
            drop(s);
        }
    }

    private void enforceCap() {
        long total = diskBytes();
        while (total > maxBytes && segments.size() > 1) {
            Segment oldest = segments.remove(0);
            total -= oldest.bytes();
            index.values().removeIf(l -> l.segment() == oldest);
            drop(oldest);
        }
    }

    private static void drop(Segment s) {
        try {
            s.channel().close();
            Files.deleteIfExists(s.file());
        } catch (IOException ignored) {
            // another process removed it first, or the folder is read-only: the cap is best effort
        }
    }
}
