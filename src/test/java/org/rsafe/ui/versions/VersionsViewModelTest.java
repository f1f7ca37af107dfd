package org.rsafe.ui.versions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.ui.editor.TestPolicies;
import org.rsafe.ui.task.DirectTaskExecutor;
import org.rsafe.workspace.DiffRow;
import org.rsafe.workspace.PolicyVersion;

/** The Versions and Compare view models against a real git workspace in a temporary folder. */
class VersionsViewModelTest {
    @TempDir
    Path dir;

    private Path policy;
    private final SimpleObjectProperty<Path> file = new SimpleObjectProperty<>();
    private boolean dirty;
    private final List<Path> reloaded = new ArrayList<>();
    private VersionsViewModel versions;
    private CompareViewModel compare;

    @BeforeEach
    void setUp() throws Exception {
        policy = dir.resolve("pets.yaml");
        Files.writeString(policy, TestPolicies.PETS);
        DirectTaskExecutor executor = new DirectTaskExecutor();
        versions = new VersionsViewModel(executor, file, () -> dirty, reloaded::add);
        compare = new CompareViewModel(executor);
        compare.followVersions(versions);
        versions.setOnCompare(saved -> compare.compare(saved, CompareSide.current(saved.file())));
        file.set(policy);
    }

    @Test
    void aFileInNoWorkspaceHasNoVersionsAndOpeningItCreatesNoRepository() {
        assertThat(versions.versions()).isEmpty();
        assertThat(versions.workspaceRootProperty().get()).isEmpty();
        assertThat(dir.resolve(".git")).doesNotExist();
    }

    @Test
    void savingAVersionListsItNewestFirstWithItsMessage() throws Exception {
        versions.save("First draft");
        Files.writeString(policy, TestPolicies.PETS.replace("Animal cruelty", "Cruelty to animals"));
        versions.save("Rename P1");

        assertThat(versions.versions()).extracting(PolicyVersion::label, PolicyVersion::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("v2", "Rename P1"),
                        org.assertj.core.groups.Tuple.tuple("v1", "First draft"));
        assertThat(versions.messageProperty().get()).startsWith("Saved v2");
        assertThat(compare.choices()).hasSize(3);
    }

    @Test
    void savingUnchangedTextSaysThereIsNothingToSave() {
        versions.save("First draft");
        versions.save("Again");

        assertThat(versions.versions()).hasSize(1);
        assertThat(versions.messageProperty().get()).contains("Nothing to save");
    }

    @Test
    void savingAVersionIsRefusedWhileTheEditorHasUnsavedEdits() {
        dirty = true;
        versions.save("Draft");

        assertThat(versions.versions()).isEmpty();
        assertThat(versions.messageProperty().get()).contains("unsaved edits");
    }

    @Test
    void restoringAVersionWritesItBackSavesItAsANewVersionAndReloadsTheEditor() throws Exception {
        versions.save("First draft");
        Files.writeString(policy, TestPolicies.PETS.replace("Animal cruelty", "Cruelty to animals"));
        versions.save("Rename P1");

        versions.selectedProperty().set(versions.versions().get(1));
        versions.restoreSelected();

        assertThat(Files.readString(policy)).isEqualTo(TestPolicies.PETS);
        assertThat(versions.versions()).hasSize(3);
        assertThat(versions.versions().get(0).message()).contains("v1");
        assertThat(reloaded).containsExactly(policy);
    }

    @Test
    void restoringOverChangesThatWereNeverSavedIsRefusedWithAReadableMessage() throws Exception {
        versions.save("First draft");
        Files.writeString(policy, TestPolicies.PETS.replace("Animal cruelty", "Unsaved title"));

        versions.selectedProperty().set(versions.versions().get(0));
        versions.restoreSelected();

        assertThat(Files.readString(policy)).contains("Unsaved title");
        assertThat(versions.messageProperty().get()).contains("never saved");
        assertThat(reloaded).isEmpty();
    }

    @Test
    void comparingAVersionWithTheCurrentFileShowsTheChangedLineAndTheClauseChange() throws Exception {
        versions.save("First draft");
        Files.writeString(policy, TestPolicies.PETS.replace("Animal cruelty", "Cruelty to animals"));

        versions.selectedProperty().set(versions.versions().get(0));
        versions.compareSelectedWithCurrent();

        assertThat(compare.rows()).anySatisfy(row -> {
            assertThat(row.kind()).isEqualTo(DiffRow.Kind.CHANGED);
            assertThat(row.leftText()).contains("Animal cruelty");
            assertThat(row.rightText()).contains("Cruelty to animals");
        });
        assertThat(compare.structuralChanges()).anySatisfy(line -> assertThat(line).contains("P1").contains("Cruelty to animals"));
        assertThat(compare.summaryProperty().get()).contains("1 line(s) differ")
                // The same count of policy changes as rsafe compare prints.
                .endsWith("policy changes: 0 clause(s) added, 0 removed, 1 changed (1 renamed)");
    }

    @Test
    void comparingWithAFileThatIsNotAPolicyStillShowsTheTextDiffAndSaysWhy() throws Exception {
        Path other = dir.resolve("notes.yaml");
        Files.writeString(other, "just: [unclosed\n");

        compare.compare(CompareSide.current(policy), CompareSide.current(other));

        assertThat(compare.rows()).isNotEmpty();
        assertThat(compare.structuralChanges()).isEmpty();
        assertThat(compare.messageProperty().get()).contains("B (notes.yaml (current)) is not a readable policy");
    }

    @Test
    void comparingAMissingFileReportsItInsteadOfFailing() {
        compare.compare(CompareSide.current(policy), CompareSide.current(dir.resolve("gone.yaml")));

        assertThat(compare.rows()).isEmpty();
        assertThat(compare.messageProperty().get()).isEqualTo("Cannot compare: no such file");
    }
}
