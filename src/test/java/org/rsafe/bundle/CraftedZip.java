package org.rsafe.bundle;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes zip archives byte by byte for tests, including ones no well-behaved tool would write: names with
 * {@code ..} or drive letters, symbolic links, sizes that lie, entries that overlap.
 */
final class CraftedZip {
    static final int UNIX_MADE_BY = (3 << 8) | 20;
    static final long REGULAR_FILE = 0100644L << 16;
    static final long SYMLINK = 0120777L << 16;

    /** One entry as it will be written. */
    static final class Item {
        final String name;
        final byte[] data;
        boolean deflate;
        int madeBy = UNIX_MADE_BY;
        long external = REGULAR_FILE;
        Long declaredSize;

        Item(String name, byte[] data) {
            this.name = name;
            this.data = data;
        }
    }

    private final List<Item> items = new ArrayList<>();

    CraftedZip add(String name, byte[] data) {
        items.add(new Item(name, data));
        return this;
    }

    CraftedZip add(String name, String text) {
        return add(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds an entry and returns it for adjusting. */
    Item item(String name, byte[] data) {
        Item i = new Item(name, data);
        items.add(i);
        return i;
    }

    /** Every entry of a real archive, by name, in order. */
    static CraftedZip of(Map<String, byte[]> files) {
        CraftedZip z = new CraftedZip();
        files.forEach((n, d) -> z.item(n, d).deflate = true);
        return z;
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        for (Item i : items) {
            byte[] name = i.name.getBytes(StandardCharsets.UTF_8);
            byte[] stored = i.deflate ? deflate(i.data) : i.data;
            CRC32 crc = new CRC32();
            crc.update(i.data);
            long size = i.declaredSize != null ? i.declaredSize : i.data.length;
            int offset = out.size();
            write(out, local(name, i.deflate ? 8 : 0, crc.getValue(), stored.length, size));
            out.writeBytes(name);
            out.writeBytes(stored);
            write(central, centralRecord(name, i, crc.getValue(), stored.length, size, offset));
            central.writeBytes(name);
        }
        int cdOffset = out.size();
        byte[] cd = central.toByteArray();
        out.writeBytes(cd);
        write(out, end(items.size(), cd.length, cdOffset));
        return out.toByteArray();
    }

    /**
     * Two stored entries where the first one's data is the second one's whole local record: the ranges overlap,
     * the construction behind non-recursive zip bombs.
     */
    static byte[] overlapping() {
        byte[] innerName = "b.txt".getBytes(StandardCharsets.UTF_8);
        byte[] innerData = "inner".getBytes(StandardCharsets.UTF_8);
        CRC32 innerCrc = new CRC32();
        innerCrc.update(innerData);
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        write(inner, local(innerName, 0, innerCrc.getValue(), innerData.length, innerData.length));
        inner.writeBytes(innerName);
        inner.writeBytes(innerData);
        byte[] outerData = inner.toByteArray();
        byte[] outerName = "a.txt".getBytes(StandardCharsets.UTF_8);
        CRC32 outerCrc = new CRC32();
        outerCrc.update(outerData);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, local(outerName, 0, outerCrc.getValue(), outerData.length, outerData.length));
        out.writeBytes(outerName);
        int innerOffset = out.size();
        out.writeBytes(outerData);
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        Item a = new Item("a.txt", outerData);
        Item b = new Item("b.txt", innerData);
        write(central, centralRecord(outerName, a, outerCrc.getValue(), outerData.length, outerData.length, 0));
        central.writeBytes(outerName);
        write(central, centralRecord(innerName, b, innerCrc.getValue(), innerData.length, innerData.length, innerOffset));
        central.writeBytes(innerName);
        int cdOffset = out.size();
        byte[] cd = central.toByteArray();
        out.writeBytes(cd);
        write(out, end(2, cd.length, cdOffset));
        return out.toByteArray();
    }

    /**
     * The archive the exporter itself would write for these files, at the time the manifest among them names (or
     * {@code fallbackManifest}'s when the files hold none): what a forger with this project's code produces.
     */
    static byte[] canonical(Map<String, byte[]> files, byte[] fallbackManifest) {
        try {
            java.time.Instant when;
            try {
                when = java.time.Instant.parse(org.rsafe.trace.JudgementJson.mapper()
                        .readTree(files.getOrDefault("manifest.json", fallbackManifest)).path("created").asText());
            } catch (java.io.IOException | RuntimeException damagedManifest) {
                when = java.time.Instant.parse(org.rsafe.trace.JudgementJson.mapper().readTree(fallbackManifest)
                        .path("created").asText());
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            CanonicalArchive.write(out, new java.util.ArrayList<>(files.entrySet()), when);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The entries of an archive the JDK can read, for rebuilding it with changes. */
    static Map<String, byte[]> entries(byte[] archive) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (SafeZip.Entry e : SafeZip.read(archive, ZipLimits.DEFAULT)) {
            out.put(e.name(), e.data());
        }
        return out;
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    private static ByteBuffer local(byte[] name, int method, long crc, long compressed, long size) {
        ByteBuffer b = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x0800).putShort((short) method)
         .putShort((short) 0).putShort((short) 0x21).putInt((int) crc).putInt((int) compressed).putInt((int) size)
         .putShort((short) name.length).putShort((short) 0);
        return b;
    }

    private static ByteBuffer centralRecord(byte[] name, Item i, long crc, long compressed, long size, int offset) {
        ByteBuffer b = ByteBuffer.allocate(46).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x02014b50).putShort((short) i.madeBy).putShort((short) 20).putShort((short) 0x0800)
         .putShort((short) (i.deflate ? 8 : 0)).putShort((short) 0).putShort((short) 0x21).putInt((int) crc)
         .putInt((int) compressed).putInt((int) size).putShort((short) name.length).putShort((short) 0)
         .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt((int) i.external).putInt(offset);
        return b;
    }

    private static ByteBuffer end(int entries, int cdSize, int cdOffset) {
        ByteBuffer b = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries)
         .putShort((short) entries).putInt(cdSize).putInt(cdOffset).putShort((short) 0);
        return b;
    }

    private static void write(ByteArrayOutputStream out, ByteBuffer b) {
        out.write(b.array(), 0, b.position());
    }
}
