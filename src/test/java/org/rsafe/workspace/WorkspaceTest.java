package org.rsafe.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.util.UserException;

/** Saving, listing, reading and restoring policy versions in a workspace (JGit history round trips). */
class WorkspaceTest {

    @TempDir
    Path dir;

    @Test
    void savedVersionsCanBeListedShownAndRestored() throws IOException {
        Path file = dir.resolve("policy.yaml");
        String v1 = Fixtures.policy(null);
        String v2 = Fixtures.policy(0.7);
        try (Workspace ws = Workspace.open(dir)) {
            Files.writeString(file, v1);
            SaveResult first = ws.save(file, "first draft");
            Files.writeString(file, v2);
            SaveResult second = ws.save(file, "stricter T\n\nraised the threshold");

            assertThat(first.created()).isTrue();
            assertThat(second.version().label()).isEqualTo("v2");
            List<PolicyVersion> log = ws.history(file);
            assertThat(log).extracting(PolicyVersion::label).containsExactly("v2", "v1");
            assertThat(log).extracting(PolicyVersion::summary).containsExactly("stricter T", "first draft");
            assertThat(ws.showAt(file, "v1")).isEqualTo(v1);
            assertThat(ws.showAt(file, "latest")).isEqualTo(v2);

            RestoreResult restored = ws.restore(file, "v1", RestoreOptions.DEFAULT);

            assertThat(Files.readString(file)).isEqualTo(v1);
            assertThat(restored.restored().label()).isEqualTo("v1");
            assertThat(restored.newVersion()).get().extracting(PolicyVersion::label).isEqualTo("v3");
            assertThat(ws.history(file).get(0).summary()).isEqualTo("Restore policy.yaml to v1 (" + first.version().shortId() + ")");
            assertThat(ws.showAt(file, "v3")).isEqualTo(v1);
        }
    }

    @Test
    void historySurvivesReopeningTheWorkspace() throws IOException {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, Fixtures.policy(null));
        try (Workspace ws = Workspace.open(dir)) {
            ws.save(file, "one");
        }
        try (Workspace ws = Workspace.open(dir)) {
            assertThat(ws.history(file)).extracting(PolicyVersion::summary).containsExactly("one");
        }
    }

    @Test
    void savingAnUnchangedFileCreatesNoVersion() throws IOException {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, Fixtures.policy(null));
        try (Workspace ws = Workspace.open(dir)) {
            ws.save(file, "one");
            SaveResult again = ws.save(file, "two");

            assertThat(again.created()).isFalse();
            assertThat(again.version().label()).isEqualTo("v1");
            assertThat(ws.history(file)).hasSize(1);
            assertThat(ws.hasUnsavedChanges(file)).isFalse();
        }
    }

    @Test
    void versionsAreNamedByNumberShortIdOrRelativeToTheLatest() throws IOException {
        Path file = dir.resolve("policy.yaml");
        try (Workspace ws = Workspace.open(dir)) {
            Files.writeString(file, Fixtures.policy(null));
            PolicyVersion v1 = ws.save(file, "one").version();
            Files.writeString(file, Fixtures.policy(0.6));
            PolicyVersion v2 = ws.save(file, "two").version();

            assertThat(ws.resolve(file, "v1").commitId()).isEqualTo(v1.commitId());
            assertThat(ws.resolve(file, v1.shortId()).label()).isEqualTo("v1");
            assertThat(ws.resolve(file, "HEAD~1").commitId()).isEqualTo(v1.commitId());
            assertThat(ws.resolve(file, "HEAD").label()).isEqualTo("v2");
            assertThat(ws.resolve(file, "latest").commitId()).isEqualTo(v2.commitId());
            assertThatThrownBy(() -> ws.resolve(file, "v3")).isInstanceOf(UserException.class)
                    .hasMessageContaining("2 saved version(s), v1 to v2");
            assertThatThrownBy(() -> ws.resolve(file, "no-such-thing")).isInstanceOf(UserException.class)
                    .hasMessageContaining("unknown version 'no-such-thing'");
        }
    }

    @Test
    void aRevisionThatChangedAnotherFileCountsAsTheVersionInEffectThen() throws IOException {
        Path file = dir.resolve("policy.yaml");
        Path other = dir.resolve("other.yaml");
        try (Workspace ws = Workspace.open(dir)) {
            Files.writeString(file, Fixtures.policy(null));
            ws.save(file, "policy one");
            Files.writeString(other, Fixtures.policy(0.9));
            ws.save(other, "other one");

            PolicyVersion atLatest = ws.resolve(file, "latest");

            assertThat(atLatest.label()).isEqualTo("v1");
            assertThat(ws.showAt(file, "latest")).isEqualTo(Fixtures.policy(null));
        }
    }

    @Test
    void savingInAnExistingRepositoryCommitsOnlyThePolicyFile() throws Exception {
        Path notes = dir.resolve("notes.txt");
        Path staged = dir.resolve("staged.txt");
        Path file = dir.resolve("policies").resolve("policy.yaml");
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            Files.writeString(notes, "first\n");
            git.add().addFilepattern("notes.txt").call();
            git.commit().setMessage("user's own commit").setSign(false)
                    .setAuthor("Someone", "someone@example.org").setCommitter("Someone", "someone@example.org").call();
            Files.writeString(notes, "edited but not committed\n");
            Files.writeString(staged, "staged by the user\n");
            git.add().addFilepattern("staged.txt").call();
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, Fixtures.policy(null));

        try (Workspace ws = Workspace.open(file.getParent())) {
            assertThat(ws.root()).isEqualTo(dir.toRealPath());
            ws.save(file, "policy saved");
        }

        try (Git git = Git.open(dir.toFile())) {
            List<RevCommit> commits = new java.util.ArrayList<>();
            git.log().call().forEach(commits::add);
            assertThat(commits).extracting(RevCommit::getShortMessage).containsExactly("policy saved", "user's own commit");
            var status = git.status().call();
            assertThat(status.getModified()).containsExactly("notes.txt");
            assertThat(status.getAdded()).containsExactly("staged.txt");
            assertThat(status.getUncommittedChanges()).doesNotContain("policies/policy.yaml");
        }
        assertThat(Files.readString(notes)).isEqualTo("edited but not committed\n");
    }

    @Test
    void restoreRefusesToOverwriteUnsavedChangesUnlessTold() throws IOException {
        Path file = dir.resolve("policy.yaml");
        try (Workspace ws = Workspace.open(dir)) {
            Files.writeString(file, Fixtures.policy(null));
            ws.save(file, "one");
            Files.writeString(file, Fixtures.policy(0.8));
            ws.save(file, "two");
            Files.writeString(file, "unsaved work\n");

            assertThatThrownBy(() -> ws.restore(file, "v1", RestoreOptions.DEFAULT))
                    .isInstanceOf(UserException.class).hasMessageContaining("never saved");
            assertThat(Files.readString(file)).isEqualTo("unsaved work\n");

            RestoreResult r = ws.restore(file, "v1", new RestoreOptions(false, true));

            assertThat(Files.readString(file)).isEqualTo(Fixtures.policy(null));
            assertThat(r.newVersion()).isEmpty();
            assertThat(ws.history(file)).hasSize(2);
            assertThat(ws.hasUnsavedChanges(file)).isTrue();
        }
    }

    @Test
    void restoreKeepsTheFilesPermissions() throws IOException {
        Path file = dir.resolve("policy.yaml");
        try (Workspace ws = Workspace.open(dir)) {
            Files.writeString(file, Fixtures.policy(null));
            ws.save(file, "one");
            Files.writeString(file, Fixtures.policy(0.8));
            ws.save(file, "two");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

            ws.restore(file, "v1", RestoreOptions.DEFAULT);

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        }
    }

    @Test
    void openingAFolderWithoutHistoryCreatesOneThere() throws IOException {
        Path fresh = dir.resolve("new-workspace");
        assertThat(Workspace.findExisting(fresh)).isEmpty();

        try (Workspace ws = Workspace.open(fresh)) {
            assertThat(ws.root()).isEqualTo(fresh.toRealPath());
            assertThat(ws.dataDir().resolve(".gitignore")).content().contains("*");
        }
        assertThat(fresh.resolve(".git")).isDirectory();
        assertThat(Workspace.findExisting(fresh)).isPresent();
    }

    @Test
    void filesOutsideTheWorkspaceAreRefused() throws IOException {
        Path inner = dir.resolve("ws");
        Path outside = dir.resolve("elsewhere.yaml");
        Files.writeString(outside, Fixtures.policy(null));
        try (Workspace ws = Workspace.open(inner)) {
            assertThatThrownBy(() -> ws.save(outside, "x")).isInstanceOf(UserException.class)
                    .hasMessageContaining("not inside the workspace");
        }
    }

    @Test
    void aFileNeverSavedHasNoHistoryAndUnsavedChanges() throws IOException {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, Fixtures.policy(null));
        try (Workspace ws = Workspace.open(dir)) {
            assertThat(ws.history(file)).isEmpty();
            assertThat(ws.latest(file)).isEmpty();
            assertThat(ws.hasUnsavedChanges(file)).isTrue();
            assertThatThrownBy(() -> ws.showAt(file, "v1")).isInstanceOf(UserException.class)
                    .hasMessageContaining("no saved versions");
        }
    }
}
