package org.rsafe.ui.batch;

import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.layout.HBox;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.rsafe.app.EngineKind;
import org.rsafe.app.SampledEngine;
import org.rsafe.eval.ConfusionMatrix;
import org.rsafe.eval.MetricsReport;
import org.rsafe.ui.style.StyleClasses;

/** The batch tab: dataset and run controls, the results table with filters, metrics, confusion grid and chart. */
public final class BatchView {
    private final BatchViewModel vm;

    @FXML private Button openButton;
    @FXML private Button columnsButton;
    @FXML private Label datasetLabel;
    @FXML private CheckBox resumeBox;
    @FXML private Spinner<Integer> samplesSpinner;
    @FXML private TextField sliceByField;
    @FXML private Label sliceTableLabel;
    @FXML private Button batchCancelButton;
    @FXML private Button batchRunButton;
    @FXML private ComboBox<org.rsafe.app.EngineKind> batchEngineBox;
    @FXML private Label batchEngineLabel;
    @FXML private Label mappingLabel;
    @FXML private TextField outputField;
    @FXML private Button outputButton;
    @FXML private ProgressBar progressBar;
    @FXML private Label progressLabel;
    @FXML private Label batchBlockedLabel;
    @FXML private Label batchErrorLabel;
    @FXML private Label batchInfoLabel;
    @FXML private HBox batchStaleBar;
    @FXML private Label batchStaleLabel;
    @FXML private Button batchRunAgainButton;
    @FXML private javafx.scene.control.SplitPane batchResults;
    @FXML private ComboBox<ResultFilter> filterBox;
    @FXML private TextField searchField;
    @FXML private Label countLabel;
    @FXML private TableView<BatchRowItem> resultsTable;
    @FXML private TableColumn<BatchRowItem, String> rowColumn;
    @FXML private TableColumn<BatchRowItem, String> idColumn;
    @FXML private TableColumn<BatchRowItem, String> goldColumn;
    @FXML private TableColumn<BatchRowItem, String> verdictColumn;
    @FXML private TableColumn<BatchRowItem, String> flaggedColumn;
    @FXML private TableColumn<BatchRowItem, String> scoreColumn;
    @FXML private TableColumn<BatchRowItem, String> excerptColumn;
    @FXML private GridPane metricsGrid;
    @FXML private GridPane confusionGrid;
    @FXML private Label chartHeader;
    @FXML private BarChart<String, Number> clauseChart;
    @FXML private NumberAxis valueAxis;
    @FXML private Button exportResultsButton;
    @FXML private Button exportReportButton;

    public BatchView(BatchViewModel vm) {
        this.vm = vm;
    }

    @FXML
    private void initialize() {
        datasetLabel.textProperty().bind(Bindings.createStringBinding(() -> vm.datasetProperty().get() == null
                ? "No dataset open" : vm.datasetProperty().get().getFileName().toString(), vm.datasetProperty()));
        mappingLabel.textProperty().bind(vm.mappingTextProperty());
        batchEngineBox.setItems(FXCollections.observableArrayList(org.rsafe.app.EngineKind.inGui()));
        batchEngineBox.valueProperty().bindBidirectional(vm.engineKindProperty());
        batchEngineBox.disableProperty().bind(running());
        batchEngineBox.setTooltip(new Tooltip("The same choice as the Test bench's; the local LLM's model folder, "
                + "device and decoding, and the remote server, model and key variable, are set there"));
        batchEngineLabel.textProperty().bind(vm.engineSummaryBinding());
        columnsButton.disableProperty().bind(vm.datasetProperty().isNull().or(running()));
        openButton.disableProperty().bind(running());
        outputButton.disableProperty().bind(running());
        outputField.textProperty().bind(Bindings.createStringBinding(() -> vm.outputDirProperty().get() == null
                ? "" : vm.outputDirProperty().get().toString(), vm.outputDirProperty()));
        resumeBox.selectedProperty().bindBidirectional(vm.resumeProperty());
        samplesSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, SampledEngine.MAX_SAMPLES,
                vm.samplesProperty().get()));
        samplesSpinner.valueProperty().addListener((obs, old, n) -> vm.samplesProperty().set(n == null ? 1 : n));
        sliceByField.textProperty().bindBidirectional(vm.sliceByProperty());
        sliceByField.setTooltip(new Tooltip("After the run, give the metrics with bootstrap intervals per value of this "
                + "column (e.g. the categories column or an adversarial flag); 'language' guesses each text's language "
                + "when the data has no such column"));
        sliceTableLabel.textProperty().bind(vm.sliceTableProperty());
        sliceTableLabel.managedProperty().bind(vm.sliceTableProperty().isNotEmpty());
        sliceTableLabel.visibleProperty().bind(vm.sliceTableProperty().isNotEmpty());
        samplesSpinner.setTooltip(new Tooltip("Judge every row this many times with the engine's sampling (in one batch) "
                + "and count the rows whose verdicts disagree; greedy and quick engines are stable by construction"));
        resumeBox.setTooltip(new Tooltip("Continue a cancelled or crashed run in the same output folder, skipping rows already judged"));
        batchRunButton.disableProperty().bind(vm.canRunBinding().not());
        batchRunButton.textProperty().bind(Bindings.createStringBinding(() -> vm.stateProperty().get() == BatchViewModel.State.CANCELLED
                && vm.resumeProperty().get() ? "Resume batch" : "Run batch", vm.stateProperty(), vm.resumeProperty()));
        batchCancelButton.disableProperty().bind(Bindings.createBooleanBinding(
                () -> vm.stateProperty().get() != BatchViewModel.State.RUNNING, vm.stateProperty()));
        progressBar.progressProperty().bind(vm.progressProperty());
        progressLabel.textProperty().bind(vm.progressTextProperty());
        batchBlockedLabel.textProperty().bind(Bindings.createStringBinding(() -> vm.isRunning() || vm.datasetProperty().get() == null
                ? "" : vm.runBlockedReasonBinding().get(), vm.runBlockedReasonBinding(), vm.stateProperty(), vm.datasetProperty()));
        batchBlockedLabel.managedProperty().bind(batchBlockedLabel.textProperty().isNotEmpty());
        batchErrorLabel.textProperty().bind(vm.errorProperty());
        batchErrorLabel.managedProperty().bind(vm.errorProperty().isNotEmpty());
        batchInfoLabel.textProperty().bind(vm.infoProperty());
        batchInfoLabel.managedProperty().bind(vm.infoProperty().isNotEmpty());
        org.rsafe.ui.freshness.StaleNotice.bind(batchStaleBar, batchStaleLabel, batchRunAgainButton, vm.freshness(),
                vm::run, vm.canRunBinding(), batchResults);

        filterBox.setItems(FXCollections.observableArrayList(ResultFilter.values()));
        filterBox.valueProperty().bindBidirectional(vm.filterProperty());
        searchField.textProperty().bindBidirectional(vm.searchProperty());
        countLabel.textProperty().bind(Bindings.createStringBinding(() -> vm.visibleRows().size() + " of " + vm.rows().size(),
                vm.visibleRows(), vm.rows()));
        bindTable();

        vm.metricsProperty().addListener((obs, old, m) -> showMetrics(m));
        showMetrics(vm.metricsProperty().get());
        vm.clauseBars().addListener((ListChangeListener<BatchViewModel.ClauseCount>) c -> showChart());
        showChart();
        exportResultsButton.disableProperty().bind(vm.lastRunDirProperty().isNull().or(running()));
        exportReportButton.disableProperty().bind(vm.metricsProperty().isNull().or(running()));

        vm.proposalProperty().addListener((obs, old, proposal) -> {
            if (proposal != null) {
                javafx.application.Platform.runLater(() -> askMapping(proposal.dialog()));
            }
        });
    }

    private javafx.beans.binding.BooleanBinding running() {
        return Bindings.createBooleanBinding(vm::isRunning, vm.stateProperty());
    }

    private void bindTable() {
        column(rowColumn, i -> String.valueOf(i.row()));
        column(idColumn, BatchRowItem::id);
        column(goldColumn, BatchRowItem::gold);
        column(verdictColumn, BatchRowItem::verdict);
        verdictColumn.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                getStyleClass().remove(StyleClasses.VERDICT_REVIEW);
                if (!empty && org.rsafe.trace.Verdict.REVIEW.label().equals(item)) {
                    getStyleClass().add(StyleClasses.VERDICT_REVIEW);
                }
            }
        });
        column(flaggedColumn, BatchRowItem::flagged);
        column(scoreColumn, BatchRowItem::topScoreText);
        column(excerptColumn, BatchRowItem::excerpt);
        resultsTable.setItems(vm.visibleRows());
        resultsTable.setPlaceholder(new Label("Run a batch to see results. Double-click a row to open it in the test bench."));
        resultsTable.setRowFactory(table -> {
            TableRow<BatchRowItem> row = new TableRow<>() {
                @Override
                protected void updateItem(BatchRowItem item, boolean empty) {
                    super.updateItem(item, empty);
                    setTooltip(empty || item == null ? null : new Tooltip(item.excerpt()));
                }
            };
            javafx.scene.control.Menu teach = new javafx.scene.control.Menu("Add as example");
            javafx.scene.control.ContextMenu menu = new javafx.scene.control.ContextMenu(teach);
            menu.setOnShowing(e -> org.rsafe.ui.bench.TestBenchView.teachItems(teach.getItems(), vm.clauseIds(),
                    (id, violating) -> vm.addAsExample(row.getItem(), id, violating)));
            row.contextMenuProperty().bind(Bindings.when(row.emptyProperty()).then((javafx.scene.control.ContextMenu) null)
                    .otherwise(menu));
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    vm.openRow(row.getItem());
                }
            });
            return row;
        });
        resultsTable.setOnKeyPressed(e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.ENTER) {
                vm.openRow(resultsTable.getSelectionModel().getSelectedItem());
            }
        });
    }

    private static void column(TableColumn<BatchRowItem, String> c, Function<BatchRowItem, String> value) {
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
    }

    private void showMetrics(MetricsReport m) {
        metricsGrid.getChildren().clear();
        confusionGrid.getChildren().clear();
        if (m == null) {
            metricsGrid.add(new Label("No metrics yet: run a batch on a labelled dataset."), 0, 0);
            return;
        }
        double[] ci = m.f1Ci95();
        String[][] rows = {
            {"F1 (decided rows)", pct(m.f1())},
            {"F1 95% interval", pct(ci[0]) + " – " + pct(ci[1])},
            {"Precision", pct(m.precision())},
            {"Recall", pct(m.recall())},
            {"Accuracy", pct(m.accuracy())},
            {"False-pos. rate", pct(m.fpr())},
            {"Cohen's κ", num(m.kappa())},
            {"MCC", num(m.mcc())},
            {"Parse failures", m.parseFailures() + " of " + m.rows() + " (" + pct(m.parseFailureRate()) + ")"},
            {"Error rows", m.errorRows() + " of " + m.rows() + " (no output from the engine)"},
            {"Rows evaluated", String.valueOf(m.evaluated())},
            {"Coverage", pct(m.coverage()) + " decided (" + m.review().rows() + " REVIEW)"},
            {"F1, REVIEW as unsafe", pct(m.reviewAsUnsafe().f1()) + " (FPR " + pct(m.reviewAsUnsafe().fpr()) + ")"},
            {"F1, REVIEW as safe", pct(m.reviewAsSafe().f1())},
        };
        for (int i = 0; i < rows.length; i++) {
            Label name = new Label(rows[i][0]);
            name.getStyleClass().add(StyleClasses.METRIC_NAME);
            Label value = new Label(rows[i][1]);
            value.getStyleClass().add(StyleClasses.METRIC_VALUE);
            metricsGrid.add(name, 0, i);
            metricsGrid.add(value, 1, i);
        }
        ConfusionMatrix cm = m.cm();
        confusionGrid.add(header(""), 0, 0);
        confusionGrid.add(header("predicted unsafe"), 1, 0);
        confusionGrid.add(header("predicted safe"), 2, 0);
        confusionGrid.add(header("gold unsafe"), 0, 1);
        confusionGrid.add(header("gold safe"), 0, 2);
        confusionGrid.add(cell("TP " + cm.tp(), true), 1, 1);
        confusionGrid.add(cell("FN " + cm.fn(), false), 2, 1);
        confusionGrid.add(cell("FP " + cm.fp(), false), 1, 2);
        confusionGrid.add(cell("TN " + cm.tn(), true), 2, 2);
    }

    private static Label header(String text) {
        Label l = new Label(text);
        l.getStyleClass().add(StyleClasses.CONFUSION_HEADER);
        l.setMaxWidth(Double.MAX_VALUE);
        return l;
    }

    private static Label cell(String text, boolean correct) {
        Label l = new Label(text);
        l.getStyleClass().addAll(StyleClasses.CONFUSION_CELL, correct ? StyleClasses.CONFUSION_CORRECT : StyleClasses.CONFUSION_WRONG);
        l.setMaxWidth(Double.MAX_VALUE);
        return l;
    }

    private void showChart() {
        boolean f1 = vm.clauseBarsAreF1();
        java.util.List<String> unexercised = vm.clauseBars().stream().filter(BatchViewModel.ClauseCount::unexercised)
                .map(BatchViewModel.ClauseCount::clauseId).toList();
        boolean any = !vm.clauseBars().isEmpty();
        // Before a run there is nothing to draw: an empty axis would only suggest a scale.
        clauseChart.setVisible(any);
        chartHeader.setText(!any ? "Per clause (after a run)"
                : (f1 ? "Per-clause F1 (gold categories)" : "Rows flagged per clause")
                + (unexercised.isEmpty() ? "" : " — no row exercises " + String.join(", ", unexercised)));
        valueAxis.setAutoRanging(false);
        valueAxis.setLowerBound(0);
        valueAxis.setMinorTickVisible(false);
        if (f1) {
            valueAxis.setUpperBound(1);
            valueAxis.setTickUnit(0.2);
            valueAxis.setTickLabelFormatter(null);
        } else {
            // Counts are whole numbers: whole ticks only, at most about five of them.
            double max = vm.clauseBars().stream().mapToDouble(BatchViewModel.ClauseCount::value).max().orElse(1);
            double step = Math.max(1, Math.ceil(max / 5));
            valueAxis.setUpperBound(Math.max(1, Math.ceil(max / step) * step));
            valueAxis.setTickUnit(step);
            valueAxis.setTickLabelFormatter(new javafx.util.StringConverter<>() {
                @Override
                public String toString(Number n) {
                    return Long.toString(Math.round(n.doubleValue()));
                }

                @Override
                public Number fromString(String text) {
                    return Long.parseLong(text);
                }
            });
        }
        XYChart.Series<String, Number> series = new XYChart.Series<>();
        for (BatchViewModel.ClauseCount c : vm.clauseBars()) {
            series.getData().add(new XYChart.Data<>(c.clauseId(), c.value()));
        }
        clauseChart.getData().setAll(java.util.List.of(series));
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.3f", v);
    }

    private Window window() {
        return batchRunButton.getScene() == null ? null : batchRunButton.getScene().getWindow();
    }

    private void askMapping(ColumnMappingViewModel dialog) {
        ColumnMappingView.showDialog(window(), dialog).ifPresentOrElse(
                m -> vm.useMapping(dialog.file(), m), vm::dismissProposal);
    }

    @FXML
    public void chooseDataset() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open a labelled dataset");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Datasets (*.csv, *.tsv, *.jsonl, *.json, *.gz)", "*.csv", "*.tsv", "*.jsonl", "*.json", "*.gz"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        Path current = vm.datasetProperty().get();
        if (current != null && current.getParent() != null) {
            chooser.setInitialDirectory(current.getParent().toFile());
        }
        File f = chooser.showOpenDialog(window());
        if (f != null) {
            vm.inspectDataset(f.toPath());
        }
    }

    @FXML
    private void editColumns() {
        Path current = vm.datasetProperty().get();
        if (current != null) {
            vm.inspectDataset(current);
        }
    }

    @FXML
    private void chooseOutput() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Folder for the run's results");
        File f = chooser.showDialog(window());
        if (f != null) {
            vm.outputDirProperty().set(f.toPath());
        }
    }

    @FXML
    public void run() {
        vm.run();
    }

    @FXML
    public void cancel() {
        vm.cancel();
    }

    @FXML
    private void exportResults() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export results");
        chooser.setInitialFileName("results.jsonl");
        File f = chooser.showSaveDialog(window());
        if (f != null) {
            vm.exportResults(f.toPath());
        }
    }

    @FXML
    private void exportReport() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export report");
        chooser.setInitialFileName("report.md");
        File f = chooser.showSaveDialog(window());
        if (f != null) {
            vm.exportReport(f.toPath());
        }
    }
}
