package org.rsafe.ui.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Window;
import org.rsafe.eval.ColumnMapping;
import org.rsafe.ui.style.Theme;

/** The column-mapping dialog: a combo per role, the detection notes and a preview of the first rows. */
public final class ColumnMappingView {
    private final ColumnMappingViewModel vm;

    @FXML private Label fileLabel;
    @FXML private ComboBox<String> textBox;
    @FXML private ComboBox<String> responseBox;
    @FXML private ComboBox<String> labelBox;
    @FXML private ComboBox<String> idBox;
    @FXML private ComboBox<String> categoriesBox;
    @FXML private Label problemLabel;
    @FXML private ListView<String> notesList;
    @FXML private Label notesHeading;
    @FXML private TableView<Map<String, String>> previewTable;

    public ColumnMappingView(ColumnMappingViewModel vm) {
        this.vm = vm;
    }

    @FXML
    private void initialize() {
        fileLabel.setText(vm.file().toString());
        bind(textBox, vm.textColumnProperty());
        bind(responseBox, vm.responseColumnProperty());
        bind(labelBox, vm.labelColumnProperty());
        bind(idBox, vm.idColumnProperty());
        bind(categoriesBox, vm.categoriesColumnProperty());
        problemLabel.textProperty().bind(vm.problemProperty());
        notesList.setItems(vm.notes());
        // Without notes there is nothing to explain: no empty heading over an empty list.
        var anyNotes = javafx.beans.binding.Bindings.isNotEmpty(vm.notes());
        for (javafx.scene.Node n : new javafx.scene.Node[] {notesHeading, notesList}) {
            n.visibleProperty().bind(anyNotes);
            n.managedProperty().bind(anyNotes);
        }
        for (String column : vm.header()) {
            TableColumn<Map<String, String>, String> c = new TableColumn<>(column);
            c.setCellValueFactory(row -> new ReadOnlyStringWrapper(oneLine(row.getValue().getOrDefault(column, ""))));
            c.setPrefWidth(Math.max(80, Math.min(320, 840.0 / Math.max(1, vm.header().size()))));
            previewTable.getColumns().add(c);
        }
        previewTable.setItems(FXCollections.observableArrayList(vm.preview()));
        // Every column in view, the label column included, however many the file has.
        previewTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    }

    private void bind(ComboBox<String> box, javafx.beans.property.ObjectProperty<String> property) {
        box.setItems(vm.choices());
        box.valueProperty().bindBidirectional(property);
    }

    private static String oneLine(String s) {
        String one = s.replace('\n', ' ').replace('\r', ' ');
        return one.length() > 200 ? one.substring(0, 199) + "…" : one;
    }

    /** Shows the dialog and waits; empty when the user cancels. */
    public static Optional<ColumnMapping> showDialog(Window owner, ColumnMappingViewModel vm) {
        Dialog<ColumnMapping> dialog = build(vm);
        if (owner != null) {
            dialog.initOwner(owner);
        }
        return dialog.showAndWait();
    }

    /** The dialog, not yet shown (tests show it without waiting). */
    public static Dialog<ColumnMapping> build(ColumnMappingViewModel vm) {
        FXMLLoader loader = new FXMLLoader(ColumnMappingView.class.getResource("/org/rsafe/ui/ColumnMappingDialog.fxml"));
        loader.setControllerFactory(type -> new ColumnMappingView(vm));
        Parent content;
        try {
            content = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("the column-mapping dialog's FXML is missing or broken", e);
        }
        Dialog<ColumnMapping> dialog = new Dialog<>();
        dialog.setTitle("Columns of " + vm.file().getFileName());
        dialog.setHeaderText("Which column holds what? The choices were detected; change any that are wrong.");
        dialog.setResizable(true);
        dialog.getDialogPane().setContent(content);
        dialog.getDialogPane().getStylesheets().add(Theme.workbenchStylesheet());
        dialog.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        Node ok = dialog.getDialogPane().lookupButton(ButtonType.OK);
        ok.disableProperty().bind(vm.mappingProperty().isNull());
        dialog.setResultConverter(button -> button == ButtonType.OK ? vm.mappingProperty().get() : null);
        return dialog;
    }
}
