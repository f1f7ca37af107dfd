package org.rsafe.ui.training;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.rsafe.train.GrpoConfig;
import org.rsafe.train.StepMetrics;

/**
 * The Training tab: binds the new-run form (Start, Stop, progress), the run-folder button, the status line and the
 * live curves to a {@link TrainingViewModel}.
 */
public final class TrainingView {
    private final TrainingViewModel vm;
    // Each plotted series with the metric it draws, so appended steps extend every curve without a rebuild.
    private final List<Curve> curves = new ArrayList<>();
    private final XYChart.Series<Number, Number> chosenSeries = new XYChart.Series<>();

    @FXML private Button openRunButton;
    @FXML private Button stopButton;
    @FXML private Label runLabel;
    @FXML private Label trainingMessageLabel;
    @FXML private LineChart<Number, Number> rewardChart;
    @FXML private LineChart<Number, Number> klChart;
    @FXML private LineChart<Number, Number> entropyChart;
    @FXML private LineChart<Number, Number> chosenChart;
    @FXML private ComboBox<TrainingMetric> metricChoice;
    @FXML private TextField modelField;
    @FXML private TextField dataField;
    @FXML private TextField outField;
    @FXML private Button modelButton;
    @FXML private Button dataButton;
    @FXML private Button outButton;
    @FXML private TextField maxStepsField;
    @FXML private TextField numGenerationsField;
    @FXML private TextField learningRateField;
    @FXML private TextField betaField;
    @FXML private TextField seedField;
    @FXML private TextField moreSettingsField;
    @FXML private ComboBox<String> deviceChoice;
    @FXML private CheckBox resumeCheck;
    @FXML private Button startRunButton;
    @FXML private Button stopRunButton;
    @FXML private ProgressBar runProgressBar;
    @FXML private Label runStatusLabel;
    @FXML private Label startBlockedLabel;
    @FXML private Label runErrorLabel;

    private record Curve(TrainingMetric metric, XYChart.Series<Number, Number> series) { }

    public TrainingView(TrainingViewModel vm) {
        this.vm = Objects.requireNonNull(vm);
    }

    @FXML
    private void initialize() {
        addCurve(rewardChart, TrainingMetric.REWARD, new XYChart.Series<>());
        addCurve(rewardChart, TrainingMetric.REWARD_STD, new XYChart.Series<>());
        addCurve(klChart, TrainingMetric.KL, new XYChart.Series<>());
        addCurve(entropyChart, TrainingMetric.ENTROPY, new XYChart.Series<>());
        metricChoice.getItems().setAll(TrainingMetric.values());
        metricChoice.setValue(TrainingMetric.LOSS);
        addCurve(chosenChart, TrainingMetric.LOSS, chosenSeries);
        metricChoice.valueProperty().addListener((obs, old, m) -> {
            if (m != null) {
                curves.removeIf(c -> c.series() == chosenSeries);
                curves.add(new Curve(m, chosenSeries));
                chosenSeries.setName(m.key());
                chosenChart.setTitle(m.key());
                rebuild();
            }
        });
        vm.steps().addListener((ListChangeListener<StepMetrics>) change -> {
            boolean onlyAppended = true;
            List<StepMetrics> added = new ArrayList<>();
            while (change.next()) {
                if (change.wasRemoved() || change.wasPermutated() || change.wasUpdated()
                        || change.getFrom() != change.getList().size() - change.getAddedSize()) {
                    onlyAppended = false;
                } else {
                    added.addAll(change.getAddedSubList());
                }
            }
            if (onlyAppended) {
                append(added);
            } else {
                rebuild();
            }
        });
        stopButton.disableProperty().bind(vm.followingProperty().not());
        runLabel.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> vm.runDirProperty().get() == null ? "No run folder open" : "Run " + vm.runDirProperty().get(),
                vm.runDirProperty()));
        trainingMessageLabel.textProperty().bind(vm.messageProperty());
        bindForm();
        rebuild();
    }

    private void bindForm() {
        modelField.textProperty().bindBidirectional(vm.modelDirProperty());
        dataField.textProperty().bindBidirectional(vm.dataFileProperty());
        outField.textProperty().bindBidirectional(vm.outDirProperty());
        deviceChoice.getItems().setAll(TrainingViewModel.DEVICES);
        deviceChoice.valueProperty().bindBidirectional(vm.deviceProperty());
        resumeCheck.selectedProperty().bindBidirectional(vm.resumeProperty());
        resumeCheck.setTooltip(new Tooltip("Continue the run in the output folder from its newest checkpoint, with "
                + "its saved settings (as rsafe train grpo --resume)."));
        var busy = vm.runningProperty();
        for (var n : List.of(modelField, dataField, outField, modelButton, dataButton, outButton, deviceChoice,
                resumeCheck)) {
            n.disableProperty().bind(busy);
        }
        knobField(maxStepsField, "max_steps");
        knobField(numGenerationsField, "num_generations");
        knobField(learningRateField, "learning_rate");
        knobField(betaField, "beta");
        knobField(seedField, "seed");
        moreSettingsField.textProperty().bindBidirectional(vm.moreSettingsProperty());
        moreSettingsField.disableProperty().bind(busy);
        moreSettingsField.setTooltip(new Tooltip("Any other GRPO setting by its TRL name, name=value separated by ';' "
                + "(e.g. max_completion_length=256; save_steps=10), as rsafe train grpo --NAME VALUE."));
        startRunButton.disableProperty().bind(vm.canStartProperty().not());
        stopRunButton.disableProperty().bind(busy.not().or(vm.stoppingProperty()));
        runProgressBar.progressProperty().bind(vm.runProgressProperty());
        runStatusLabel.textProperty().bind(vm.runStatusProperty());
        startBlockedLabel.textProperty().bind(vm.startBlockedReasonProperty());
        runErrorLabel.textProperty().bind(vm.runErrorProperty());
    }

    // A resumed run keeps the settings saved in its folder, so the knobs are not editable then.
    private void knobField(TextField field, String knob) {
        field.textProperty().bindBidirectional(vm.knob(knob));
        field.disableProperty().bind(vm.runningProperty().or(vm.resumeProperty()));
        GrpoConfig.KNOBS.stream().filter(k -> k.name().equals(knob)).findFirst().ifPresent(k ->
                field.setTooltip(new Tooltip(k.help() + " Default: " + k.defaultValue() + ".")));
    }

    private void addCurve(LineChart<Number, Number> chart, TrainingMetric metric, XYChart.Series<Number, Number> series) {
        series.setName(metric.key());
        chart.getData().add(series);
        curves.add(new Curve(metric, series));
    }

    private void append(List<StepMetrics> added) {
        for (Curve c : curves) {
            List<XYChart.Data<Number, Number>> points = points(c.metric(), added);
            if (!points.isEmpty()) {
                c.series().getData().addAll(points);
            }
        }
    }

    private void rebuild() {
        for (Curve c : curves) {
            c.series().getData().setAll(points(c.metric(), vm.steps()));
        }
    }

    // A NaN (diverged step, or a key the log lacks) would break the axis range: leave a gap instead.
    private static List<XYChart.Data<Number, Number>> points(TrainingMetric metric, List<StepMetrics> steps) {
        List<XYChart.Data<Number, Number>> out = new ArrayList<>(steps.size());
        for (StepMetrics s : steps) {
            double v = metric.of(s);
            if (Double.isFinite(v)) {
                out.add(new XYChart.Data<>(s.step(), v));
            }
        }
        return out;
    }

    @FXML
    private void openRun() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open run folder");
        Path current = vm.runDirProperty().get();
        if (current != null && current.toFile().isDirectory()) {
            chooser.setInitialDirectory(current.toFile());
        }
        File dir = chooser.showDialog(openRunButton.getScene().getWindow());
        if (dir != null) {
            vm.open(dir.toPath());
        }
    }

    @FXML
    private void stopFollowing() {
        vm.stopFollowing();
    }

    @FXML
    private void chooseModel() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Model folder (Hugging Face Qwen2)");
        initial(vm.modelDirProperty().get()).ifPresent(chooser::setInitialDirectory);
        File dir = chooser.showDialog(modelButton.getScene().getWindow());
        if (dir != null) {
            vm.modelDirProperty().set(dir.toString());
        }
    }

    @FXML
    private void chooseData() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Training data (JSON Lines from rsafe train data)");
        chooser.getExtensionFilters().setAll(new FileChooser.ExtensionFilter("JSON Lines", "*.jsonl"),
                new FileChooser.ExtensionFilter("All files", "*"));
        initial(vm.dataFileProperty().get()).map(File::getParentFile).ifPresent(chooser::setInitialDirectory);
        File file = chooser.showOpenDialog(dataButton.getScene().getWindow());
        if (file != null) {
            vm.dataFileProperty().set(file.toString());
        }
    }

    @FXML
    private void chooseOut() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Run folder (new, or an earlier run to resume)");
        initial(vm.outDirProperty().get()).map(f -> f.isDirectory() ? f : f.getParentFile())
                .ifPresent(chooser::setInitialDirectory);
        File dir = chooser.showDialog(outButton.getScene().getWindow());
        if (dir != null) {
            vm.outDirProperty().set(dir.toString());
        }
    }

    // The chooser starts where the field points when that exists (a folder, or a file's folder).
    private static java.util.Optional<File> initial(String text) {
        if (text == null || text.isBlank()) {
            return java.util.Optional.empty();
        }
        try {
            File f = Path.of(text.strip()).toFile();
            return f.exists() ? java.util.Optional.of(f) : java.util.Optional.empty();
        } catch (java.nio.file.InvalidPathException e) {
            return java.util.Optional.empty();
        }
    }

    @FXML
    private void startRun() {
        vm.startRun();
    }

    @FXML
    private void stopRun() {
        vm.stopRun();
    }

    /** The series drawn for {@code metric} (the chosen chart's series when the metric is chosen there). */
    public XYChart.Series<Number, Number> seriesOf(TrainingMetric metric) {
        return curves.stream().filter(c -> c.metric() == metric).map(Curve::series).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(metric + " is not plotted"));
    }
}
