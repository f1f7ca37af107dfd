package org.rsafe.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads whole files that must be small (a policy, a model's config.json, a stored run's manifest) with a cap on their
 * size, so that a crafted or mistaken file of gigabytes is refused with a clear line instead of exhausting the heap.
 * The cap is enforced while reading, so a file that grows (or a pipe) is refused too.
 */
public final class BoundedFiles {
    /** Policy files: real ones are a few kilobytes; SnakeYAML reads at most 3 Mi code points anyway. */
    public static final long POLICY_BYTES = 4L << 20;
    /** JSON settings files: config.json, generation_config.json, tokenizer_config.json, manifests, run settings. */
    public static final long SETTINGS_JSON_BYTES = 16L << 20;
    /** Tokenizer files (tokenizer.json, vocab.json, merges.txt): large vocabularies reach tens of megabytes. */
    public static final long TOKENIZER_BYTES = 256L << 20;
    /** A raw model output to parse, or a report to show: a generation of any length fits in far less. */
    public static final long TEXT_BYTES = 64L << 20;

    private BoundedFiles() { }

    /** A file over its cap: a user error naming the file, its size and the cap. */
    public static final class TooLarge extends UserException {
        private static final long serialVersionUID = 1L;

        public TooLarge(Path file, String what, long maxBytes) {
            super(file + ": larger than " + human(maxBytes) + ", the limit for " + what
                    + "; this is not " + article(what) + " (or it was damaged)");
        }

        private static String article(String what) {
            return what.startsWith("a ") || what.startsWith("an ") ? what : "a " + what;
        }
    }

    /**
     * The file's bytes, refusing it when it holds more than {@code maxBytes}.
     *
     * @param what what the file is, for the message ("a policy file")
     * @throws TooLarge when the file is over the cap
     */
    public static byte[] readAllBytes(Path file, long maxBytes, String what) throws IOException {
        if (maxBytes < 0 || maxBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("cap " + maxBytes);
        }
        if (Files.isRegularFile(file) && Files.size(file) > maxBytes) {
            throw new TooLarge(file, what, maxBytes);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new TooLarge(file, what, maxBytes);
            }
            return bytes;
        }
    }

    /**
     * As {@link #readAllBytes}, decoded as UTF-8; bytes that are not UTF-8 are a user error at their line and column
     * (see {@link StrictUtf8}).
     */
    public static String readUtf8(Path file, long maxBytes, String what) throws IOException {
        return StrictUtf8.decode(file.toString(), readAllBytes(file, maxBytes, what));
    }

    /** Throws {@link TooLarge} when a file is over a cap, without reading it (for files a library reads itself). */
    public static void checkSize(Path file, long maxBytes, String what) throws IOException {
        if (Files.size(file) > maxBytes) {
            throw new TooLarge(file, what, maxBytes);
        }
    }

    static String human(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return String.format(Locale.ROOT, "%d bytes", bytes);
    }
}
