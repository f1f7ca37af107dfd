package org.rsafe.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a zip archive defensively, for bundles that may come from anyone. It parses the central directory itself
 * (the JDK's readers do not expose the Unix file type, so they cannot tell a link from a file) and refuses, naming
 * the entry and the reason:
 * <ul>
 *   <li>names that could leave the target folder or mean different things on different systems: {@code ..} or
 *       {@code .} segments, absolute paths, drive letters, backslashes, colons, control characters, empty segments,
 *       names equal apart from letter case;</li>
 *   <li>links and special files (by the Unix file type in the external attributes);</li>
 *   <li>more entries, or more expanded bytes per entry or in all, than {@link ZipLimits} allow — counted while
 *       inflating, whatever sizes the archive declares;</li>
 *   <li>anything inconsistent: local and central headers that disagree, sizes or CRC-32 that do not match the data,
 *       entries that overlap (a known zip-bomb construction), encryption, compression other than stored or deflated,
 *       multi-disk and zip64 archives, data after the end record.</li>
 * </ul>
 */
public final class SafeZip {

    /** One file or folder of an archive, fully read. */
    public record Entry(String name, byte[] data, boolean directory, long dataOffset, long compressedSize) {
        public Entry {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        /** The data without a defensive copy, for reading within this package. */
        byte[] dataUnsafe() {
            return data;
        }
    }

    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_RECORD = 0x06054b50;
    private static final int END_RECORD_SIZE = 22;
    private static final int UNIX_HOST = 3;
    private static final int TYPE_MASK = 0170000;
    private static final int TYPE_LINK = 0120000;
    private static final int TYPE_DIR = 0040000;
    private static final int TYPE_FILE = 0100000;

    private SafeZip() { }

    /** Reads an archive file; refuses one larger than {@code limits.maxArchiveBytes()} without reading it. */
    public static List<Entry> read(Path file, ZipLimits limits) throws IOException, UnsafeArchiveException {
        long size = Files.size(file);
        if (size > limits.maxArchiveBytes()) {
            throw new UnsafeArchiveException("the archive is " + size + " bytes; at most " + limits.maxArchiveBytes()
                    + " are accepted");
        }
        return read(Files.readAllBytes(file), limits);
    }

    /** Reads an archive held in memory. */
    public static List<Entry> read(byte[] archive, ZipLimits limits) throws UnsafeArchiveException {
        if (archive.length > limits.maxArchiveBytes()) {
            throw new UnsafeArchiveException("the archive is " + archive.length + " bytes; at most "
                    + limits.maxArchiveBytes() + " are accepted");
        }
        ByteBuffer buf = ByteBuffer.wrap(archive).order(ByteOrder.LITTLE_ENDIAN);
        int end = findEndRecord(buf);
        int disk = u16(buf, end + 4);
        int cdDisk = u16(buf, end + 6);
        int entriesHere = u16(buf, end + 8);
        int entries = u16(buf, end + 10);
        long cdSize = u32(buf, end + 12);
        long cdOffset = u32(buf, end + 16);
        int commentLength = u16(buf, end + 20);
        if (disk != 0 || cdDisk != 0 || entriesHere != entries) {
            throw new UnsafeArchiveException("multi-disk archives are not supported");
        }
        if (entries == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
            throw new UnsafeArchiveException("zip64 archives are not supported (a bundle is never that large)");
        }
        if (end + END_RECORD_SIZE + commentLength != archive.length) {
            throw new UnsafeArchiveException("unexpected data after the end of the archive");
        }
        if (entries > limits.maxEntries()) {
            throw new UnsafeArchiveException("the archive has " + entries + " entries; at most " + limits.maxEntries()
                    + " are accepted");
        }
        if (cdOffset + cdSize != end) {
            throw new UnsafeArchiveException("the central directory is not where the end record says");
        }

        List<Header> headers = new ArrayList<>(entries);
        Set<String> seen = new HashSet<>();
        int p = (int) cdOffset;
        for (int i = 0; i < entries; i++) {
            need(archive, p, 46, "central directory");
            if (buf.getInt(p) != CENTRAL_HEADER) {
                throw new UnsafeArchiveException("damaged central directory (entry " + (i + 1) + ")");
            }
            Header h = new Header();
            h.madeBy = u16(buf, p + 4);
            h.flags = u16(buf, p + 8);
            h.method = u16(buf, p + 10);
            h.time = u16(buf, p + 12);
            h.date = u16(buf, p + 14);
            h.crc = u32(buf, p + 16);
            h.compressedSize = u32(buf, p + 20);
            h.size = u32(buf, p + 24);
            int nameLength = u16(buf, p + 28);
            int extraLength = u16(buf, p + 30);
            int entryCommentLength = u16(buf, p + 32);
            h.external = u32(buf, p + 38);
            h.localOffset = u32(buf, p + 42);
            need(archive, p + 46, nameLength + extraLength + entryCommentLength, "central directory");
            byte[] rawName = new byte[nameLength];
            System.arraycopy(archive, p + 46, rawName, 0, nameLength);
            h.rawName = rawName;
            h.name = decodeName(rawName);
            p += 46 + nameLength + extraLength + entryCommentLength;
            if (p > end) {
                throw new UnsafeArchiveException("damaged central directory (entry " + (i + 1) + ")");
            }
            checkName(h.name, limits);
            if (!seen.add(h.name.toLowerCase(Locale.ROOT))) {
                throw new UnsafeArchiveException(h.name + ": appears twice (names may differ only in letter case)");
            }
            checkType(h);
            if ((h.flags & 1) != 0) {
                throw new UnsafeArchiveException(h.name + ": encrypted entries are not supported");
            }
            if (h.method != 0 && h.method != 8) {
                throw new UnsafeArchiveException(h.name + ": compression method " + h.method
                        + " is not supported (only stored and deflated)");
            }
            headers.add(h);
        }
        if (p != end) {
            throw new UnsafeArchiveException("the central directory's size does not match its entries");
        }

        for (Header h : headers) {
            readLocalHeader(archive, buf, h, cdOffset);
        }
        checkNoOverlap(headers);

        List<Entry> out = new ArrayList<>(headers.size());
        long total = 0;
        for (Header h : headers) {
            long budget = Math.min(limits.maxEntryBytes(), limits.maxTotalBytes() - total);
            byte[] data = expand(archive, h, budget, limits);
            total += data.length;
            out.add(new Entry(h.name, data, h.directory, h.dataOffset, h.compressedSize));
        }
        return out;
    }

    /** The central directory's fields of one entry, plus where its data starts. */
    private static final class Header {
        int madeBy;
        int flags;
        int method;
        int time;
        int date;
        long crc;
        long compressedSize;
        long size;
        long external;
        long localOffset;
        byte[] rawName;
        String name;
        boolean directory;
        long dataOffset;
    }

    private static int findEndRecord(ByteBuffer buf) throws UnsafeArchiveException {
        int n = buf.capacity();
        if (n < END_RECORD_SIZE) {
            throw new UnsafeArchiveException("not a zip archive (too short)");
        }
        int lowest = Math.max(0, n - END_RECORD_SIZE - 0xFFFF);
        for (int i = n - END_RECORD_SIZE; i >= lowest; i--) {
            if (buf.getInt(i) == END_RECORD && i + END_RECORD_SIZE + u16(buf, i + 20) == n) {
                return i;
            }
        }
        throw new UnsafeArchiveException("not a zip archive (no end record)");
    }

    private static void readLocalHeader(byte[] archive, ByteBuffer buf, Header h, long cdOffset)
            throws UnsafeArchiveException {
        long at = h.localOffset;
        if (at + 30 > cdOffset) {
            throw new UnsafeArchiveException(h.name + ": its data lies outside the archive");
        }
        int p = (int) at;
        if (buf.getInt(p) != LOCAL_HEADER) {
            throw new UnsafeArchiveException(h.name + ": damaged local header");
        }
        int flags = u16(buf, p + 6);
        int method = u16(buf, p + 8);
        int nameLength = u16(buf, p + 26);
        int extraLength = u16(buf, p + 28);
        need(archive, p + 30, nameLength + extraLength, h.name);
        byte[] rawName = new byte[nameLength];
        System.arraycopy(archive, p + 30, rawName, 0, nameLength);
        if (!java.util.Arrays.equals(rawName, h.rawName) || method != h.method || flags != h.flags
                || u16(buf, p + 10) != h.time || u16(buf, p + 12) != h.date) {
            throw new UnsafeArchiveException(h.name + ": local and central headers disagree");
        }
        boolean descriptor = (flags & 8) != 0;
        if (!descriptor && (u32(buf, p + 14) != h.crc || u32(buf, p + 18) != h.compressedSize
                || u32(buf, p + 22) != h.size)) {
            throw new UnsafeArchiveException(h.name + ": local and central headers disagree on sizes");
        }
        h.dataOffset = at + 30 + nameLength + extraLength;
        if (h.dataOffset + h.compressedSize > cdOffset) {
            throw new UnsafeArchiveException(h.name + ": its data runs past the end of the archive");
        }
    }

    /** Entries must occupy disjoint byte ranges: overlapping ones let a small archive expand many times over. */
    private static void checkNoOverlap(List<Header> headers) throws UnsafeArchiveException {
        List<Header> byOffset = new ArrayList<>(headers);
        byOffset.sort(Comparator.comparingLong(h -> h.localOffset));
        for (int i = 1; i < byOffset.size(); i++) {
            Header prev = byOffset.get(i - 1);
            if (byOffset.get(i).localOffset < prev.dataOffset + prev.compressedSize) {
                throw new UnsafeArchiveException(byOffset.get(i).name + ": overlaps " + prev.name
                        + " (a zip-bomb construction)");
            }
        }
    }

    private static byte[] expand(byte[] archive, Header h, long budget, ZipLimits limits) throws UnsafeArchiveException {
        int start = (int) h.dataOffset;
        int length = (int) h.compressedSize;
        byte[] data;
        if (h.method == 0) {
            if (h.compressedSize != h.size) {
                throw new UnsafeArchiveException(h.name + ": stored entry with two different sizes");
            }
            if (length > budget) {
                throw tooLarge(h, limits);
            }
            data = java.util.Arrays.copyOfRange(archive, start, start + length);
        } else {
            data = inflate(archive, start, length, budget, h, limits);
        }
        if (data.length != h.size) {
            throw new UnsafeArchiveException(h.name + ": expands to " + data.length + " bytes, not the declared "
                    + h.size);
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        if (crc.getValue() != h.crc) {
            throw new UnsafeArchiveException(h.name + ": CRC-32 mismatch (the archive is damaged)");
        }
        if (h.directory && data.length > 0) {
            throw new UnsafeArchiveException(h.name + ": a folder entry with data");
        }
        return data;
    }

    private static byte[] inflate(byte[] archive, int start, int length, long budget, Header h, ZipLimits limits)
            throws UnsafeArchiveException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(archive, start, length);
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(h.size, 64), 1 << 20));
            byte[] chunk = new byte[1 << 16];
            long produced = 0;
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0) {
                    if (inflater.needsInput() || inflater.needsDictionary()) {
                        throw new UnsafeArchiveException(h.name + ": compressed data ends early (the archive is damaged)");
                    }
                    continue;
                }
                produced += n;
                if (produced > budget) {
                    throw tooLarge(h, limits);
                }
                out.write(chunk, 0, n);
            }
            if (inflater.getRemaining() > 0) {
                throw new UnsafeArchiveException(h.name + ": data after the end of its compressed stream");
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new UnsafeArchiveException(h.name + ": damaged compressed data (" + e.getMessage() + ")");
        } finally {
            inflater.end();
        }
    }

    private static UnsafeArchiveException tooLarge(Header h, ZipLimits limits) {
        return new UnsafeArchiveException(h.name + ": expands beyond the limit of " + limits.maxEntryBytes()
                + " bytes per entry or " + limits.maxTotalBytes() + " bytes in all (zip bomb?)");
    }

    private static String decodeName(byte[] raw) throws UnsafeArchiveException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new UnsafeArchiveException("an entry name is not UTF-8 text");
        }
    }

    /** Refuses names that could escape the target folder or be read differently on another system. */
    static void checkName(String name, ZipLimits limits) throws UnsafeArchiveException {
        if (name.isEmpty()) {
            throw new UnsafeArchiveException("an entry has an empty name");
        }
        String shown = name.replaceAll("\\p{Cntrl}", "?");
        if (name.length() > limits.maxNameLength()) {
            throw new UnsafeArchiveException(shown.substring(0, Math.min(40, shown.length())) + "…: name longer than " + limits.maxNameLength()
                    + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new UnsafeArchiveException(shown + ": control character in the name");
            }
            if (c == '\\') {
                throw new UnsafeArchiveException(shown + ": backslash in the name (a Windows path separator)");
            }
            if (c == ':') {
                throw new UnsafeArchiveException(shown + ": colon in the name (a drive letter or stream name)");
            }
        }
        if (name.startsWith("/")) {
            throw new UnsafeArchiveException(shown + ": absolute path");
        }
        String body = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String segment : body.split("/", -1)) {
            if (segment.isEmpty()) {
                throw new UnsafeArchiveException(shown + ": empty path segment");
            }
            if (segment.equals("..")) {
                throw new UnsafeArchiveException(shown + ": '..' would leave the target folder (zip slip)");
            }
            if (segment.equals(".")) {
                throw new UnsafeArchiveException(shown + ": '.' path segment");
            }
        }
    }

    /** Only files and folders: the Unix type bits (when the archive was made on Unix) must say one of those. */
    private static void checkType(Header h) throws UnsafeArchiveException {
        boolean dirName = h.name.endsWith("/");
        if ((h.madeBy >> 8) == UNIX_HOST) {
            int type = (int) ((h.external >>> 16) & TYPE_MASK);
            if (type == TYPE_LINK) {
                throw new UnsafeArchiveException(h.name + ": symbolic link (links are refused)");
            }
            if (type != 0 && type != TYPE_FILE && type != TYPE_DIR) {
                throw new UnsafeArchiveException(h.name + ": not a regular file or folder");
            }
            if ((type == TYPE_DIR) != dirName && type != 0) {
                throw new UnsafeArchiveException(h.name + ": file type and name disagree");
            }
        }
        h.directory = dirName;
    }

    private static void need(byte[] archive, int at, int n, String what) throws UnsafeArchiveException {
        if (at < 0 || n < 0 || (long) at + n > archive.length) {
            throw new UnsafeArchiveException("damaged archive (" + what + " runs past the end)");
        }
    }

    private static int u16(ByteBuffer b, int at) {
        return Short.toUnsignedInt(b.getShort(at));
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }
}
