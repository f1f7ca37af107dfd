package org.rsafe.ui.versions;

import java.io.File;
import java.util.Objects;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.stage.FileChooser;
import org.rsafe.workspace.DiffRow;

/** The Compare tab: binds the side choosers, the aligned diff table and the clause changes to a {@link CompareViewModel}. */
public final class CompareView {
    /** Row style classes by diff kind; colours live in workbench.css. */
    public static final String DIFF_CHANGED = "diff-changed";
    public static final String DIFF_ADDED = "diff-added";
    public static final String DIFF_REMOVED = "diff-removed";

    private final CompareViewModel vm;

    @FXML private ComboBox<CompareSide> sideACombo;
    @FXML private ComboBox<CompareSide> sideBCombo;
    @FXML private Button compareButton;
    @FXML private Label summaryLabel;
    @FXML private TableView<DiffRow> diffTable;
    @FXML private TableColumn<DiffRow, String> leftLineColumn;
    @FXML private TableColumn<DiffRow, String> leftTextColumn;
    @FXML private TableColumn<DiffRow, String> rightLineColumn;
    @FXML private TableColumn<DiffRow, String> rightTextColumn;
    @FXML private ListView<String> structuralList;
    @FXML private Label messageLabel;

    public CompareView(CompareViewModel vm) {
        this.vm = Objects.requireNonNull(vm);
    }

    @FXML
    private void initialize() {
        sideACombo.setItems(vm.choices());
        sideBCombo.setItems(vm.choices());
        sideACombo.valueProperty().bindBidirectional(vm.sideAProperty());
        sideBCombo.valueProperty().bindBidirectional(vm.sideBProperty());
        compareButton.disableProperty().bind(vm.canCompareBinding().not());
        summaryLabel.textProperty().bind(vm.summaryProperty());
        messageLabel.textProperty().bind(vm.messageProperty());
        diffTable.setItems(vm.rows());
        leftLineColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(lineNumber(c.getValue().leftLine())));
        leftTextColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().leftText()));
        rightLineColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(lineNumber(c.getValue().rightLine())));
        rightTextColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().rightText()));
        // The two text columns share the width the line numbers leave, so A and B line up like two panes.
        leftTextColumn.prefWidthProperty().bind(diffTable.widthProperty().subtract(100).divide(2));
        rightTextColumn.prefWidthProperty().bind(diffTable.widthProperty().subtract(100).divide(2));
        diffTable.setRowFactory(table -> new TableRow<>() {
            @Override
            protected void updateItem(DiffRow row, boolean empty) {
                super.updateItem(row, empty);
                getStyleClass().removeAll(DIFF_CHANGED, DIFF_ADDED, DIFF_REMOVED);
                if (!empty && row != null) {
                    switch (row.kind()) {
                        case CHANGED -> getStyleClass().add(DIFF_CHANGED);
                        case ADDED -> getStyleClass().add(DIFF_ADDED);
                        case REMOVED -> getStyleClass().add(DIFF_REMOVED);
                        default -> { }
                    }
                }
            }
        });
        structuralList.setItems(vm.structuralChanges());
    }

    private static String lineNumber(int line) {
        return line > 0 ? Integer.toString(line) : "";
    }

    @FXML
    private void chooseFileA() {
        chooseFile("Policy for side A").ifPresent(f -> vm.sideAProperty().set(CompareSide.current(f.toPath())));
    }

    @FXML
    private void chooseFileB() {
        chooseFile("Policy for side B").ifPresent(f -> vm.sideBProperty().set(CompareSide.current(f.toPath())));
    }

    private java.util.Optional<File> chooseFile(String title) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Policy YAML", "*.yaml", "*.yml"));
        return java.util.Optional.ofNullable(chooser.showOpenDialog(diffTable.getScene().getWindow()));
    }

    @FXML
    private void compare() {
        vm.compare();
    }

    public TableView<DiffRow> diffTable() {
        return diffTable;
    }

    public ListView<String> structuralList() {
        return structuralList;
    }
}
