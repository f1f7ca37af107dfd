package org.rsafe.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @Test
    void deleteTreeRemovesNestedFoldersAndTheirFiles(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("run");
        Files.createDirectories(root.resolve("a/b/c"));
        Files.writeString(root.resolve("top.txt"), "x");
        Files.writeString(root.resolve("a/b/c/deep.txt"), "y");

        FileTrees.deleteTree(root);

        assertThat(root).doesNotExist();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void deleteTreeRemovesALinkButNotTheFolderItPointsTo(@TempDir Path dir) throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path kept = Files.writeString(outside.resolve("keep.txt"), "keep");
        Path root = Files.createDirectories(dir.resolve("tree"));
        Files.createSymbolicLink(root.resolve("link"), outside);
        Files.createSymbolicLink(root.resolve("file-link"), kept);

        FileTrees.deleteTree(root);

        assertThat(root).doesNotExist();
        assertThat(kept).hasContent("keep");
    }

    @Test
    void deleteTreeOfALinkDeletesOnlyTheLink(@TempDir Path dir) throws Exception {
        Path target = Files.createDirectories(dir.resolve("target"));
        Files.writeString(target.resolve("f.txt"), "f");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);

        FileTrees.deleteTree(link);

        assertThat(link).doesNotExist();
        assertThat(target.resolve("f.txt")).exists();
    }

    @Test
    void deleteTreeOfAMissingPathDoesNothing(@TempDir Path dir) throws Exception {
        FileTrees.deleteTree(dir.resolve("never-made"));

        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void deleteTreeReportsAnEntryItCannotDeleteButDeleteQuietlyCarriesOn(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("tree"));
        Path locked = Files.createDirectories(root.resolve("locked"));
        Files.writeString(locked.resolve("inside.txt"), "x");
        Files.writeString(root.resolve("loose.txt"), "y");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-x------"));
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(locked), "running with rights that ignore permissions");

            assertThatThrownBy(() -> FileTrees.deleteTree(root)).isInstanceOf(AccessDeniedException.class);
            assertThat(FileTrees.deleteQuietly(root)).isFalse();
            assertThat(locked.resolve("inside.txt")).exists();
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
        assertThat(FileTrees.deleteQuietly(root)).isTrue();
        assertThat(root).doesNotExist();
    }
}
