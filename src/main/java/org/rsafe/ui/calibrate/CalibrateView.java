package org.rsafe.ui.calibrate;

import java.util.Objects;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.stage.Window;
import org.rsafe.ui.style.ToolDialog;

/** The Calibrate thresholds dialog: binds the settings, the report and the Calibrate / Write anyway buttons. */
public final class CalibrateView {
    private final CalibrateViewModel vm;

    @FXML private Label policyLabel;
    @FXML private Label dataLabel;
    @FXML private TextField targetField;
    @FXML private TextField holdoutField;
    @FXML private TextField roundsField;
    @FXML private TextField seedField;
    @FXML private Label calibrateEngineLabel;
    @FXML private Button calibrateButton;
    @FXML private Button cancelCalibrationButton;
    @FXML private Button writeAnywayButton;
    @FXML private ProgressBar calibrateProgressBar;
    @FXML private Label refusalLabel;
    @FXML private Label bandSummaryLabel;
    @FXML private TextArea reportArea;
    @FXML private Label calibrateMessageLabel;

    public CalibrateView(CalibrateViewModel vm) {
        this.vm = Objects.requireNonNull(vm);
    }

    @FXML
    private void initialize() {
        policyLabel.setText(vm.policyFile().toString());
        calibrateEngineLabel.textProperty().bind(vm.engineSummaryProperty());
        dataLabel.textProperty().bind(Bindings.createStringBinding(
                () -> vm.dataFileProperty().get() == null ? "" : vm.dataFileProperty().get().toString(),
                vm.dataFileProperty()));
        targetField.textProperty().bindBidirectional(vm.targetProperty());
        holdoutField.textProperty().bindBidirectional(vm.holdoutProperty());
        roundsField.textProperty().bindBidirectional(vm.roundsProperty());
        seedField.textProperty().bindBidirectional(vm.seedProperty());
        calibrateButton.disableProperty().bind(vm.canCalibrateBinding().not());
        var busy = vm.stateProperty().isEqualTo(CalibrateViewModel.State.CALIBRATING);
        cancelCalibrationButton.disableProperty().bind(busy.not());
        writeAnywayButton.visibleProperty().bind(vm.canWriteAnywayBinding());
        writeAnywayButton.managedProperty().bind(vm.canWriteAnywayBinding());
        calibrateProgressBar.visibleProperty().bind(busy);
        calibrateProgressBar.progressProperty().bind(vm.progressProperty());
        refusalLabel.textProperty().bind(vm.refusalProperty());
        refusalLabel.visibleProperty().bind(vm.refusalProperty().isNotEmpty());
        refusalLabel.managedProperty().bind(vm.refusalProperty().isNotEmpty());
        bandSummaryLabel.textProperty().bind(vm.bandSummaryProperty());
        bandSummaryLabel.visibleProperty().bind(vm.bandSummaryProperty().isNotEmpty());
        bandSummaryLabel.managedProperty().bind(vm.bandSummaryProperty().isNotEmpty());
        reportArea.textProperty().bind(vm.reportProperty());
        calibrateMessageLabel.textProperty().bind(vm.messageProperty());
    }

    @FXML
    private void calibrate() {
        vm.calibrate();
    }

    @FXML
    private void cancel() {
        vm.cancel();
    }

    @FXML
    private void writeAnyway() {
        vm.writeAnyway();
    }

    /** The dialog, not yet shown; it has only a Close button, the work happens inside. */
    public static Dialog<Void> build(CalibrateViewModel vm) {
        return ToolDialog.build("/org/rsafe/ui/CalibrateDialog.fxml", new CalibrateView(vm), "Calibrate thresholds",
                "Fit the clause thresholds of " + vm.policyFile().getFileName() + " (and, with a precision target, "
                        + "its REVIEW band) on part of the Batch tab's dataset and measure them on the rest; they are "
                        + "written into the file only when they do not do worse on the held-out rows.", vm::cancel);
    }

    /** Shows the dialog and waits until it is closed. */
    public static void showDialog(Window owner, CalibrateViewModel vm) {
        ToolDialog.showAndWait(owner, build(vm));
    }
}
