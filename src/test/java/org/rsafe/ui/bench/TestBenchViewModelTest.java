package org.rsafe.ui.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.app.EngineKind;
import org.rsafe.ui.editor.PolicyCheck;
import org.rsafe.ui.editor.PolicyEditorViewModel;
import org.rsafe.ui.editor.TestPolicies;
import org.rsafe.ui.task.DirectTaskExecutor;

class TestBenchViewModelTest {
    @TempDir
    Path dir;

    private final DirectTaskExecutor executor = new DirectTaskExecutor();
    private final PolicyEditorViewModel editor = new PolicyEditorViewModel(executor, PolicyCheck::check);
    private final EngineService engines = new EngineService(executor, () -> {
        throw new IllegalStateException("no engine in this test");
    });
    private final TestBenchViewModel bench = new TestBenchViewModel(executor, new EngineChoice(engines),
            editor.policyProperty(), editor.policyUsableProperty());

    @Test
    void theLocalLlmWithoutAModelFolderAsksForOneAndCannotRun() {
        editor.showLoaded(null, TestPolicies.PETS);
        bench.promptProperty().set("How do I poison the cats next door?");
        bench.engineChoice().engineKindProperty().set(EngineKind.LOCAL_LLM);
        assertThat(bench.canRunBinding().get()).isFalse();
        assertThat(bench.runBlockedReasonBinding().get()).isEqualTo(TestBenchViewModel.CHOOSE_MODEL_FOLDER);
        bench.run();
        assertThat(bench.errorProperty().get()).isEqualTo(TestBenchViewModel.CHOOSE_MODEL_FOLDER);
        assertThat(bench.stateProperty().get()).isEqualTo(TestBenchViewModel.State.IDLE);
    }

    @Test
    void aFolderThatIsNotAModelIsReportedInWordsAfterRun() throws Exception {
        editor.showLoaded(null, TestPolicies.PETS);
        bench.promptProperty().set("hi");
        bench.engineChoice().engineKindProperty().set(EngineKind.LOCAL_LLM);
        bench.engineChoice().modelFolderProperty().set(java.nio.file.Files.createDirectories(dir.resolve("not-a-model")));
        assertThat(bench.canRunBinding().get()).isTrue();
        bench.run();
        assertThat(bench.stateProperty().get()).isEqualTo(TestBenchViewModel.State.FAILED);
        assertThat(bench.errorProperty().get()).contains("could not be loaded").contains("config.json")
                .doesNotContain("Exception");
        assertThat(engines.llmStatusProperty().get()).isEqualTo(EngineService.Status.FAILED);
    }

    @Test
    void likeTheCliItJudgesAResponseWithoutItsPromptButNotAnEmptyInput() throws Exception {
        editor.showLoaded(null, TestPolicies.PETS);
        bench.engineChoice().engineKindProperty().set(EngineKind.LOCAL_LLM);
        bench.engineChoice().modelFolderProperty().set(java.nio.file.Files.createDirectories(dir.resolve("model")));

        assertThat(bench.runBlockedReasonBinding().get()).isEqualTo("Type a prompt to judge.");
        bench.responseProperty().set("Mix the pellets into the cat food next door.");
        assertThat(bench.runBlockedReasonBinding().get()).isEmpty();
        assertThat(org.rsafe.app.Judging.problem("", bench.responseProperty().get())).isEmpty();
        assertThat(org.rsafe.app.Judging.problem(" ", null)).isNotEmpty();
    }

    @Test
    void aMissingModelFolderIsNamedInTheReason() {
        editor.showLoaded(null, TestPolicies.PETS);
        bench.promptProperty().set("hi");
        bench.engineChoice().engineKindProperty().set(EngineKind.LOCAL_LLM);
        bench.engineChoice().modelFolderProperty().set(dir.resolve("qwen-missing"));
        assertThat(bench.runBlockedReasonBinding().get()).contains("model folder does not exist").contains("qwen-missing");
    }

    @Test
    void aPolicyWithErrorsOrAnEmptyPromptBlocksTheRunWithAReason() {
        editor.showLoaded(null, TestPolicies.PETS.replace("applies_to: both", "applies_to: nobody"));
        bench.promptProperty().set("hello");
        assertThat(bench.runBlockedReasonBinding().get()).contains("policy has errors");
        editor.textProperty().set(TestPolicies.PETS);
        bench.promptProperty().set("   ");
        assertThat(bench.runBlockedReasonBinding().get()).contains("Type a prompt");
    }

    @Test
    void anEngineThatFailsToStartIsReportedInsteadOfRun() {
        editor.showLoaded(null, TestPolicies.PETS);
        bench.promptProperty().set("hello");
        engines.loadQuick();
        assertThat(engines.quickStatusProperty().get()).isEqualTo(EngineService.Status.FAILED);
        assertThat(bench.runBlockedReasonBinding().get()).contains("could not start").contains("no engine in this test");
    }
}
