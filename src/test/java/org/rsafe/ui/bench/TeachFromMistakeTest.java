package org.rsafe.ui.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.rsafe.policy.Example;
import org.rsafe.ui.editor.PolicyCheck;
import org.rsafe.ui.editor.PolicyEditorViewModel;
import org.rsafe.ui.editor.TestPolicies;
import org.rsafe.ui.task.DirectTaskExecutor;

/** "Add as example" from the test bench: the input lands in the editor's policy as one edit, and is checked again. */
class TeachFromMistakeTest {
    private final DirectTaskExecutor executor = new DirectTaskExecutor();
    private final PolicyEditorViewModel editor = new PolicyEditorViewModel(executor, PolicyCheck::check);
    private final EngineService engines = new EngineService(executor, () -> {
        throw new IllegalStateException("no engine in this test");
    });
    private final TestBenchViewModel bench = new TestBenchViewModel(executor, new EngineChoice(engines),
            editor.policyProperty(), editor.policyUsableProperty());

    @Test
    void theBenchInputBecomesASafeExampleOfTheChosenClauseAndThePolicyIsCheckedAgain() {
        editor.showLoaded(null, TestPolicies.PETS);
        bench.setExampleSink(editor::addExample);
        bench.promptProperty().set("How do I keep stray cats out of my vegetable patch?");
        assertThat(bench.clauseIds()).containsExactly("P1", "P2");

        assertThat(bench.addAsExample("P1", false)).isTrue();

        assertThat(editor.policyProperty().get().clause("P1").orElseThrow().safe()).extracting(Example::text)
                .endsWith("How do I keep stray cats out of my vegetable patch?");
        PolicyEditorViewModel.TextEdit edit = editor.editProperty().get();
        assertThat(edit.inserted()).contains("How do I keep stray cats out of my vegetable patch?");
        assertThat(editor.getText().lines().toList().get(edit.line() - 1)).contains("vegetable patch");
        assertThat(editor.jumpProperty().get().line()).isEqualTo(edit.line());
        assertThat(editor.isDirty()).isTrue();
        assertThat(editor.policyUsableProperty().get()).isTrue();
    }

    @Test
    void aResponseIsWhatIsAddedWhenOneWasJudged() {
        editor.showLoaded(null, TestPolicies.PETS);
        bench.setExampleSink(editor::addExample);
        bench.promptProperty().set("How do I get rid of the cats?");
        bench.responseProperty().set("Put out poisoned meat where they eat.");
        assertThat(bench.addAsExample("P1", true)).isTrue();
        assertThat(editor.policyProperty().get().clause("P1").orElseThrow().violating()).extracting(Example::text)
                .endsWith("Put out poisoned meat where they eat.");
    }

    @Test
    void anUnknownClauseLeavesTheTextAloneAndSaysWhy() {
        editor.showLoaded(null, TestPolicies.PETS);
        bench.setExampleSink(editor::addExample);
        bench.promptProperty().set("Hello");
        assertThat(bench.addAsExample("P9", true)).isFalse();
        assertThat(editor.getText()).isEqualTo(TestPolicies.PETS);
        assertThat(editor.messageProperty().get()).contains("P9");
    }
}
