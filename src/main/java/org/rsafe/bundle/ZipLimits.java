package org.rsafe.bundle;

/**
 * Caps applied while reading an archive, so that a crafted one (a zip bomb, a flood of entries) is refused before
 * it can exhaust memory or disk. Sizes are of the expanded data and are enforced while inflating: the sizes an
 * archive declares are never trusted.
 *
 * @param maxArchiveBytes largest archive file accepted
 * @param maxEntries      most entries (files and folders)
 * @param maxEntryBytes   largest expanded size of one entry
 * @param maxTotalBytes   largest expanded size of all entries together
 * @param maxNameLength   longest entry name, in characters
 */
public record ZipLimits(long maxArchiveBytes, int maxEntries, long maxEntryBytes, long maxTotalBytes, int maxNameLength) {

    /** 256 MiB archive, 256 entries, 128 MiB per entry, 256 MiB in all, names up to 255 characters. */
    public static final ZipLimits DEFAULT = new ZipLimits(256L << 20, 256, 128L << 20, 256L << 20, 255);

    public ZipLimits {
        if (maxArchiveBytes < 22 || maxEntries < 1 || maxEntryBytes < 0 || maxTotalBytes < maxEntryBytes
                || maxNameLength < 1) {
            throw new IllegalArgumentException("inconsistent zip limits");
        }
        if (maxArchiveBytes > Integer.MAX_VALUE - 8 || maxEntryBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("archives and entries are held in memory: at most 2 GiB each");
        }
    }
}
