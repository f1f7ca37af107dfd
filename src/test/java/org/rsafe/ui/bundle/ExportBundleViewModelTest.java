package org.rsafe.ui.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.bundle.SigningKeys;
import org.rsafe.engine.Engine;
import org.rsafe.engine.quick.QuickEngine;
import org.rsafe.engine.quick.QuickEngineOptions;
import org.rsafe.ui.task.DirectTaskExecutor;

/** The Export bundle dialog's state with the real quick engine, exporter and signing keys (in a temporary folder). */
class ExportBundleViewModelTest {
    private static final Path POLICY = Path.of("policies/rsafe-default.yaml").toAbsolutePath();
    private static final Path PROMPTS = Path.of("sample-inputs/prompts.csv").toAbsolutePath();

    private static Engine quick;

    @TempDir
    Path dir;

    private String oldConfigDir;
    private ExportBundleViewModel vm;

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
        oldConfigDir = System.getProperty(SigningKeys.CONFIG_PROPERTY);
        System.setProperty(SigningKeys.CONFIG_PROPERTY, dir.resolve("config").toString());
        Path policy = dir.resolve("ws/policy.yaml");
        Files.createDirectories(policy.getParent());
        Files.copy(POLICY, policy);
        vm = new ExportBundleViewModel(new DirectTaskExecutor(), policy, () -> Optional.of(quick), "test");
        vm.dataFileProperty().set(PROMPTS);
    }

    @AfterEach
    void restoreConfigDir() {
        if (oldConfigDir == null) {
            System.clearProperty(SigningKeys.CONFIG_PROPERTY);
        } else {
            System.setProperty(SigningKeys.CONFIG_PROPERTY, oldConfigDir);
        }
    }

    @Test
    void gatesThatAreMetAllPassAndExportWritesASignedBundle() {
        vm.minF1Property().set("0");
        vm.maxFprProperty().set("1");
        vm.validate();

        assertThat(vm.checks()).extracting(GateCheck::passed).containsOnly(true);
        assertThat(vm.checks()).anySatisfy(c -> assertThat(c.text()).startsWith("F1"));
        assertThat(vm.checks()).anySatisfy(c -> assertThat(c.text()).startsWith("false-positive rate"));
        assertThat(vm.canExportBinding().get()).isTrue();

        Path out = dir.resolve("out/policy.rsafe.zip");
        vm.export(out);

        assertThat(out).isRegularFile();
        assertThat(vm.stateProperty().get()).isEqualTo(ExportBundleViewModel.State.EXPORTED);
        assertThat(vm.messageProperty().get()).startsWith("Wrote ");
        assertThat(dir.resolve("config")).isDirectory();
    }

    @Test
    void aGateThatCannotBeMetIsListedAsFailedAndExportStaysDisabled() {
        vm.minF1Property().set("1");
        vm.maxFprProperty().set("0");
        vm.validate();

        assertThat(vm.checks()).anySatisfy(c -> assertThat(c.passed()).isFalse());
        assertThat(vm.canExportBinding().get()).isFalse();
        vm.export(dir.resolve("refused.zip"));
        assertThat(dir.resolve("refused.zip")).doesNotExist();
        assertThat(vm.messageProperty().get()).contains("Validate first");
    }

    @Test
    void changingAGateAfterValidatingAsksForANewValidationBeforeExport() {
        vm.minF1Property().set("0");
        vm.validate();
        assertThat(vm.canExportBinding().get()).isTrue();

        vm.minF1Property().set("0.1");

        assertThat(vm.canExportBinding().get()).isFalse();
        assertThat(vm.checks()).isEmpty();
    }

    @Test
    void aMinF1ThatIsNotANumberIsReportedWithoutEvaluating() {
        vm.minF1Property().set("high");
        vm.validate();

        assertThat(vm.messageProperty().get()).isEqualTo("Min F1 must be a number from 0 to 1 (like 0.8), not 'high'");
        assertThat(vm.stateProperty().get()).isEqualTo(ExportBundleViewModel.State.IDLE);
        assertThat(dir.resolve("ws/.rsafe")).doesNotExist();
    }

    @Test
    void aMissingDataFileIsReportedAsAUserMistake() {
        vm.dataFileProperty().set(dir.resolve("nope.csv"));
        vm.validate();

        assertThat(vm.messageProperty().get()).isEqualTo("Cannot validate: " + dir.resolve("nope.csv") + ": no such data file");
        assertThat(vm.canExportBinding().get()).isFalse();
    }
}
