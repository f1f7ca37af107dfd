package org.rsafe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.cli.CalibrationFixture;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.eval.BatchListener;
import org.rsafe.eval.CalibrationTarget;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.util.UserException;

/** The calibrate use case with the real quick engine: what it writes, refuses and leaves alone. */
class CalibrationTest {
    private static Engine quick;

    @TempDir
    Path dir;

    @BeforeAll
    static void openEngine() {
        quick = Engines.open(EngineSpec.quick());
    }

    @AfterAll
    static void closeEngine() {
        quick.close();
    }

    private Calibration.Request request(Path policy, boolean write, boolean force) throws IOException {
        DataSettings data = DataSettings.of(CalibrationFixture.writeNoisyData(dir.resolve("noisy.csv")))
                .withSeed(CalibrationFixture.WORSE_SEED);
        return new Calibration.Request(PolicyLoader.loadOrThrow(policy), policy, data,
                Evaluation.detect(data).mapping(),
                Calibration.config(CalibrationTarget.F1, 0.5, CalibrationFixture.WORSE_SEED, 3),
                EngineSpec.DEFAULT_THRESHOLD, null, false, write, force);
    }

    @Test
    void worseThresholdsAreRefusedWithTheirHeldOutNumbersAndForcedOnesAreWritten() throws IOException {
        Path policy = CalibrationFixture.writePolicy(dir);
        byte[] before = Files.readAllBytes(policy);

        Calibration.Result refused = Calibration.run(quick, request(policy, true, false), BatchListener.NONE,
                new Cancellation());
        assertThat(refused.refused()).isTrue();
        assertThat(refused.worseOnHoldout()).isTrue();
        assertThat(refused.written()).isNull();
        assertThat(refused.refusalReason()).matches("the new thresholds do worse than the current ones on the 12 "
                + "held-out rows \\(F1 \\d\\.\\d\\d → \\d\\.\\d\\d\\)");
        assertThat(Files.readAllBytes(policy)).isEqualTo(before);

        Calibration.Result forced = Calibration.run(quick, request(policy, true, false).forced(), BatchListener.NONE,
                new Cancellation());
        assertThat(forced.outcome()).isEqualTo(Calibration.Outcome.WRITTEN);
        assertThat(forced.written().clause("W").orElseThrow().threshold()).isEqualTo(forced.thresholds().get("W"));
    }

    @Test
    void writingAnywayIsRefusedWhenThePolicyFileChangedMeanwhile() throws IOException {
        Path policy = CalibrationFixture.writePolicy(dir);
        Calibration.Request request = request(policy, true, false);
        Calibration.Result refused = Calibration.run(quick, request, BatchListener.NONE, new Cancellation());
        String edited = Files.readString(policy) + "# edited meanwhile\n";
        Files.writeString(policy, edited, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Calibration.writeAnyway(request, refused)).isInstanceOf(UserException.class)
                .hasMessageContaining("the file changed while calibration ran");
        assertThat(Files.readString(policy)).isEqualTo(edited);
    }

    @Test
    void aCancelledCalibrationFitsNothingAndWritesNothing() throws IOException {
        Path policy = CalibrationFixture.writePolicy(dir);
        byte[] before = Files.readAllBytes(policy);
        Cancellation cancelled = new Cancellation();
        cancelled.cancel();

        Calibration.Result r = Calibration.run(quick, request(policy, true, true), BatchListener.NONE, cancelled);

        assertThat(r.outcome()).isEqualTo(Calibration.Outcome.CANCELLED);
        assertThat(r.calibration()).isNull();
        assertThat(Files.readAllBytes(policy)).isEqualTo(before);
    }

    @Test
    void aHoldOutShareOutsideZeroToOneIsAUserMistake() {
        assertThatThrownBy(() -> Calibration.config(CalibrationTarget.F1, 1, 42, 3))
                .isInstanceOf(UserException.class).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> Calibration.config(CalibrationTarget.F1, 0.5, 42, -1))
                .isInstanceOf(UserException.class).hasMessageContaining("--rounds must be 0 or more");
    }
}
