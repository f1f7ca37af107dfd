package org.rsafe.ui.versions;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputDialog;
import org.rsafe.workspace.PolicyVersion;

/** The Versions tab: binds the history table and buttons to a {@link VersionsViewModel}; asks the user's questions. */
public final class VersionsView {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());

    private final VersionsViewModel vm;

    @FXML private Button saveVersionButton;
    @FXML private Button restoreButton;
    @FXML private Button compareWithCurrentButton;
    @FXML private Button refreshButton;
    @FXML private Label workspaceLabel;
    @FXML private TableView<PolicyVersion> versionsTable;
    @FXML private TableColumn<PolicyVersion, String> versionColumn;
    @FXML private TableColumn<PolicyVersion, String> dateColumn;
    @FXML private TableColumn<PolicyVersion, String> messageColumn;
    @FXML private TableColumn<PolicyVersion, String> versionIdColumn;
    @FXML private Label versionsMessageLabel;

    public VersionsView(VersionsViewModel vm) {
        this.vm = Objects.requireNonNull(vm);
    }

    @FXML
    private void initialize() {
        versionsTable.setItems(vm.versions());
        versionColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().label()));
        dateColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(DATE.format(c.getValue().time())));
        messageColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().message()));
        versionIdColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().shortId()));
        versionsTable.getSelectionModel().selectedItemProperty().addListener((obs, old, v) -> vm.selectedProperty().set(v));
        vm.selectedProperty().addListener((obs, old, v) -> {
            if (versionsTable.getSelectionModel().getSelectedItem() != v) {
                versionsTable.getSelectionModel().select(v);
            }
        });
        saveVersionButton.disableProperty().bind(vm.hasFileBinding().not().or(vm.busyProperty()));
        restoreButton.disableProperty().bind(vm.selectedProperty().isNull().or(vm.busyProperty()));
        compareWithCurrentButton.disableProperty().bind(vm.selectedProperty().isNull());
        refreshButton.disableProperty().bind(vm.hasFileBinding().not().or(vm.busyProperty()));
        workspaceLabel.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> vm.fileProperty().get() == null ? "No policy file open"
                        : vm.workspaceRootProperty().get().isEmpty()
                        ? vm.fileProperty().get().getFileName() + " is in no workspace yet: Save version… creates one in its folder"
                        : "Workspace " + vm.workspaceRootProperty().get(),
                vm.fileProperty(), vm.workspaceRootProperty()));
        versionsMessageLabel.textProperty().bind(vm.messageProperty());
    }

    @FXML
    private void saveVersion() {
        TextInputDialog dialog = new TextInputDialog();
        dialog.initOwner(versionsTable.getScene().getWindow());
        dialog.setTitle("Save version");
        dialog.setHeaderText("Describe this version of " + vm.fileProperty().get().getFileName());
        dialog.setContentText("Message:");
        dialog.showAndWait().ifPresent(vm::save);
    }

    @FXML
    private void restore() {
        PolicyVersion v = vm.selectedProperty().get();
        if (v == null) {
            return;
        }
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION,
                "Replace the text of " + vm.fileProperty().get().getFileName() + " with " + v.label() + " (\""
                        + v.message() + "\")? The restore is saved as a new version, so nothing is lost.",
                ButtonType.OK, ButtonType.CANCEL);
        alert.initOwner(versionsTable.getScene().getWindow());
        alert.setHeaderText("Restore " + v.label() + "?");
        Optional<ButtonType> answer = alert.showAndWait();
        if (answer.isPresent() && answer.get() == ButtonType.OK) {
            vm.restoreSelected();
        }
    }

    @FXML
    private void compareWithCurrent() {
        vm.compareSelectedWithCurrent();
    }

    @FXML
    private void refresh() {
        vm.refresh();
    }

    public TableView<PolicyVersion> versionsTable() {
        return versionsTable;
    }
}
