package org.rsafe.ui.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.SimpleStringProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.cli.CalibrationFixture;
import org.rsafe.engine.Engine;
import org.rsafe.engine.quick.QuickEngine;
import org.rsafe.engine.quick.QuickEngineOptions;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.ui.task.DirectTaskExecutor;

/**
 * The Calibrate thresholds dialog's state with the real quick engine, wrapped as the workbench wraps every engine
 * ({@code FxSafeEngine}: a precision target must still find the quick engine's REVIEW band inside it), on the same rows as the command's tests:
 * thresholds that do worse on the held-out rows wait for "Write anyway", as {@code rsafe calibrate} waits for
 * {@code --force}.
 */
class CalibrateViewModelTest {
    private static Engine quick;

    @TempDir
    Path dir;

    private final List<Path> written = new ArrayList<>();

    @BeforeAll
    static void loadEngine() {
        quick = QuickEngine.create(QuickEngineOptions.defaults());
    }

    @AfterAll
    static void closeEngine() {
        quick.close();
    }

    private CalibrateViewModel dialog(Path policy, double defaultThreshold) {
        return new CalibrateViewModel(new DirectTaskExecutor(), policy, (onReady, onFailed) -> onReady.accept(new org.rsafe.ui.bench.FxSafeEngine(quick)),
                new SimpleStringProperty("the quick engine"), () -> defaultThreshold, written::add);
    }

    private CalibrateViewModel refusedCalibration(Path policy) throws IOException {
        CalibrateViewModel vm = dialog(policy, 0.5);
        vm.dataFileProperty().set(CalibrationFixture.writeNoisyData(dir.resolve("noisy.csv")));
        vm.seedProperty().set(Long.toString(CalibrationFixture.WORSE_SEED));
        vm.calibrate();
        return vm;
    }

    @Test
    void thresholdsThatDoWorseOnTheHeldOutRowsAreNotWrittenAndWriteAnywayIsOffered() throws IOException {
        Path policy = CalibrationFixture.writePolicy(dir);
        byte[] before = Files.readAllBytes(policy);

        CalibrateViewModel vm = refusedCalibration(policy);

        assertThat(vm.stateProperty().get()).as(vm.messageProperty().get()).isEqualTo(CalibrateViewModel.State.REFUSED);
        assertThat(vm.refusalProperty().get()).startsWith("Not written: the new thresholds do worse than the current "
                + "ones on the 12 held-out rows (F1 ");
        assertThat(vm.canWriteAnywayBinding().get()).isTrue();
        assertThat(vm.reportProperty().get()).contains("Held-out rows (12, not used for fitting)");
        assertThat(Files.readAllBytes(policy)).as("the policy file, byte for byte").isEqualTo(before);
        assertThat(written).isEmpty();
    }

    @Test
    void writeAnywayWritesTheRefusedThresholdsAndReloadsThePolicy() throws IOException {
        Path policy = CalibrationFixture.writePolicy(dir);
        CalibrateViewModel vm = refusedCalibration(policy);

        vm.writeAnyway();

        assertThat(vm.stateProperty().get()).as(vm.messageProperty().get()).isEqualTo(CalibrateViewModel.State.WRITTEN);
        assertThat(vm.messageProperty().get()).contains("Wrote 2 threshold(s)", "although they do worse");
        assertThat(vm.refusalProperty().get()).isEmpty();
        assertThat(vm.canWriteAnywayBinding().get()).isFalse();
        Policy reread = PolicyLoader.loadOrThrow(policy);
        assertThat(reread.clause("W").map(Clause::threshold)).contains(vm.chosenThresholds().get("W"));
        assertThat(reread.clause("S").map(Clause::threshold)).contains(vm.chosenThresholds().get("S"));
        assertThat(written).containsExactly(policy);
    }

    @Test
    void changingASettingAfterARefusalWithdrawsWriteAnyway() throws IOException {
        Path policy = CalibrationFixture.writePolicy(dir);
        byte[] before = Files.readAllBytes(policy);
        CalibrateViewModel vm = refusedCalibration(policy);

        vm.roundsProperty().set("0");
        vm.writeAnyway();

        assertThat(vm.stateProperty().get()).isEqualTo(CalibrateViewModel.State.IDLE);
        assertThat(vm.canWriteAnywayBinding().get()).isFalse();
        assertThat(Files.readAllBytes(policy)).isEqualTo(before);
        assertThat(written).isEmpty();
    }

    @Test
    void thresholdsThatDoBetterAreWrittenAtOnce() throws IOException {
        Path policy = CalibrationFixture.writePolicy(dir);
        // From a default threshold that flags almost nothing, any fitted thresholds do better on the held-out rows.
        CalibrateViewModel vm = dialog(policy, 0.99);
        vm.dataFileProperty().set(CalibrationFixture.writeCleanData(dir.resolve("set.csv"), 60));

        vm.calibrate();

        assertThat(vm.stateProperty().get()).as(vm.messageProperty().get()).isEqualTo(CalibrateViewModel.State.WRITTEN);
        assertThat(vm.messageProperty().get()).isEqualTo("Wrote 2 threshold(s) to policy.yaml.");
        assertThat(PolicyLoader.loadOrThrow(policy).clause("W").map(Clause::threshold)).isPresent();
        assertThat(written).containsExactly(policy);
    }

    @Test
    void aBadSettingIsAMessageAndNothingRuns() throws IOException {
        Path policy = CalibrationFixture.writePolicy(dir);
        CalibrateViewModel vm = dialog(policy, 0.5);
        vm.dataFileProperty().set(CalibrationFixture.writeCleanData(dir.resolve("set.csv"), 8));
        vm.holdoutProperty().set("1");

        vm.calibrate();

        assertThat(vm.stateProperty().get()).isEqualTo(CalibrateViewModel.State.IDLE);
        assertThat(vm.messageProperty().get()).contains("must be between 0 and 1");
        assertThat(vm.resultProperty().get()).isNull();
    }

    @Test
    void aPrecisionTargetShowsTheBandAndItsHeldOutCoverageAndWritesTheBandWithTheThresholds() throws IOException {
        Path suite = Path.of("sample-inputs/steerability").toAbsolutePath();
        Path policy = dir.resolve("homework-helper.yaml");
        Files.copy(suite.resolve("homework-helper.yaml"), policy);
        CalibrateViewModel vm = dialog(policy, 0.5);
        vm.dataFileProperty().set(suite.resolve("homework-helper.csv"));
        vm.targetProperty().set("precision=0.90");
        // Seed 1 makes the fitted values do worse on the held-out rows (see ReviewBandCalibrationTest), so the
        // dialog waits for "Write anyway", which then writes the band with the thresholds.
        vm.seedProperty().set("1");

        vm.calibrate();

        assertThat(vm.stateProperty().get()).as(vm.messageProperty().get()).isEqualTo(CalibrateViewModel.State.REFUSED);
        assertThat(vm.bandSummaryProperty().get()).matches("REVIEW band 0\\.25 → [0-9.]+\\. Held-out rows: coverage "
                + "\\d\\.\\d\\d → \\d\\.\\d\\d, decided precision \\d\\.\\d\\d → \\d\\.\\d\\d\\.");
        assertThat(vm.refusalProperty().get()).contains("thresholds and band do worse", "decided precision");
        assertThat(vm.reportProperty().get()).contains("REVIEW band at the chosen thresholds", "f1, REVIEW as safe");
        assertThat(PolicyLoader.loadOrThrow(policy).reviewBand()).isNull();

        vm.writeAnyway();

        assertThat(vm.stateProperty().get()).as(vm.messageProperty().get()).isEqualTo(CalibrateViewModel.State.WRITTEN);
        double band = vm.resultProperty().get().calibration().bandAfter();
        assertThat(vm.messageProperty().get()).contains("threshold(s) and review_band "
                + org.rsafe.app.Calibration.formatBand(band) + " to homework-helper.yaml");
        assertThat(PolicyLoader.loadOrThrow(policy).reviewBand()).isEqualTo(band);
        assertThat(written).containsExactly(policy);
    }
}
