package org.rsafe.ui.bundle;

import java.io.File;
import java.nio.file.Path;
import java.util.Objects;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.rsafe.ui.style.ToolDialog;

/** The Export bundle dialog: binds the inputs, the gate checklist and the Validate / Export buttons to its view model. */
public final class ExportBundleView {
    /** Checklist row style classes; colours live in workbench.css. */
    public static final String GATE_PASSED = "gate-passed";
    public static final String GATE_FAILED = "gate-failed";

    private final ExportBundleViewModel vm;

    @FXML private Label policyLabel;
    @FXML private Label exportEngineLabel;
    @FXML private TextField dataField;
    @FXML private Button chooseDataButton;
    @FXML private TextField minF1Field;
    @FXML private TextField maxFprField;
    @FXML private TextField minRowsField;
    @FXML private Label evidenceLabel;
    @FXML private Button validateButton;
    @FXML private Button cancelValidationButton;
    @FXML private Button exportButton;
    @FXML private ProgressBar exportProgressBar;
    @FXML private ListView<GateCheck> checksList;
    @FXML private Label exportMessageLabel;

    public ExportBundleView(ExportBundleViewModel vm) {
        this.vm = Objects.requireNonNull(vm);
    }

    @FXML
    private void initialize() {
        policyLabel.setText(vm.policyFile().toString());
        exportEngineLabel.textProperty().bind(vm.engineSummaryProperty());
        exportEngineLabel.setTooltip(new javafx.scene.control.Tooltip("The engine chosen in the Test bench"));
        dataField.textProperty().bind(Bindings.createStringBinding(
                () -> vm.dataFileProperty().get() == null ? "" : vm.dataFileProperty().get().toString(), vm.dataFileProperty()));
        minF1Field.textProperty().bindBidirectional(vm.minF1Property());
        maxFprField.textProperty().bindBidirectional(vm.maxFprProperty());
        minRowsField.textProperty().bindBidirectional(vm.minRowsProperty());
        minRowsField.setPromptText(org.rsafe.bundle.ExportGates.DEFAULT_MIN_ROWS + " when a gate is set (0: any number)");
        minRowsField.setTooltip(new javafx.scene.control.Tooltip("The fewest labelled rows that may back the F1 and FPR"
                + " gates: on a few rows the 95% interval of F1 spans most of 0..1"));
        evidenceLabel.textProperty().bind(vm.evidenceProperty());
        evidenceLabel.managedProperty().bind(vm.evidenceProperty().isNotEmpty());
        validateButton.disableProperty().bind(vm.canValidateBinding().not());
        exportButton.disableProperty().bind(vm.canExportBinding().not());
        var busy = vm.stateProperty().isEqualTo(ExportBundleViewModel.State.VALIDATING);
        cancelValidationButton.disableProperty().bind(busy.not());
        exportProgressBar.visibleProperty().bind(busy);
        exportProgressBar.progressProperty().bind(vm.progressProperty());
        checksList.setItems(vm.checks());
        checksList.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(GateCheck check, boolean empty) {
                super.updateItem(check, empty);
                getStyleClass().removeAll(GATE_PASSED, GATE_FAILED);
                if (empty || check == null) {
                    setText(null);
                } else {
                    setText((check.passed() ? "✔ passed  " : "✘ failed  ") + check.text());
                    getStyleClass().add(check.passed() ? GATE_PASSED : GATE_FAILED);
                }
            }
        });
        exportMessageLabel.textProperty().bind(vm.messageProperty());
    }

    @FXML
    private void chooseData() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Labelled data to evaluate the policy on");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Datasets (*.csv, *.tsv, *.jsonl, *.json, *.gz)", "*.csv", "*.tsv", "*.jsonl", "*.json", "*.gz"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        File f = chooser.showOpenDialog(window());
        if (f != null) {
            vm.dataFileProperty().set(f.toPath());
        }
    }

    @FXML
    private void validate() {
        vm.validate();
    }

    @FXML
    private void cancel() {
        vm.cancel();
    }

    @FXML
    private void export() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save the bundle");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("RSafe bundle (*.zip)", "*.zip"));
        String name = vm.policyFile().getFileName().toString().replaceFirst("\\.ya?ml$", "");
        chooser.setInitialFileName(name + ".rsafe.zip");
        Path parent = vm.policyFile().toAbsolutePath().getParent();
        if (parent != null) {
            chooser.setInitialDirectory(parent.toFile());
        }
        File f = chooser.showSaveDialog(window());
        if (f != null) {
            vm.export(f.toPath());
        }
    }

    private Window window() {
        return checksList.getScene() == null ? null : checksList.getScene().getWindow();
    }

    /** The dialog, not yet shown; it has only a Close button, the work happens inside. */
    public static Dialog<Void> build(ExportBundleViewModel vm) {
        return ToolDialog.build("/org/rsafe/ui/ExportBundleDialog.fxml", new ExportBundleView(vm), "Export bundle",
                "Evaluate " + vm.policyFile().getFileName()
                        + " with the engine chosen in the Test bench; the bundle is exported only when every gate passes.",
                vm::cancel);
    }

    /** Shows the dialog and waits until it is closed. */
    public static void showDialog(Window owner, ExportBundleViewModel vm) {
        ToolDialog.showAndWait(owner, build(vm));
    }
}
