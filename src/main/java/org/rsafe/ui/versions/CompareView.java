package org.rsafe.ui.versions;

import java.io.File;
import java.util.Objects;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.stage.FileChooser;
import org.rsafe.workspace.DiffRow;
import org.rsafe.workspace.MetricDelta;
import org.rsafe.workspace.VerdictFlip;

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
    @FXML private Label compareSummaryLabel;
    @FXML private TableView<DiffRow> diffTable;
    @FXML private TableColumn<DiffRow, String> leftLineColumn;
    @FXML private TableColumn<DiffRow, String> leftTextColumn;
    @FXML private TableColumn<DiffRow, String> rightLineColumn;
    @FXML private TableColumn<DiffRow, String> rightTextColumn;
    @FXML private ListView<String> structuralList;
    @FXML private Label compareMessageLabel;
    @FXML private Button runComparisonButton;
    @FXML private Button cancelComparisonButton;
    @FXML private ProgressBar runProgress;
    @FXML private Label runMessageLabel;
    @FXML private Label compareEngineLabel;
    @FXML private TableView<MetricDelta> deltaTable;
    @FXML private TableColumn<MetricDelta, String> metricColumn;
    @FXML private TableColumn<MetricDelta, String> aColumn;
    @FXML private TableColumn<MetricDelta, String> bColumn;
    @FXML private TableColumn<MetricDelta, String> deltaColumn;
    @FXML private TableView<VerdictFlip> flipTable;
    @FXML private TableColumn<VerdictFlip, String> flipIdColumn;
    @FXML private TableColumn<VerdictFlip, String> flipTextColumn;
    @FXML private TableColumn<VerdictFlip, String> flipColumn;
    @FXML private ListView<String> traceAList;
    @FXML private ListView<String> traceBList;
    @FXML private javafx.scene.layout.HBox compareStaleBar;
    @FXML private Label compareStaleLabel;
    @FXML private Button compareRunAgainButton;
    @FXML private javafx.scene.control.SplitPane runResults;
    @FXML private javafx.scene.control.SplitPane compareSplit;
    @FXML private javafx.scene.control.TabPane compareTabs;
    @FXML private javafx.scene.control.Tab runTab;

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
        compareSummaryLabel.textProperty().bind(vm.summaryProperty());
        compareMessageLabel.textProperty().bind(vm.messageProperty());
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
        // Long policies differ in a few places: bring the first difference into view, with two lines of context.
        vm.rows().addListener((javafx.collections.ListChangeListener<DiffRow>) c -> {
            for (int i = 0; i < vm.rows().size(); i++) {
                if (vm.rows().get(i).kind() != DiffRow.Kind.SAME) {
                    int first = Math.max(0, i - 2);
                    // After the table has taken in the new rows; scrolling inside the change is undone by its skin.
                    javafx.application.Platform.runLater(() -> diffTable.scrollTo(first));
                    break;
                }
            }
        });
        bindRuns();
    }

    private void bindRuns() {
        runComparisonButton.disableProperty().bind(vm.canRunBinding().not());
        cancelComparisonButton.disableProperty().bind(vm.runningProperty().not());
        runProgress.visibleProperty().bind(vm.runningProperty());
        runProgress.progressProperty().bind(vm.runProgressProperty());
        runMessageLabel.textProperty().bind(vm.runMessageProperty());
        compareEngineLabel.textProperty().bind(vm.engineSummaryProperty());
        compareEngineLabel.setTooltip(new javafx.scene.control.Tooltip("The engine chosen in the Test bench judges both sides"));
        deltaTable.setItems(vm.deltas());
        metricColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().metric()));
        aColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(number(c.getValue().a())));
        bColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(number(c.getValue().b())));
        deltaColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(String.format(java.util.Locale.ROOT,
                "%+.3f [%+.3f, %+.3f]", c.getValue().delta(), c.getValue().deltaCi().lo(), c.getValue().deltaCi().hi())));
        // The columns share the table's width, so the interval is never cut off beside empty space.
        deltaTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        flipTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        deltaTable.setRowFactory(table -> new TableRow<>() {
            @Override
            protected void updateItem(MetricDelta d, boolean empty) {
                super.updateItem(d, empty);
                getStyleClass().removeAll(DIFF_REMOVED, DIFF_ADDED);
                if (!empty && d != null && d.significant()) {
                    getStyleClass().add(d.worse() ? DIFF_REMOVED : DIFF_ADDED);
                }
            }
        });
        flipTable.setItems(vm.flips());
        javafx.scene.control.Label noFlips = new javafx.scene.control.Label();
        noFlips.textProperty().bind(vm.flipsPlaceholderProperty());
        noFlips.setWrapText(true);
        flipTable.setPlaceholder(noFlips);
        flipIdColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().id()));
        flipTextColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().excerpt()));
        flipColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().direction()));
        flipTable.getSelectionModel().selectedItemProperty().addListener((obs, old, f) -> vm.selectedFlipProperty().set(f));
        traceAList.setItems(vm.traceA());
        traceBList.setItems(vm.traceB());
        traceAList.setCellFactory(list -> new WrappingCell());
        traceBList.setCellFactory(list -> new WrappingCell());
        // Once a comparison has run, its results come first: the text diff above shrinks to a few lines.
        vm.deltas().addListener((javafx.collections.ListChangeListener<MetricDelta>) c -> {
            if (!vm.deltas().isEmpty()) {
                compareTabs.getSelectionModel().select(runTab);
                compareSplit.setDividerPositions(RESULTS_FIRST);
            }
        });
        org.rsafe.ui.freshness.StaleNotice.bind(compareStaleBar, compareStaleLabel, compareRunAgainButton, vm.freshness(),
                vm::runComparison, vm.canRunBinding(), runResults);
    }

    private static String number(double x) {
        return String.format(java.util.Locale.ROOT, "%.3f", x);
    }

    /** Where the diff/results divider goes once a run comparison has results: most of the height to the results. */
    static final double RESULTS_FIRST = 0.15;

    /** A list cell whose text wraps at the list's width (trace steps are sentences, not one-liners). */
    private static final class WrappingCell extends javafx.scene.control.ListCell<String> {
        WrappingCell() {
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            setText(null);
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            // A label whose width follows the list's, so its preferred height is that of the wrapped text.
            setGraphic(org.rsafe.ui.style.WrappingLabel.of(item, getListView().widthProperty(), 30));
        }
    }

    @FXML
    private void runComparison() {
        vm.runComparison();
    }

    @FXML
    private void cancelRun() {
        vm.cancelRun();
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
