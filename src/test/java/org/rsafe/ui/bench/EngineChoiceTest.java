package org.rsafe.ui.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.app.DecodingPreset;
import org.rsafe.app.EngineKind;
import org.rsafe.engine.Engine;
import org.rsafe.engine.llm.RandomModelWriter;
import org.rsafe.ui.task.HeldTaskExecutor;

/** The session's engine choice: what it shows, why it cannot judge, and how tabs obtain its engine. */
class EngineChoiceTest {
    @TempDir
    Path dir;

    private final HeldTaskExecutor executor = new HeldTaskExecutor();
    private final EngineService engines = new EngineService(executor, () -> {
        throw new IllegalStateException("no quick engine in this test");
    });
    private final EngineChoice choice = new EngineChoice(engines);

    @Test
    void theSummaryNamesTheEngineAndTheLocalModelsSettings() {
        assertThat(choice.summaryBinding().get()).isEqualTo("Quick engine (similarity)");

        choice.engineKindProperty().set(EngineKind.LOCAL_LLM);
        assertThat(choice.summaryBinding().get()).startsWith("Local LLM · no model folder chosen");

        choice.modelFolderProperty().set(dir.resolve("qwen2.5-0.5b"));
        choice.deviceProperty().set("gpu");
        choice.decodingProperty().set(DecodingPreset.PAPER);
        choice.maxCompletionLengthProperty().set(256);
        assertThat(choice.summaryBinding().get())
                .isEqualTo("Local LLM · qwen2.5-0.5b · gpu · paper sampling · max 256 tokens");
    }

    @Test
    void aQuickEngineThatIsStillLoadingIsReportedInsteadOfHandedOut() {
        List<String> failures = new ArrayList<>();

        choice.acquire(engine -> { throw new AssertionError("no engine is ready"); }, failures::add);

        assertThat(failures).containsExactly("The quick engine is still loading…");
    }

    @Test
    void tabsAskingWhileTheModelOpensShareOneLoadAndGetTheSameEngine() throws Exception {
        Path model = dir.resolve("tiny-model");
        RandomModelWriter.write(model, RandomModelWriter.Shape.TINY, 7, RandomModelWriter.Options.defaults());
        choice.engineKindProperty().set(EngineKind.LOCAL_LLM);
        choice.modelFolderProperty().set(model);
        List<Engine> received = new ArrayList<>();
        List<String> failures = new ArrayList<>();

        choice.acquire(received::add, failures::add);
        choice.acquire(received::add, failures::add);
        assertThat(executor.heldTitles()).containsExactly("Load local model");
        assertThat(received).isEmpty();
        executor.runAll();

        assertThat(failures).isEmpty();
        assertThat(received).hasSize(2);
        assertThat(received.get(0)).isSameAs(received.get(1));
        assertThat(received.get(0).identity().engine()).isEqualTo("llm");
        engines.close();
    }

    @Test
    void anAdapterFolderIsPartOfTheSettingsTheSummaryAndTheChecks() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("qwen-tiny"));
        choice.engineKindProperty().set(EngineKind.LOCAL_LLM);
        choice.modelFolderProperty().set(dir.resolve("qwen-tiny"));
        choice.adapterFolderProperty().set(dir.resolve("grpo-run-3"));

        assertThat(choice.blockedReasonBinding().get()).isEqualTo("The adapter folder does not exist: "
                + dir.resolve("grpo-run-3"));
        choice.adapterFolderProperty().set(java.nio.file.Files.createDirectories(dir.resolve("grpo-run-4")));
        assertThat(choice.blockedReasonBinding().get()).isEmpty();
        assertThat(choice.summaryBinding().get()).startsWith("Local LLM · qwen-tiny + adapter grpo-run-4 · cpu");
        assertThat(choice.spec().adapter()).isEqualTo(dir.resolve("grpo-run-4"));
    }

    @Test
    void theModelOpensWithTheChosenAdapterSoAFolderThatIsNoAdapterIsReported() throws Exception {
        Path model = dir.resolve("tiny-model");
        RandomModelWriter.write(model, RandomModelWriter.Shape.TINY, 7, RandomModelWriter.Options.defaults());
        Path notAnAdapter = java.nio.file.Files.createDirectories(dir.resolve("empty"));
        choice.engineKindProperty().set(EngineKind.LOCAL_LLM);
        choice.modelFolderProperty().set(model);
        choice.adapterFolderProperty().set(notAnAdapter);
        List<String> failures = new ArrayList<>();

        choice.acquire(engine -> { throw new AssertionError("the adapter folder is not an adapter"); }, failures::add);
        executor.runAll();

        assertThat(failures).singleElement().asString().contains("no adapter_config.json");
    }
}
