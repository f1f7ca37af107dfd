package org.rsafe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import javafx.beans.property.SimpleStringProperty;
import org.junit.jupiter.api.Test;
import org.rsafe.cli.CalibrateCommand;
import org.rsafe.eval.CalibrationConfig;
import org.rsafe.ui.calibrate.CalibrateViewModel;
import org.rsafe.ui.task.DirectTaskExecutor;
import picocli.CommandLine;

/**
 * {@code rsafe calibrate} and the Calibrate thresholds dialog, given the same settings (or none), calibrate with the
 * same {@link CalibrationConfig}. Fails when one face grows a default of its own.
 */
class CalibrationFacesTest {
    private static CalibrationConfig fromCli(String... flags) {
        CalibrateCommand command = new CalibrateCommand();
        String[] args = new String[flags.length + 4];
        System.arraycopy(new String[] {"--policy", "p.yaml", "--data", "d.csv"}, 0, args, 0, 4);
        System.arraycopy(flags, 0, args, 4, flags.length);
        new CommandLine(command).parseArgs(args);
        return command.calibration();
    }

    private static CalibrateViewModel dialog() {
        return new CalibrateViewModel(new DirectTaskExecutor(), Path.of("p.yaml"), (onReady, onFailed) -> { },
                new SimpleStringProperty(""), () -> EngineSpec.DEFAULT_THRESHOLD, written -> { });
    }

    @Test
    void theUntouchedDialogAndTheBareCommandCalibrateAlike() {
        CalibrationConfig cli = fromCli();

        assertThat(dialog().calibration()).isEqualTo(cli);
        assertThat(cli).isEqualTo(CalibrationConfig.defaults());
    }

    @Test
    void theSameSettingsGiveTheSameCalibration() {
        CalibrationConfig cli = fromCli("--target", "fpr=0.1", "--holdout", "0.25", "--rounds", "0", "--seed", "7");
        CalibrateViewModel vm = dialog();
        vm.targetProperty().set("fpr=0.1");
        vm.holdoutProperty().set("0.25");
        vm.roundsProperty().set("0");
        vm.seedProperty().set("7");

        assertThat(vm.calibration()).isEqualTo(cli);
    }
}
