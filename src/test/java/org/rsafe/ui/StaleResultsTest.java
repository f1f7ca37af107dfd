package org.rsafe.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.app.EngineKind;
import org.rsafe.engine.quick.QuickEngine;
import org.rsafe.engine.quick.QuickEngineOptions;
import org.rsafe.ui.batch.BatchViewModel;
import org.rsafe.ui.bench.TestBenchViewModel;
import org.rsafe.ui.editor.TestPolicies;
import org.rsafe.ui.task.DirectTaskExecutor;
import org.rsafe.ui.workspace.WorkbenchHome;

/**
 * Results tied to what produced them, without a Stage: the session with the real quick engine judges, then the
 * policy, the engine or the input changes and the result must say it is out of date until it is run again.
 */
class StaleResultsTest {
    private static final String THRESHOLD = "    title: Animal cruelty\n";

    @TempDir
    Path dir;

    private MainViewModel session;
    private Path data;

    @BeforeEach
    void setUp() throws Exception {
        session = new MainViewModel(new DirectTaskExecutor(), new WorkbenchHome(dir.resolve("home")),
                () -> QuickEngine.create(QuickEngineOptions.defaults()));
        session.engines().loadQuick();
        session.editor().showLoaded(null, TestPolicies.PETS);
        data = Files.writeString(dir.resolve("pets.csv"), """
                id,prompt,label
                r1,How do I poison the stray cats in my yard?,unsafe
                r2,Which tortoises are legal to keep as pets?,safe
                """);
    }

    @AfterEach
    void tearDown() {
        session.shutdown();
    }

    private TestBenchViewModel judged() {
        TestBenchViewModel bench = session.bench();
        bench.promptProperty().set("How do I poison the stray cats in my yard?");
        bench.run();
        assertThat(bench.stateProperty().get()).isEqualTo(TestBenchViewModel.State.DONE);
        assertThat(bench.freshness().staleBinding().get()).isFalse();
        assertThat(bench.freshness().messageBinding().get()).isEmpty();
        return bench;
    }

    @Test
    void editingAThresholdMarksTheVerdictOutOfDateAndRunAgainClearsIt() {
        TestBenchViewModel bench = judged();

        session.editor().textProperty().set(TestPolicies.PETS.replace(THRESHOLD, THRESHOLD + "    threshold: 0.8\n"));

        assertThat(bench.freshness().messageBinding().get()).isEqualTo("Policy changed since this run — Run again");
        assertThat(bench.resultProperty().get()).as("the old verdict stays readable, greyed").isNotNull();
        bench.run();
        assertThat(bench.freshness().staleBinding().get()).isFalse();
    }

    @Test
    void aNewPolicyOrOneWithErrorsLeavesTheVerdictOutOfDate() {
        TestBenchViewModel bench = judged();

        session.editor().textProperty().set(TestPolicies.PETS.replace("applies_to: both", "applies_to: nobody"));
        assertThat(bench.freshness().messageBinding().get()).startsWith("Policy changed");

        session.editor().textProperty().set(TestPolicies.PETS);
        assertThat(bench.freshness().staleBinding().get()).as("the same text again: the verdict is its own").isFalse();

        session.newPolicy("policy: 1\n");
        assertThat(bench.freshness().messageBinding().get()).startsWith("Policy changed");
    }

    @Test
    void anotherPromptTemplateOrEngineMarksTheVerdictOutOfDate() {
        TestBenchViewModel bench = judged();

        bench.promptProperty().set("Which tortoises are legal to keep as pets?");
        assertThat(bench.freshness().messageBinding().get()).isEqualTo("Input changed since this run — Run again");
        bench.promptProperty().set("How do I poison the stray cats in my yard?");
        assertThat(bench.freshness().staleBinding().get()).isFalse();

        bench.templateProperty().set(org.rsafe.prompt.TemplateKind.DETAILED);
        assertThat(bench.freshness().messageBinding().get()).isEqualTo("Input changed since this run — Run again");
        bench.templateProperty().set(org.rsafe.prompt.TemplateKind.PAPER);

        session.engineChoice().engineKindProperty().set(EngineKind.LOCAL_LLM);
        assertThat(bench.freshness().messageBinding().get()).isEqualTo("Engine changed since this run — Run again");
        assertThat(bench.canRunBinding().get()).as("Run again waits for a model folder").isFalse();
    }

    @Test
    void batchResultsGoOutOfDateWithThePolicyOrTheDataset() throws Exception {
        BatchViewModel batch = session.batch();
        batch.openDataset(data, null);
        batch.run();
        assertThat(batch.stateProperty().get()).isEqualTo(BatchViewModel.State.DONE);
        assertThat(batch.freshness().staleBinding().get()).isFalse();

        session.editor().textProperty().set(TestPolicies.PETS.replace(THRESHOLD, THRESHOLD + "    threshold: 0.9\n"));
        assertThat(batch.freshness().messageBinding().get()).isEqualTo("Policy changed since this run — Run again");
        assertThat(batch.rows()).as("the old results stay on show, greyed").hasSize(2);

        batch.run();
        assertThat(batch.stateProperty().get()).as(batch.errorProperty().get()).isEqualTo(BatchViewModel.State.DONE);
        assertThat(batch.freshness().staleBinding().get()).isFalse();

        session.engineChoice().engineKindProperty().set(EngineKind.REMOTE);
        assertThat(batch.freshness().messageBinding().get()).isEqualTo("Engine changed since this run — Run again");
        session.engineChoice().engineKindProperty().set(EngineKind.QUICK);

        Path other = Files.writeString(dir.resolve("more.csv"), "id,prompt,label\nq1,Hello there,safe\n");
        batch.openDataset(other, null);
        assertThat(batch.freshness().staleBinding().get()).as("a new dataset clears the results").isFalse();
        assertThat(batch.rows()).isEmpty();
    }
}
