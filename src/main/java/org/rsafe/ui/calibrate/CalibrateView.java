package org.rsafe.ui.calibrate;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.rsafe.ui.Theme;

/** The Calibrate thresholds dialog: binds the settings, the report and the Calibrate / Write anyway buttons. */
public final class CalibrateView {
    private final CalibrateViewModel vm;

    @FXML private Label policyLabel;
    @FXML private TextField dataField;
    @FXML private Button chooseDataButton;
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
    @FXML private TextArea reportArea;
    @FXML private Label calibrateMessageLabel;

    public CalibrateView(CalibrateViewModel vm) {
        this.vm = Objects.requireNonNull(vm);
    }

    @FXML
    private void initialize() {
        policyLabel.setText(vm.policyFile().toString());
        calibrateEngineLabel.textProperty().bind(vm.engineSummaryProperty());
        dataField.textProperty().bind(Bindings.createStringBinding(
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
        reportArea.textProperty().bind(vm.reportProperty());
        calibrateMessageLabel.textProperty().bind(vm.messageProperty());
    }

    @FXML
    private void chooseData() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Labelled data to calibrate on");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Datasets (*.csv, *.tsv, *.jsonl, *.json, *.gz)", "*.csv", "*.tsv",
                        "*.jsonl", "*.json", "*.gz"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        File f = chooser.showOpenDialog(window());
        if (f != null) {
            vm.dataFileProperty().set(f.toPath());
        }
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

    private Window window() {
        return reportArea.getScene() == null ? null : reportArea.getScene().getWindow();
    }

    /** The dialog, not yet shown; it has only a Close button, the work happens inside. */
    public static Dialog<Void> build(CalibrateViewModel vm) {
        FXMLLoader loader = new FXMLLoader(CalibrateView.class.getResource("/org/rsafe/ui/CalibrateDialog.fxml"));
        loader.setControllerFactory(type -> new CalibrateView(vm));
        Parent content;
        try {
            content = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("the calibrate dialog's FXML is missing or broken", e);
        }
        Dialog<Void> dialog = new Dialog<>();
        dialog.setTitle("Calibrate thresholds");
        dialog.setHeaderText("Fit the clause thresholds of " + vm.policyFile().getFileName() + " on part of a labelled "
                + "data file and measure them on the rest; they are written into the file only when they do not do "
                + "worse on the held-out rows.");
        dialog.setResizable(true);
        dialog.getDialogPane().setContent(content);
        dialog.getDialogPane().getStylesheets().add(Theme.workbenchStylesheet());
        dialog.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        dialog.setOnHidden(e -> vm.cancel());
        return dialog;
    }

    /** Shows the dialog and waits until it is closed. */
    public static void showDialog(Window owner, CalibrateViewModel vm) {
        Dialog<Void> dialog = build(vm);
        if (owner != null) {
            dialog.initOwner(owner);
        }
        dialog.showAndWait();
    }
}
