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
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.stage.DirectoryChooser;
import org.rsafe.train.StepMetrics;

/**
 * The Training tab: binds the run-folder button, the status line and the live curves to a {@link TrainingViewModel}.
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
        rebuild();
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
        vm.stop();
    }

    /** The series drawn for {@code metric} (the chosen chart's series when the metric is chosen there). */
    public XYChart.Series<Number, Number> seriesOf(TrainingMetric metric) {
        return curves.stream().filter(c -> c.metric() == metric).map(Curve::series).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(metric + " is not plotted"));
    }
}
