package org.rsafe.eval;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.rsafe.util.SourcePos;

/**
 * Opens a dataset file as characters: undoes gzip (by its magic bytes, whatever the name), drops a byte-order
 * mark, decodes UTF-8 (or UTF-16 when a BOM says so) refusing bytes that are not text in it, and decides the
 * format from the name and the first characters. Nothing beyond a small look-ahead buffer is read.
 */
final class TextInput {
    static final int LOOKAHEAD = 1 << 16;
    /**
     * Most bytes gzip data may inflate to (4 GiB unless the system property {@value #MAX_INFLATED_PROPERTY} says
     * otherwise): a "gzip bomb" of a few megabytes would otherwise be read for minutes, or fill the heap of a reader
     * that keeps what it reads. Real labelled sets are far smaller; a larger one can be read with the property raised.
     */
    static final long DEFAULT_MAX_INFLATED_BYTES = 4L << 30;
    static final String MAX_INFLATED_PROPERTY = "rsafe.data.maxInflatedBytes";

    /** The gzip data inflated past the cap; the text reader turns this into an error at the line reached. */
    static final class InflatedTooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        InflatedTooLarge(long cap) {
            super("the gzip data inflates to more than " + cap + " bytes, the limit for a data file (-D"
                    + MAX_INFLATED_PROPERTY + "=BYTES raises it); reading stopped here");
        }
    }

    /** Counts inflated bytes and throws {@link InflatedTooLarge} past the cap. */
    private static final class InflateCap extends java.io.FilterInputStream {
        private final long cap;
        private long count;

        InflateCap(InputStream in, long cap) {
            super(in);
            this.cap = cap;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (count >= cap) {
                if (super.read() < 0) {
                    return -1;
                }
                throw new InflatedTooLarge(cap);
            }
            int n = super.read(b, off, (int) Math.min(len, cap - count));
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] sink = new byte[(int) Math.min(n, 8192)];
            int r = read(sink, 0, sink.length);
            return Math.max(r, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    static long maxInflatedBytes() {
        String v = System.getProperty(MAX_INFLATED_PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT_MAX_INFLATED_BYTES;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new org.rsafe.util.UserException("-D" + MAX_INFLATED_PROPERTY + " must be a positive number of bytes, "
                + "found '" + v + "'");
    }

    /** An opened file: the reader is positioned at the first character after any BOM. */
    /** {@code digested}: the file's bytes as they pass on their way to the reader, when hashing; else null. */
    record Opened(BufferedReader reader, DataFormat format, char csvDelimiter, boolean gzip, HashingStream digested) { }

    /**
     * The file's bytes passing through a digest on their way to the readers above. Those readers may close their
     * stream as soon as they have seen the end of the records (a JSON array's closing bracket), so their close is
     * held off: {@link #finish} reads what they left and {@link #release} closes the file.
     */
    static final class HashingStream extends DigestInputStream {
        HashingStream(InputStream in, MessageDigest digest) {
            super(in, digest);
        }

        @Override
        public void close() {
            // held until release(), so that finish() can still read the bytes after the last record
        }

        /** Reads the bytes not read yet and returns the SHA-256 (hex) of the whole file. */
        String finish() throws IOException {
            byte[] rest = new byte[1 << 16];
            while (read(rest) >= 0) {
                // the digest sees the bytes as they pass
            }
            return HexFormat.of().formatHex(getMessageDigest().digest());
        }

        void release() throws IOException {
            super.close();
        }
    }

    private TextInput() { }

    static Opened open(Path file) throws IOException {
        return open(file, null);
    }

    /** As {@link #open(Path)}; every byte read from the file also goes into {@code digest} when it is not null. */
    static Opened open(Path file, MessageDigest digest) throws IOException {
        InputStream fileIn = Files.newInputStream(file);
        try {
            HashingStream digested = digest == null ? null : new HashingStream(fileIn, digest);
            BufferedInputStream buffered = new BufferedInputStream(digested == null ? fileIn : digested, LOOKAHEAD);
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            InputStream in = gzip ? new BufferedInputStream(gunzip(buffered), LOOKAHEAD) : buffered;
            Charset charset;
            try {
                charset = skipBom(in);
            } catch (EOFException | ZipException e) {
                // only a gzip stream fails here: its data ends or breaks within the first bytes
                throw StrictTextReader.brokenGzip(new SourcePos(1, 1), e);
            }
            BufferedReader reader = new BufferedReader(new StrictTextReader(in, charset), LOOKAHEAD);
            reader.mark(LOOKAHEAD);
            char[] head = new char[LOOKAHEAD];
            int n = 0;
            while (n < head.length) {
                int r = reader.read(head, n, head.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            reader.reset();
            String sample = new String(head, 0, n);
            DataFormat format = formatOf(file, sample);
            char delimiter = format == DataFormat.CSV ? delimiterOf(file, sample, n < LOOKAHEAD) : ',';
            return new Opened(reader, format, delimiter, gzip, digested);
        } catch (IOException | RuntimeException e) {
            fileIn.close();
            throw e;
        }
    }

    /** A gzip stream over the file; a header that is cut off or broken is a user error at the file's start. */
    private static InputStream gunzip(InputStream in) throws IOException {
        try {
            return new InflateCap(new GZIPInputStream(in, LOOKAHEAD), maxInflatedBytes());
        } catch (EOFException | ZipException e) {
            throw StrictTextReader.brokenGzip(new SourcePos(1, 1), e);
        }
    }

    /** Consumes a byte-order mark if there is one and returns the charset it announces (UTF-8 otherwise). */
    private static Charset skipBom(InputStream in) throws IOException {
        in.mark(4);
        int b0 = in.read();
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) {
            in.skipNBytes(3);
            return StandardCharsets.UTF_8;
        }
        if (b0 == 0xFE && b1 == 0xFF) {
            in.skipNBytes(2);
            return StandardCharsets.UTF_16BE;
        }
        if (b0 == 0xFF && b1 == 0xFE) {
            in.skipNBytes(2);
            return StandardCharsets.UTF_16LE;
        }
        return StandardCharsets.UTF_8;
    }

    static String baseName(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }

    /** The extension decides CSV vs JSON; the first non-blank character decides array vs lines (and unknown names). */
    static DataFormat formatOf(Path file, String sample) {
        String name = baseName(file);
        if (name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".tab")) {
            return DataFormat.CSV;
        }
        char first = 0;
        for (int i = 0; i < sample.length(); i++) {
            if (!Character.isWhitespace(sample.charAt(i))) {
                first = sample.charAt(i);
                break;
            }
        }
        boolean jsonName = name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".ndjson");
        if (first == '[') {
            return DataFormat.JSON_ARRAY;
        }
        if (first == '{' || jsonName) {
            return DataFormat.JSONL;
        }
        return DataFormat.CSV;
    }

    /**
     * Picks the delimiter among comma, semicolon and tab: the one that splits the header and keeps the same count
     * on the most of the following records (quotes respected); ties go to the larger count, then comma.
     */
    static char delimiterOf(Path file, String sample, boolean wholeFile) {
        String name = baseName(file);
        if (name.endsWith(".tsv") || name.endsWith(".tab")) {
            return '\t';
        }
        char[] candidates = {',', ';', '\t'};
        int maxRecords = 30;
        int[][] counts = new int[maxRecords][candidates.length];
        int records = 0;
        boolean quoted = false;
        boolean blank = true;
        int i = 0;
        for (; i < sample.length() && records < maxRecords; i++) {
            char c = sample.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                blank = false;
            } else if (c == '\n' && !quoted) {
                if (!blank) {
                    records++;
                }
                blank = true;
            } else if (!quoted) {
                for (int k = 0; k < candidates.length; k++) {
                    if (c == candidates[k]) {
                        counts[records][k]++;
                    }
                }
                if (c != '\r' && c != ' ') {
                    blank = false;
                }
            }
        }
        if (i == sample.length() && wholeFile && !blank && records < maxRecords) {
            records++; // the last record of a file without a trailing newline
        }
        int best = 0;
        int bestConsistent = -1;
        int bestCount = 0;
        for (int k = 0; k < candidates.length; k++) {
            int headerCount = counts[0][k];
            if (headerCount == 0) {
                continue;
            }
            int consistent = 0;
            for (int r = 1; r < records; r++) {
                if (counts[r][k] == headerCount) {
                    consistent++;
                }
            }
            if (consistent > bestConsistent || (consistent == bestConsistent && headerCount > bestCount)) {
                best = k;
                bestConsistent = consistent;
                bestCount = headerCount;
            }
        }
        return candidates[best];
    }
}
