package org.rsafe.util;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * The one way the product writes files: readers see either the old content or the new, never a half-written file,
 * and a crash at any point leaves one or the other on disk.
 *
 * <ul>
 *   <li>The new content goes to a temporary file {@code .NAME.*.tmp} beside the target, is forced to disk, renamed over
 *       the target, and the folder is forced too, so the rename itself survives a power cut.</li>
 *   <li>A target reached through a symbolic link is written where the link points; the link stays a link (a policy
 *       kept in a shared folder and linked into a workspace is saved in its shared place).</li>
 *   <li>The file's permissions are kept (a new one gets rw-r--r--).</li>
 *   <li>Temporary files that a killed process left beside the target (untouched for {@link #STALE_AFTER}) are removed
 *       on the next write of that target; a failed write removes its own at once.</li>
 * </ul>
 */
public final class AtomicFiles {
    private static final Set<PosixFilePermission> DEFAULT_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");
    /** A temporary file not written to for this long belongs to no running write. */
    static final Duration STALE_AFTER = Duration.ofMinutes(10);
    /** Links followed at most, as the operating system does (a loop of links is an error, not a hang). */
    private static final int MAX_LINKS = 40;

    private AtomicFiles() { }

    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes to a temporary file beside the target, forces it to disk, then renames it over the target. */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = followLinks(target.toAbsolutePath());
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        removeStaleTemporaries(abs);
        Path tmp = Files.createTempFile(dir, tmpPrefix(abs), ".tmp");
        try {
            keepOrDefaultPermissions(abs, tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = Channels.newOutputStream(ch)) {
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            move(tmp, abs, true);
            forceFolder(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Moves a folder built beside its final place (a temporary sibling) into that place in one rename where the file
     * system allows, and forces the parent folder. The target must not exist.
     */
    public static void moveFolderIntoPlace(Path builtFolder, Path target) throws IOException {
        move(builtFolder, target, false);
        forceFolder(target.toAbsolutePath().getParent());
    }

    private static void move(Path from, Path to, boolean replace) throws IOException {
        try {
            if (replace) {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (AtomicMoveNotSupportedException e) {
            if (replace) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(from, to);
            }
        }
    }

    /**
     * The file a path finally names: each symbolic link along the last step is followed (relative links from their
     * own folder), so the rename replaces the link's target and not the link. A dangling link names the file to create.
     */
    static Path followLinks(Path path) throws IOException {
        Path p = path;
        for (int i = 0; i < MAX_LINKS; i++) {
            if (!Files.isSymbolicLink(p)) {
                return p;
            }
            Path link = Files.readSymbolicLink(p);
            Path parent = p.getParent();
            p = (parent == null ? link : parent.resolve(link)).normalize();
        }
        throw new FileSystemException(path.toString(), null, "too many levels of symbolic links");
    }

    private static String tmpPrefix(Path target) {
        return "." + target.getFileName() + ".";
    }

    /** Removes {@code .NAME.*.tmp} files beside the target that no write has touched for {@link #STALE_AFTER}. */
    static void removeStaleTemporaries(Path target) {
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        String prefix = tmpPrefix(target);
        FileTime cutoff = FileTime.from(Instant.now().minus(STALE_AFTER));
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp") && n.length() > prefix.length() + 4;
        })) {
            for (Path p : s) {
                try {
                    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                            && Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).compareTo(cutoff) < 0) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException ignored) {
                    // another process's file, or gone already: leaving it is harmless
                }
            }
        } catch (IOException ignored) {
            // a folder that cannot be listed: the write itself will report what matters
        }
    }

    /** Forces a folder's entries to disk, so a rename in it survives a crash; a no-op where folders cannot be opened. */
    private static void forceFolder(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Windows cannot open a folder as a channel; its renames are journaled by NTFS
        }
    }

    /**
     * Temporary files are created owner-only; without this, every rewrite would silently make a shared
     * policy or report unreadable to others. An existing file keeps its permissions; a new one gets rw-r--r--.
     */
    private static void keepOrDefaultPermissions(Path target, Path tmp) throws IOException {
        if (!tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> perms = Files.exists(target) ? Files.getPosixFilePermissions(target) : DEFAULT_PERMISSIONS;
        Files.setPosixFilePermissions(tmp, perms);
    }
}
