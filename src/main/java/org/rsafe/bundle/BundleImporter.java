package org.rsafe.bundle;

import static org.rsafe.util.FileTrees.deleteQuietly;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.UserException;

/**
 * Imports a bundle into a workspace folder, as {@code WORKSPACE/bundles/NAME/} where NAME is the bundle's file name
 * without {@value BundleFormat#SUFFIX}. The bundle is verified first and nothing is written unless it checks out;
 * the archive is read with {@link SafeZip} (no zip slip, links, bombs); files are extracted into a temporary folder
 * beside the target and moved into place in one step, so an interrupted import leaves no half-imported bundle.
 */
public final class BundleImporter {

    /** The folder, under the workspace, that imported bundles go into. */
    public static final String BUNDLES_DIR = "bundles";

    private final BundleVerifier verifier;

    public BundleImporter(BundleVerifier verifier) {
        this.verifier = verifier;
    }

    /**
     * Verifies and imports.
     *
     * @param trusted fingerprints of the keys to trust (see {@link BundleVerifier#verify(Path, Set)})
     * @return the verification report, and where the files went when it was OK
     */
    public ImportResult importInto(Path bundle, Path workspace, Set<String> trusted) {
        return importInto(bundle, workspace, trusted, !trusted.isEmpty());
    }

    /** As above; {@code requireTrusted} as for {@link BundleVerifier#verify(Path, Set, boolean)}. */
    public ImportResult importInto(Path bundle, Path workspace, Set<String> trusted, boolean requireTrusted) {
        BundleVerifier.Checked checked = verifier.check(bundle, trusted, requireTrusted);
        if (!checked.report().ok()) {
            return new ImportResult(checked.report(), Optional.empty());
        }
        Path parent = workspace.toAbsolutePath().normalize().resolve(BUNDLES_DIR);
        Path target = parent.resolve(folderName(bundle));
        if (Files.exists(target)) {
            throw new UserException(target + " already exists (imported before?); remove it to import again");
        }
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, ".import-");
            Path root = tmp.toRealPath();
            for (SafeZip.Entry e : checked.entries().values()) {
                Path out = root.resolve(e.name()).normalize();
                // SafeZip refused every name that could escape; this check keeps that true whatever changes there.
                if (!out.startsWith(root) || out.equals(root)) {
                    throw new IllegalStateException("entry " + e.name() + " escapes the import folder");
                }
                if (e.directory()) {
                    Files.createDirectories(out);
                } else {
                    byte[] data = e.dataUnsafe();
                    AtomicFiles.write(out, stream -> stream.write(data));
                }
            }
            shareable(root);
            AtomicFiles.moveFolderIntoPlace(tmp, target);
            tmp = null;
            return new ImportResult(checked.report(), Optional.of(target));
        } catch (FileAlreadyExistsException e) {
            throw new UserException(target + " already exists (imported before?); remove it to import again");
        } catch (IOException e) {
            throw new UserException("cannot import into " + parent + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    /** The bundle's file name without its ending, reduced to safe characters. */
    static String folderName(Path bundle) {
        String name = bundle.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(BundleFormat.SUFFIX)) {
            name = name.substring(0, name.length() - BundleFormat.SUFFIX.length());
        } else if (lower.endsWith(".zip")) {
            name = name.substring(0, name.length() - 4);
        }
        name = name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (name.isEmpty() || name.startsWith(".")) {
            name = "bundle" + name;
        }
        return name;
    }

    /**
     * Gives the extracted tree ordinary permissions (folders rwxr-xr-x, files rw-r--r--): the temporary folder and
     * files it was written through are owner-only.
     */
    private static void shareable(Path root) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }
}
