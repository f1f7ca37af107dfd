package org.rsafe.ui.versions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.Engine;
import org.rsafe.engine.quick.QuickEngine;
import org.rsafe.engine.quick.QuickEngineOptions;
import org.rsafe.ui.task.DirectTaskExecutor;
import org.rsafe.workspace.MetricDelta;

/** "Run comparison" on the Compare tab with the real quick engine and stored runs in a temporary workspace. */
class CompareRunsTest {
    private static final Path POLICY = Path.of("policies/rsafe-default.yaml").toAbsolutePath();
    private static final Path PROMPTS = Path.of("sample-inputs/prompts.csv").toAbsolutePath();

    private static Engine quick;

    @TempDir
    Path dir;

    private Path a;
    private Path b;
    private Path dataset;
    private CompareViewModel vm;

    @BeforeAll
    static void loadEngine() {
        quick = QuickEngine.create(QuickEngineOptions.defaults());
    }

    @AfterAll
    static void closeEngine() {
        quick.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        String text = Files.readString(POLICY);
        a = dir.resolve("a.yaml");
        b = dir.resolve("b.yaml");
        Files.writeString(a, text);
        // B drops the violence clause, so prompts labelled unsafe for violence should flip to safe.
        int start = text.indexOf("  - id: U1\n");
        int end = text.indexOf("  - id: U2\n");
        Files.writeString(b, text.substring(0, start) + text.substring(end));
        dataset = PROMPTS;
        vm = new CompareViewModel(new DirectTaskExecutor());
        vm.useRuns(() -> Optional.of(quick), () -> dataset);
        vm.sideAProperty().set(CompareSide.current(a));
        vm.sideBProperty().set(CompareSide.current(b));
    }

    @Test
    void runningTheComparisonListsMetricDeltasAndTheRowsThatFlipped() {
        vm.runComparison();

        assertThat(vm.deltas()).extracting(MetricDelta::metric).contains("f1", "precision", "recall", "fpr");
        assertThat(vm.flips()).isNotEmpty().allSatisfy(f -> assertThat(f.verdictA()).isNotEqualTo(f.verdictB()));
        assertThat(vm.runMessageProperty().get()).contains(vm.flips().size() + " verdict flip(s)");
        assertThat(vm.runningProperty().get()).isFalse();
    }

    @Test
    void selectingAFlipShowsTheVerdictAndStepsUnderBothPolicies() {
        vm.runComparison();
        var flip = vm.flips().get(0);

        vm.selectedFlipProperty().set(flip);

        assertThat(vm.traceA()).first().asString().startsWith("A: " + flip.verdictA().label());
        assertThat(vm.traceB()).first().asString().startsWith("B: " + flip.verdictB().label());
        assertThat(vm.traceA().size()).isGreaterThan(1);
    }

    @Test
    void runningWithoutABatchDatasetAsksForOne() {
        dataset = null;
        vm.runComparison();

        assertThat(vm.runMessageProperty().get()).contains("Open a labelled dataset on the Batch tab");
        assertThat(vm.deltas()).isEmpty();
    }

    @Test
    void aSideThatIsNotAPolicyIsReportedAsAUserMistake() throws Exception {
        Files.writeString(b, "clauses: [unclosed\n");
        vm.runComparison();

        assertThat(vm.runMessageProperty().get())
                .isEqualTo("Cannot run the comparison: B (b.yaml (current)) is not a readable policy");
    }
}
