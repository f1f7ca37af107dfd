package org.rsafe.ui.bundle;

import java.io.File;
import java.util.Objects;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.rsafe.bundle.VerifyStatus;
import org.rsafe.ui.style.ToolDialog;

/**
 * The Import bundle dialog: choose a bundle, read who signed it and what the check found, then Import, or (for an
 * intact bundle from an untrusted signer) name the signer and Trust this signer and import.
 */
public final class ImportBundleView {
    private final ImportBundleViewModel vm;

    @FXML private Label policyLabel;
    @FXML private TextField bundleField;
    @FXML private Button chooseBundleButton;
    @FXML private Label contentsLabel;
    @FXML private Label signerLabel;
    @FXML private Label verdictLabel;
    @FXML private ListView<String> problemsList;
    @FXML private VBox trustBox;
    @FXML private TextField signerNameField;
    @FXML private CheckBox everyWorkspaceCheck;
    @FXML private Button importButton;
    @FXML private Button trustAndImportButton;
    @FXML private ProgressIndicator busyIndicator;
    @FXML private Label importMessageLabel;

    public ImportBundleView(ImportBundleViewModel vm) {
        this.vm = Objects.requireNonNull(vm);
    }

    @FXML
    private void initialize() {
        policyLabel.setText(vm.policyFile().toString());
        bundleField.textProperty().bind(Bindings.createStringBinding(() -> vm.bundleFileProperty().get() == null ? ""
                : vm.bundleFileProperty().get().toString(), vm.bundleFileProperty()));
        contentsLabel.textProperty().bind(vm.contentsProperty());
        signerLabel.textProperty().bind(vm.signerProperty());
        verdictLabel.textProperty().bind(vm.verdictProperty());
        problemsList.setItems(vm.problems());
        var untrusted = vm.statusProperty().isEqualTo(VerifyStatus.UNTRUSTED)
                .and(vm.stateProperty().isEqualTo(ImportBundleViewModel.State.CHECKED));
        // Hidden, not removed: the dialog keeps its size when the choice appears.
        trustBox.visibleProperty().bind(untrusted);
        signerNameField.textProperty().bindBidirectional(vm.signerNameProperty());
        everyWorkspaceCheck.selectedProperty().bindBidirectional(vm.trustForAllWorkspacesProperty());
        importButton.disableProperty().bind(vm.canImportBinding().not());
        trustAndImportButton.disableProperty().bind(vm.canTrustAndImportBinding().not());
        var busy = vm.stateProperty().isEqualTo(ImportBundleViewModel.State.VERIFYING)
                .or(vm.stateProperty().isEqualTo(ImportBundleViewModel.State.IMPORTING));
        busyIndicator.visibleProperty().bind(busy);
        chooseBundleButton.disableProperty().bind(busy);
        importMessageLabel.textProperty().bind(vm.messageProperty());
    }

    @FXML
    private void chooseBundle() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Bundle to verify and import");
        chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("RSafe bundle (*.zip)", "*.zip"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        File f = chooser.showOpenDialog(window());
        if (f != null) {
            vm.choose(f.toPath());
        }
    }

    @FXML
    private void importBundle() {
        vm.importBundle();
    }

    @FXML
    private void trustAndImport() {
        vm.trustAndImport();
    }

    private Window window() {
        return bundleField.getScene() == null ? null : bundleField.getScene().getWindow();
    }

    /** The dialog, not yet shown; it has only a Close button, the work happens inside. */
    public static Dialog<Void> build(ImportBundleViewModel vm) {
        return ToolDialog.build("/org/rsafe/ui/ImportBundleDialog.fxml", new ImportBundleView(vm), "Import bundle",
                "Verify a signed bundle and import it into the workspace of " + vm.policyFile().getFileName()
                        + "; only a bundle that is intact and signed by someone you trust is imported.",
                () -> { });
    }

    /** Shows the dialog and waits until it is closed. */
    public static void showDialog(Window owner, ImportBundleViewModel vm) {
        ToolDialog.showAndWait(owner, build(vm));
    }
}
