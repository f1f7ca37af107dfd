package org.rsafe.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @Test
    void aNewFileIsReadableByOthersAndLeavesNoTemporaryFileBehind(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.json");

        AtomicFiles.writeString(file, "{}");

        assertThat(Files.readString(file)).isEqualTo("{}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        try (var listing = Files.list(dir)) {
            assertThat(listing).containsExactly(file);
        }
    }

    @Test
    void rewritingAFileKeepsItsPermissions(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));

        AtomicFiles.writeString(file, "new");

        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-rw----");
    }

    @Test
    void aFailingWriterLeavesTheOldContentInPlace(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "old");

        org.assertj.core.api.Assertions.assertThatIOException().isThrownBy(() -> AtomicFiles.write(file, out -> {
            out.write("half".getBytes());
            throw new java.io.IOException("disk full");
        }));

        assertThat(Files.readString(file)).isEqualTo("old");
        try (var listing = Files.list(dir)) {
            assertThat(listing).containsExactly(file);
        }
    }

    @Test
    void savingThroughASymbolicLinkWritesTheTargetAndKeepsTheLink(@TempDir Path dir) throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Path real = Files.writeString(shared.resolve("policy.yaml"), "old\n");
        Path workspace = Files.createDirectories(dir.resolve("ws"));
        Path link = Files.createSymbolicLink(workspace.resolve("policy.yaml"), Path.of("../shared/policy.yaml"));

        AtomicFiles.writeString(link, "new\n");

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("../shared/policy.yaml"));
        assertThat(Files.readString(real)).isEqualTo("new\n");
        try (var s = Files.list(workspace)) {
            assertThat(s).containsExactly(link);
        }
        try (var s = Files.list(shared)) {
            assertThat(s).containsExactly(real);
        }
    }

    @Test
    void aChainOfLinksIsFollowedToTheEndAndALoopIsAnError(@TempDir Path dir) throws Exception {
        Path real = Files.writeString(dir.resolve("real.yaml"), "old");
        Path one = Files.createSymbolicLink(dir.resolve("one.yaml"), real.getFileName());
        Path two = Files.createSymbolicLink(dir.resolve("two.yaml"), one.getFileName());
        Path loopA = dir.resolve("a.yaml");
        Path loopB = dir.resolve("b.yaml");
        Files.createSymbolicLink(loopA, loopB.getFileName());
        Files.createSymbolicLink(loopB, loopA.getFileName());

        AtomicFiles.writeString(two, "new");

        assertThat(Files.readString(real)).isEqualTo("new");
        assertThat(Files.isSymbolicLink(two)).isTrue();
        assertThat(Files.isSymbolicLink(one)).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AtomicFiles.writeString(loopA, "x"))
                .isInstanceOf(java.nio.file.FileSystemException.class).hasMessageContaining("symbolic links");
    }

    @Test
    void temporaryFilesLeftByAKilledWriteAreRemovedByTheNextWriteButFreshOnesAreKept(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("policy.yaml");
        Path stale = Files.writeString(dir.resolve(".policy.yaml.123456.tmp"), "half");
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(AtomicFiles.STALE_AFTER).minusSeconds(60)));
        Path fresh = Files.writeString(dir.resolve(".policy.yaml.999.tmp"), "another write in progress");
        Path otherFiles = Files.writeString(dir.resolve(".other.yaml.1.tmp"), "not ours");
        Files.setLastModifiedTime(otherFiles, Files.getLastModifiedTime(stale));

        AtomicFiles.writeString(target, "content");

        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
        assertThat(otherFiles).exists();
        assertThat(Files.readString(target)).isEqualTo("content");
    }

    @Test
    void aFolderIsMovedIntoPlaceButNeverOverAnExistingOne(@TempDir Path dir) throws Exception {
        Path built = Files.createDirectories(dir.resolve(".build-1"));
        Files.writeString(built.resolve("a.txt"), "a");
        Path target = dir.resolve("final");

        AtomicFiles.moveFolderIntoPlace(built, target);

        assertThat(target.resolve("a.txt")).hasContent("a");
        assertThat(built).doesNotExist();
        Path again = Files.createDirectories(dir.resolve(".build-2"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AtomicFiles.moveFolderIntoPlace(again, target))
                .isInstanceOf(java.io.IOException.class);
        assertThat(target.resolve("a.txt")).hasContent("a");
    }
}
