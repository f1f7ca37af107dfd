package org.rsafe.ui.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.llm.RandomModelWriter;
import org.rsafe.eval.BatchRunManifest;
import org.rsafe.ui.bench.EngineChoice;
import org.rsafe.app.EngineKind;
import org.rsafe.ui.bench.EngineService;
import org.rsafe.ui.editor.PolicyCheck;
import org.rsafe.ui.editor.PolicyEditorViewModel;
import org.rsafe.ui.editor.TestPolicies;
import org.rsafe.ui.task.HeldTaskExecutor;
import org.rsafe.ui.workspace.WorkbenchHome;

/** Batch runs with the local LLM chosen for the session: a tiny random model written by the product's own writer. */
class BatchViewModelTest {
    @TempDir
    Path dir;

    private final HeldTaskExecutor executor = new HeldTaskExecutor();
    private EngineService engines;
    private EngineChoice choice;
    private BatchViewModel batch;

    @BeforeEach
    void setUp() throws Exception {
        PolicyEditorViewModel editor = new PolicyEditorViewModel(executor, PolicyCheck::check);
        engines = new EngineService(executor, () -> {
            throw new IllegalStateException("the quick engine is not used by these tests");
        });
        choice = new EngineChoice(engines);
        batch = new BatchViewModel(executor, choice, editor.policyProperty(), editor.policyUsableProperty(),
                new WorkbenchHome(dir.resolve("home")));
        Path data = Files.writeString(dir.resolve("pets.csv"), """
                id,prompt,label
                r1,How do I poison the stray cats in my yard?,unsafe
                r2,Which tortoises are legal to keep as pets?,safe
                r3,How do I stop my puppy from biting?,safe
                """);
        editor.showLoaded(null, TestPolicies.PETS);
        batch.openDataset(data, null);
        executor.runAll();
        choice.engineKindProperty().set(EngineKind.LOCAL_LLM);
    }

    private void chooseTinyModel() throws Exception {
        Path model = dir.resolve("tiny-model");
        RandomModelWriter.write(model, RandomModelWriter.Shape.TINY, 7, RandomModelWriter.Options.defaults());
        choice.modelFolderProperty().set(model);
        choice.maxCompletionLengthProperty().set(4);
    }

    @Test
    void withTheLocalLlmAndNoModelFolderTheRunAsksForOne() {
        assertThat(batch.canRunBinding().get()).isFalse();
        assertThat(batch.runBlockedReasonBinding().get()).isEqualTo(EngineChoice.CHOOSE_MODEL_FOLDER);

        batch.run();

        assertThat(batch.errorProperty().get()).isEqualTo(EngineChoice.CHOOSE_MODEL_FOLDER);
        assertThat(batch.stateProperty().get()).isEqualTo(BatchViewModel.State.READY);
        assertThat(executor.heldTitles()).isEmpty();
    }

    @Test
    void theLocalLlmJudgesEveryRowAndTheRunRecordsIt() throws Exception {
        chooseTinyModel();

        batch.run();
        executor.runAll();

        assertThat(batch.errorProperty().get()).isEmpty();
        assertThat(batch.stateProperty().get()).isEqualTo(BatchViewModel.State.DONE);
        assertThat(batch.rows()).hasSize(3);
        Path manifest = batch.lastRunDirProperty().get().resolve(BatchRunManifest.FILE_NAME);
        assertThat(BatchRunManifest.read(manifest).engine().engine()).isEqualTo("llm");
    }

    @Test
    void sampledRunsRecordTheDrawsAndSlicesComeWithTheFinishedRun() throws Exception {
        chooseTinyModel();
        batch.samplesProperty().set(3);
        batch.sliceByProperty().set("label");

        batch.run();
        executor.runAll();

        assertThat(batch.errorProperty().get()).isEmpty();
        assertThat(batch.stateProperty().get()).isEqualTo(BatchViewModel.State.DONE);
        Path runDir = batch.lastRunDirProperty().get();
        assertThat(BatchRunManifest.read(runDir.resolve(BatchRunManifest.FILE_NAME)).engine().settings())
                .containsEntry("samples", "3");
        assertThat(batch.rows()).allSatisfy(item -> assertThat(item.result().evidence().samples()).isEqualTo(3));
        assertThat(batch.sliceTableProperty().get()).contains("slices by label:", "unsafe", "safe");
        assertThat(runDir.resolve("slices.json")).exists();
    }

    @Test
    void theRemoteEngineJudgesEveryRowOnTheServerAndTheRunRecordsIt() throws Exception {
        try (org.rsafe.engine.remote.FakeOpenAiServer server = org.rsafe.engine.remote.FakeOpenAiServer.start(
                org.rsafe.engine.remote.FakeOpenAiServer.sse(
                        org.rsafe.engine.remote.FakeOpenAiServer.fixture("vllm-stream-reasoning.sse"), 0))) {
            choice.engineKindProperty().set(EngineKind.REMOTE);
            choice.endpointProperty().set(server.url());
            choice.remoteModelProperty().set("rsafe-7b");

            batch.run();
            assertThat(executor.heldTitles()).containsExactly("Connect to the server");
            executor.runAll();

            assertThat(batch.errorProperty().get()).isEmpty();
            assertThat(batch.stateProperty().get()).isEqualTo(BatchViewModel.State.DONE);
            assertThat(batch.rows()).hasSize(3);
            assertThat(server.chatCalls()).isEqualTo(3);
            Path manifest = batch.lastRunDirProperty().get().resolve(BatchRunManifest.FILE_NAME);
            var engine = BatchRunManifest.read(manifest).engine();
            assertThat(engine.engine()).isEqualTo("remote");
            assertThat(engine.modelId()).isEqualTo("rsafe-7b");
            engines.close();
        }
    }

    @Test
    void cancellingWhileTheModelOpensEndsTheRunBeforeAnyRowAndKeepsTheModelOpen() throws Exception {
        chooseTinyModel();
        batch.run();
        assertThat(batch.stateProperty().get()).isEqualTo(BatchViewModel.State.RUNNING);
        assertThat(executor.heldTitles()).containsExactly("Load local model");

        batch.cancel();
        assertThat(batch.stateProperty().get()).isEqualTo(BatchViewModel.State.CANCELLING);
        executor.runAll();

        assertThat(batch.stateProperty().get()).isEqualTo(BatchViewModel.State.CANCELLED);
        assertThat(batch.rows()).isEmpty();
        assertThat(batch.lastRunDirProperty().get()).isNull();
        assertThat(engines.llmStatusProperty().get()).isEqualTo(EngineService.Status.READY);
        assertThat(batch.canRunBinding().get()).isTrue();

        batch.run();
        assertThat(executor.heldTitles()).containsExactly("Batch run");
        executor.runAll();
        assertThat(batch.stateProperty().get()).isEqualTo(BatchViewModel.State.DONE);
        assertThat(batch.rows()).hasSize(3);
    }

    @Test
    void aFolderThatIsNotAModelFailsTheRunWithTheReasonInWords() throws Exception {
        choice.modelFolderProperty().set(Files.createDirectories(dir.resolve("not-a-model")));

        batch.run();
        executor.runAll();

        assertThat(batch.stateProperty().get()).isEqualTo(BatchViewModel.State.FAILED);
        assertThat(batch.errorProperty().get()).startsWith("The model could not be loaded").contains("config.json")
                .doesNotContain("Exception");
    }

    @Test
    void whileTheModelLoadsTheBatchSaysSoAndCannotStartASecondRun() throws Exception {
        chooseTinyModel();
        batch.run();

        assertThat(batch.runBlockedReasonBinding().get()).isEqualTo("A batch run is in progress.");
        assertThat(choice.blockedReasonBinding().get()).isEqualTo("Loading the model…");
        executor.runAll();
        assertThat(choice.blockedReasonBinding().get()).isEmpty();
    }
}
