package org.rsafe.ui.editor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.ui.task.DirectTaskExecutor;
import org.rsafe.ui.task.ManualTaskExecutor;
import org.rsafe.util.Diagnostic;

class PolicyEditorViewModelTest {
    @TempDir
    Path dir;

    @Test
    void aValidPolicyIsUsableAndItsOutlineAndClauseLinesAreKnown() {
        PolicyEditorViewModel vm = new PolicyEditorViewModel(new DirectTaskExecutor(), PolicyCheck::check);
        vm.showLoaded(dir.resolve("pets.yaml"), TestPolicies.PETS);
        assertThat(vm.policyUsableProperty().get()).isTrue();
        assertThat(vm.problems()).noneMatch(Diagnostic::isError);
        assertThat(vm.outlineProperty().get().children()).hasSize(2);
        assertThat(vm.clauseLinesProperty().get()).containsKeys("P1", "P2");
        assertThat(vm.isDirty()).isFalse();
    }

    @Test
    void anEditThatBreaksThePolicyReportsAnErrorOnItsLineAndBlocksUse() {
        PolicyEditorViewModel vm = new PolicyEditorViewModel(new DirectTaskExecutor(), PolicyCheck::check);
        vm.showLoaded(null, TestPolicies.PETS);
        vm.textProperty().set(TestPolicies.PETS.replace("applies_to: both", "applies_to: everyone"));
        assertThat(vm.isDirty()).isTrue();
        assertThat(vm.policyUsableProperty().get()).isFalse();
        assertThat(vm.problems()).filteredOn(Diagnostic::isError).singleElement()
                .satisfies(d -> assertThat(d.pos().line()).isEqualTo(6));
        assertThat(vm.marksProperty().get().onLine(6)).isNotEmpty();
    }

    @Test
    void checkingWaitsForAPauseInTypingAndOnlyTheLastTextIsChecked() {
        ManualTaskExecutor executor = new ManualTaskExecutor();
        int[] checks = {0};
        PolicyEditorViewModel vm = new PolicyEditorViewModel(executor, (name, text) -> {
            checks[0]++;
            return PolicyCheck.check(name, text);
        });
        vm.textProperty().set(TestPolicies.PETS);
        vm.textProperty().set(TestPolicies.PETS + "# typing\n");
        vm.textProperty().set(TestPolicies.PETS + "unknown_key: 1\n");
        assertThat(vm.stateProperty().get()).isEqualTo(PolicyEditorViewModel.State.CHECKING);
        assertThat(executor.pending()).isEqualTo(1);
        executor.fireAll();
        assertThat(checks[0]).isEqualTo(1);
        assertThat(vm.stateProperty().get()).isEqualTo(PolicyEditorViewModel.State.CHECKED);
        assertThat(vm.problems()).anyMatch(d -> "unknown-key".equals(d.ruleId()) && d.pos().line() == 26);
    }

    @Test
    void brokenYamlKeepsTheLastOutlineButMakesThePolicyUnusable() {
        PolicyEditorViewModel vm = new PolicyEditorViewModel(new DirectTaskExecutor(), PolicyCheck::check);
        vm.showLoaded(null, TestPolicies.PETS);
        vm.textProperty().set(TestPolicies.PETS + "  - [unclosed\n");
        assertThat(vm.problems()).anyMatch(d -> "yaml-syntax".equals(d.ruleId()));
        assertThat(vm.policyProperty().get()).isNull();
        assertThat(vm.outlineProperty().get().children()).hasSize(2);
    }

    @Test
    void savingWritesTheFileAtomicallyAndClearsTheUnsavedMark() throws Exception {
        PolicyEditorViewModel vm = new PolicyEditorViewModel(new DirectTaskExecutor(), PolicyCheck::check);
        vm.showLoaded(null, "");
        vm.textProperty().set(TestPolicies.PETS);
        Path target = dir.resolve("sub/pets.yaml");
        boolean[] saved = {false};
        vm.saveTo(target, () -> saved[0] = true);
        assertThat(saved[0]).isTrue();
        assertThat(Files.readString(target)).isEqualTo(TestPolicies.PETS);
        assertThat(vm.isDirty()).isFalse();
        assertThat(vm.getFile()).isEqualTo(target);
        assertThat(vm.titleBinding().get()).isEqualTo("pets.yaml");
    }

    @Test
    void openingAMissingFileExplainsWhyAndLeavesTheEditorAlone() {
        PolicyEditorViewModel vm = new PolicyEditorViewModel(new DirectTaskExecutor(), PolicyCheck::check);
        vm.showLoaded(null, TestPolicies.PETS);
        vm.open(dir.resolve("nope.yaml"), () -> { });
        assertThat(vm.messageProperty().get()).contains("nope.yaml").contains("no such file");
        assertThat(vm.getText()).isEqualTo(TestPolicies.PETS);
    }

    @Test
    void openingAFileThatIsNotUtf8ExplainsWhy() throws Exception {
        Path bad = Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
        PolicyEditorViewModel vm = new PolicyEditorViewModel(new DirectTaskExecutor(), PolicyCheck::check);
        vm.open(bad, () -> { });
        assertThat(vm.messageProperty().get()).contains("not UTF-8");
    }

    @Test
    void jumpingTwiceToTheSameLineIsTwoRequests() {
        PolicyEditorViewModel vm = new PolicyEditorViewModel(new DirectTaskExecutor(), PolicyCheck::check);
        int[] jumps = {0};
        vm.jumpProperty().addListener((obs, old, now) -> jumps[0]++);
        vm.jumpTo(8);
        vm.jumpTo(8);
        vm.jumpTo(0);
        assertThat(jumps[0]).isEqualTo(2);
        assertThat(vm.jumpProperty().get().line()).isEqualTo(8);
    }
}
