package org.rsafe.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The one archive layout a bundle may have: given its files (in order) and its creation time, every byte of the zip is
 * fixed. The signature covers the manifest, and the manifest the files' hashes; the archive's own bytes (headers,
 * times, attributes, the central directory) are covered by requiring the archive to be byte for byte this layout, so
 * a zip reader's leniency (fields it ignores, data descriptors, deflate streams that inflate alike) leaves no byte
 * that can change unnoticed.
 *
 * <p>Entries are stored uncompressed, so the layout does not depend on the zlib that wrote it. Archives from earlier
 * versions (deflated, times in the exporter's time zone) are recognised by rebuilding them the same way.
 */
final class CanonicalArchive {
    private CanonicalArchive() { }

    /** Writes the canonical archive of {@code files} (in order) created at {@code when} to {@code out}. */
    static void write(OutputStream out, List<Map.Entry<String, byte[]>> files, Instant when) throws IOException {
        write(out, files, when, ZipEntry.STORED, ZoneOffset.UTC);
    }

    private static void write(OutputStream out, List<Map.Entry<String, byte[]>> files, Instant when, int method,
                              ZoneId zone) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        LocalDateTime time = LocalDateTime.ofInstant(when, zone);
        for (Map.Entry<String, byte[]> f : files) {
            ZipEntry e = new ZipEntry(f.getKey());
            e.setTimeLocal(time);
            if (method == ZipEntry.STORED) {
                CRC32 crc = new CRC32();
                crc.update(f.getValue());
                e.setMethod(ZipEntry.STORED);
                e.setSize(f.getValue().length);
                e.setCompressedSize(f.getValue().length);
                e.setCrc(crc.getValue());
            }
            zip.putNextEntry(e);
            zip.write(f.getValue());
            zip.closeEntry();
        }
        zip.finish();
    }

    /**
     * True when {@code archive} is exactly the canonical archive of its own entries (in its order) at {@code when},
     * or the layout an earlier version wrote for them.
     */
    static boolean isCanonical(byte[] archive, List<Map.Entry<String, byte[]>> files, Instant when) {
        if (archive.length < 30) {
            return false;
        }
        // The first local header's method picks the layout to rebuild: stored (this version) or deflated (earlier).
        int method = (archive[8] & 0xff) | (archive[9] & 0xff) << 8;
        if (method != ZipEntry.STORED && method != ZipEntry.DEFLATED) {
            return false;
        }
        ZoneId[] zones = method == ZipEntry.STORED ? new ZoneId[] {ZoneOffset.UTC}
                : new ZoneId[] {ZoneId.systemDefault(), ZoneOffset.UTC};
        for (ZoneId zone : zones) {
            ByteArrayOutputStream rebuilt = new ByteArrayOutputStream(archive.length);
            try {
                write(rebuilt, files, when, method, zone);
            } catch (IOException | IllegalArgumentException e) {
                return false;
            }
            if (Arrays.equals(rebuilt.toByteArray(), archive)) {
                return true;
            }
        }
        return false;
    }
}
