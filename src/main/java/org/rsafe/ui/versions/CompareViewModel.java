package org.rsafe.ui.versions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javafx.beans.value.ObservableValue;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.rsafe.app.Comparison;
import org.rsafe.app.RunSource;
import org.rsafe.ui.freshness.ResultFreshness;
import org.rsafe.util.Hashing;
import org.rsafe.engine.Engine;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoadResult;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.ui.editor.PolicyEditorViewModel;
import org.rsafe.ui.task.BackgroundTask;
import org.rsafe.trace.Judgement;
import org.rsafe.ui.batch.BatchViewModel;
import org.rsafe.ui.bench.EngineSource;
import org.rsafe.trace.TraceStep;
import org.rsafe.ui.task.Progress;
import org.rsafe.ui.task.TaskExecutor;
import org.rsafe.ui.task.TaskHandle;
import org.rsafe.workspace.DiffRow;
import org.rsafe.workspace.FlipTraces;
import org.rsafe.workspace.MetricDelta;
import org.rsafe.workspace.PolicyDiff;
import org.rsafe.workspace.PolicyVersion;
import org.rsafe.workspace.RunComparison;
import org.rsafe.workspace.TextDiff;
import org.rsafe.workspace.VerdictFlip;
import org.rsafe.workspace.Workspace;

/**
 * State of the Compare tab: two sides (saved versions of the open policy or any policy file), their aligned
 * line-by-line diff and the clause-level changes between them, and on request a run comparison on the batch
 * dataset with the engine chosen in the test bench (metric deltas, verdict flips and their traces). Reading, diffing
 * and judging run through the executor.
 */
public final class CompareViewModel {
    private final TaskExecutor executor;
    private final ObjectProperty<CompareSide> sideA = new SimpleObjectProperty<>(this, "sideA");
    private final ObjectProperty<CompareSide> sideB = new SimpleObjectProperty<>(this, "sideB");
    private final ObservableList<CompareSide> choices = FXCollections.observableArrayList();
    private final ObservableList<DiffRow> rows = FXCollections.observableArrayList();
    private final ObservableList<String> structural = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final BooleanBinding canCompare;
    private final ObservableList<MetricDelta> deltas = FXCollections.observableArrayList();
    private final ObservableList<VerdictFlip> flips = FXCollections.observableArrayList();
    private final ObjectProperty<VerdictFlip> selectedFlip = new SimpleObjectProperty<>(this, "selectedFlip");
    private final ObservableList<String> traceA = FXCollections.observableArrayList();
    private final ObservableList<String> traceB = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyDoubleWrapper runProgress = new ReadOnlyDoubleWrapper(this, "runProgress", 0);
    private final ReadOnlyStringWrapper runMessage = new ReadOnlyStringWrapper(this, "runMessage", "");
    private final BooleanBinding canRun;
    private final ReadOnlyStringWrapper engineSummary = new ReadOnlyStringWrapper(this, "engineSummary", "");
    private EngineSource engine = (onReady, onFailed) -> onFailed.accept("No engine is connected to the Compare tab.");
    private final ObjectProperty<Path> dataset = new SimpleObjectProperty<>(this, "dataset");
    private final ObjectProperty<Path> openFile = new SimpleObjectProperty<>(this, "openFile");
    private final javafx.beans.property.StringProperty openFileSaved =
            new javafx.beans.property.SimpleStringProperty(this, "openFileSaved", "");
    private final ResultFreshness freshness;
    private RunComparison lastRun;
    /** What the empty flip list says: before a comparison ran there is nothing to say "no flips" about. */
    private final javafx.beans.property.ReadOnlyStringWrapper flipsPlaceholder =
            new javafx.beans.property.ReadOnlyStringWrapper(this, "flipsPlaceholder", NOT_COMPARED_YET);
    static final String NOT_COMPARED_YET = "Run a comparison to list the rows whose verdict flips";
    static final String NO_FLIPS = "No verdict flips";
    private TaskHandle runHandle = TaskHandle.DONE;
    private TaskHandle traceHandle = TaskHandle.DONE;

    public CompareViewModel(TaskExecutor executor) {
        this.executor = Objects.requireNonNull(executor);
        this.canCompare = Bindings.createBooleanBinding(
                () -> sideA.get() != null && sideB.get() != null && !busy.get(), sideA, sideB, busy);
        this.canRun = Bindings.createBooleanBinding(
                () -> sideA.get() != null && sideB.get() != null && !running.get(), sideA, sideB, running);
        selectedFlip.addListener((obs, old, flip) -> traceFlip(flip));
        freshness = new ResultFreshness(Bindings.createObjectBinding(this::currentSource,
                sideA, sideB, engineSummary, dataset, openFile, openFileSaved));
    }

    /**
     * What a run comparison started now would use: the two sides (a saved version by its commit, the open file by
     * its text as last saved), the engine choice and the batch dataset.
     */
    private RunSource currentSource() {
        if (sideA.get() == null || sideB.get() == null) {
            return RunSource.of("", engineSummary.get(), String.valueOf(dataset.get()), "dataset");
        }
        String sides = Hashing.sha256(sideKey(sideA.get()) + "\u0000" + sideKey(sideB.get()));
        return RunSource.of(sides, engineSummary.get(), String.valueOf(dataset.get()), "dataset");
    }

    private String sideKey(CompareSide side) {
        if (side.version() != null) {
            return side.file() + "@" + side.version().commitId();
        }
        boolean open = side.file().equals(openFile.get());
        return side.file() + "@current" + (open ? ":" + Hashing.sha256(openFileSaved.get()) : "");
    }

    /**
     * The policy file open in the editor and its text as last saved: a comparison whose "current" side is that file
     * goes out of date when it is saved again.
     */
    public void followOpenFile(ObservableValue<Path> file, ObservableStringValue savedText) {
        openFile.bind(file);
        openFileSaved.bind(savedText);
    }

    /**
     * Where "Run comparison" gets its engine (the one chosen in the test bench, described by {@code engineSummary})
     * and its data (the batch dataset).
     */
    public void useRuns(EngineSource engine, ObservableStringValue engineSummary, ObservableValue<Path> batchDataset) {
        this.engine = Objects.requireNonNull(engine);
        this.engineSummary.bind(engineSummary);
        this.dataset.bind(Objects.requireNonNull(batchDataset));
    }

    /**
     * Evaluates A and B on the batch dataset with the chosen engine (stored runs of the same engine are reused), then
     * lists the metric deltas with their paired bootstrap intervals and every row whose verdict flipped.
     */
    public void runComparison() {
        CompareSide a = sideA.get();
        CompareSide b = sideB.get();
        Path data = dataset.get();
        if (a == null || b == null) {
            runMessage.set("Choose both sides (A and B) first.");
            return;
        }
        if (data == null) {
            runMessage.set("Open a labelled dataset on the Batch tab first: the comparison runs on it.");
            return;
        }
        if (running.get()) {
            return;
        }
        running.set(true);
        runProgress.set(-1);
        RunSource source = freshness.now();
        freshness.clear();
        deltas.clear();
        flips.clear();
        traceA.clear();
        traceB.clear();
        lastRun = null;
        flipsPlaceholder.set(NOT_COMPARED_YET);
        runMessage.set("Evaluating A and B on " + data.getFileName() + " with " + engineSummary.get() + "…");
        runHandle = engine.start(e -> compareWith(e, a, b, data, source),
                () -> {
                    runMessage.set("Comparison cancelled.");
                    running.set(false);
                },
                message -> {
                    runMessage.set(message);
                    runProgress.set(0);
                    running.set(false);
                });
    }

    private TaskHandle compareWith(Engine judge, CompareSide a, CompareSide b, Path data, RunSource source) {
        return executor.execute(BackgroundTask.of("Compare runs", (progress, cancel) -> {
            Policy pa = policyOf("A", a, read(a));
            Policy pb = policyOf("B", b, read(b));
            // The Batch tab's way of reading the dataset, so the two tabs judge (and store) the same runs.
            Comparison.Request request = new Comparison.Request(pa, pb, BatchViewModel.dataSettings(data), null,
                    Workspace.locate(b.file(), null), 0);
            return Comparison.run(judge, request,
                    p -> progress.accept(new Progress(p.done(), p.total(), p.side().name())), cancel).comparison();
        }).onSuccess(r -> {
            lastRun = r;
            freshness.ran(source);
            flipsPlaceholder.set(NO_FLIPS);
            deltas.setAll(r.deltas());
            flips.setAll(r.flips());
            runMessage.set(r.pairedRows() + " rows compared; " + r.flips().size() + " verdict flip(s)"
                    + (r.flips().isEmpty() ? "" : ": select one to see both traces"));
        }).onFailure(e -> runMessage.set("Cannot run the comparison: " + PolicyEditorViewModel.describe(e)))
                .onCancelled(() -> runMessage.set("Comparison cancelled (rows judged so far are kept for next time)."))
                .onProgress(p -> runProgress.set(p.fraction()))
                .onFinished(() -> running.set(false)));
    }

    /** Stops a running comparison at its next row. */
    public void cancelRun() {
        runHandle.cancel();
        traceHandle.cancel();
    }

    private static Policy policyOf(String which, CompareSide side, String text) {
        PolicyLoadResult loaded = PolicyLoader.parse(side.file().getFileName().toString(), text);
        if (loaded.policy() == null) {
            throw new org.rsafe.util.UserException(which + " (" + side.label() + ") is not a readable policy");
        }
        return loaded.policy();
    }

    private void traceFlip(VerdictFlip flip) {
        traceHandle.cancel();
        traceA.clear();
        traceB.clear();
        RunComparison run = lastRun;
        if (flip == null || run == null) {
            return;
        }
        traceA.setAll("Tracing row " + flip.id() + "…");
        traceHandle = engine.start(e -> {
            if (!Comparison.judgedBy(run, e)) {
                // Another engine would trace verdicts other than the ones that flipped.
                traceA.setAll("The engine choice changed since this comparison ran: run it again to trace its flips.");
                return TaskHandle.DONE;
            }
            return traceWith(e, run, flip);
        }, () -> { }, message -> traceA.setAll(message));
    }

    private TaskHandle traceWith(Engine judge, RunComparison run, VerdictFlip flip) {
        return executor.execute(BackgroundTask.of("Trace flip " + flip.id(),
                (progress, cancel) -> Comparison.trace(judge, run, List.of(flip), cancel))
                .onSuccess(traced -> {
                    if (selectedFlip.get() != flip || traced.isEmpty()) {
                        return;
                    }
                    FlipTraces t = traced.get(0);
                    traceA.setAll(stepsOf("A", t.a()));
                    traceB.setAll(stepsOf("B", t.b()));
                })
                .onFailure(e -> traceA.setAll("Cannot trace this row: " + PolicyEditorViewModel.describe(e))));
    }

    private static List<String> stepsOf(String side, Judgement j) {
        List<String> out = new java.util.ArrayList<>();
        out.add(side + ": " + j.verdict().label()
                + (j.flaggedClauses().isEmpty() ? "" : " (" + String.join(", ", j.flaggedClauses()) + ")"));
        for (TraceStep step : j.steps()) {
            // Numbered from 1, as the Test bench numbers its steps.
            out.add((step.index() + 1) + ". " + step.text());
        }
        if (j.steps().isEmpty() && !j.rawOutput().isBlank()) {
            out.add(j.rawOutput());
        }
        return out;
    }

    /**
     * Offers the open file's current text and its saved versions as choices, keeping the list in step with the
     * Versions tab.
     */
    public void followVersions(VersionsViewModel versions) {
        Runnable update = () -> {
            Path f = versions.fileProperty().get();
            if (f == null) {
                choices.clear();
                return;
            }
            List<CompareSide> all = new java.util.ArrayList<>();
            all.add(CompareSide.current(f));
            for (PolicyVersion v : versions.versions()) {
                all.add(CompareSide.saved(f, v));
            }
            choices.setAll(all);
        };
        versions.versions().addListener((ListChangeListener<PolicyVersion>) c -> update.run());
        versions.fileProperty().addListener((obs, old, f) -> update.run());
        update.run();
    }

    /** Sets both sides and compares them at once (from "Compare with current" on the Versions tab). */
    public void compare(CompareSide a, CompareSide b) {
        sideA.set(a);
        sideB.set(b);
        compare();
    }

    /** Compares the chosen sides; a side that is not a readable policy still gets its text diff. */
    public void compare() {
        CompareSide a = sideA.get();
        CompareSide b = sideB.get();
        if (a == null || b == null) {
            message.set("Choose both sides (A and B) to compare.");
            return;
        }
        busy.set(true);
        executor.execute(BackgroundTask.of("Compare " + a.label() + " with " + b.label(), (progress, cancel) -> {
            String textA = read(a);
            String textB = read(b);
            List<DiffRow> diff = TextDiff.sideBySide(textA, textB);
            PolicyLoadResult pa = PolicyLoader.parse(a.file().getFileName().toString(), textA);
            PolicyLoadResult pb = PolicyLoader.parse(b.file().getFileName().toString(), textB);
            String problem = pa.policy() == null ? "A (" + a.label() + ") is not a readable policy"
                    : pb.policy() == null ? "B (" + b.label() + ") is not a readable policy" : "";
            PolicyDiff structure = problem.isEmpty() ? PolicyDiff.between(pa.policy(), pb.policy()) : null;
            List<String> changes = structure == null ? List.of() : structure.describe();
            return new Result(diff, changes, structure == null ? "" : structure.summary(), problem);
        }).onSuccess(r -> {
            rows.setAll(r.rows());
            structural.setAll(r.changes());
            long changed = r.rows().stream().filter(row -> row.kind() != DiffRow.Kind.SAME).count();
            // The same count of policy changes as rsafe compare prints.
            summary.set(changed == 0 ? "The two sides are identical."
                    : changed + " line(s) differ" + (r.structure().isEmpty() ? "" : "; policy changes: " + r.structure()));
            message.set(r.problem().isEmpty() ? "" : r.problem() + ": only the text diff is shown.");
        }).onFailure(e -> {
            rows.clear();
            structural.clear();
            summary.set("");
            message.set("Cannot compare: " + PolicyEditorViewModel.describe(e));
        }).onFinished(() -> busy.set(false)));
    }

    private static String read(CompareSide side) throws java.io.IOException {
        if (side.version() == null) {
            return Files.readString(side.file());
        }
        try (Workspace ws = Workspace.findExisting(side.file()).orElseThrow(() -> new org.rsafe.util.UserException(
                side.file() + " is not in a workspace, so it has no saved versions"))) {
            return ws.showAt(side.file(), side.version().commitId());
        }
    }

    private record Result(List<DiffRow> rows, List<String> changes, String structure, String problem) { }

    // ---- accessors ------------------------------------------------------------------------------------

    public ObjectProperty<CompareSide> sideAProperty() {
        return sideA;
    }

    public ObjectProperty<CompareSide> sideBProperty() {
        return sideB;
    }

    /** What the A/B choosers offer: the open file as it is now, then its saved versions, newest first. */
    public ObservableList<CompareSide> choices() {
        return choices;
    }

    /** The aligned rows of the text diff, A on the left. */
    public ObservableList<DiffRow> rows() {
        return rows;
    }

    /** Clause-level changes from A to B, one line each ({@code + K9 "Title" added}, {@code ~ K1 title: …}). */
    public ObservableList<String> structuralChanges() {
        return structural;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public BooleanBinding canCompareBinding() {
        return canCompare;
    }

    public BooleanBinding canRunBinding() {
        return canRun;
    }

    /** Metric changes from A to B of the last run comparison (f1, precision, recall, fpr, …). */
    public ObservableList<MetricDelta> deltas() {
        return deltas;
    }

    /** Rows whose verdict differs between A and B in the last run comparison. */
    public ObservableList<VerdictFlip> flips() {
        return flips;
    }

    /** The flip whose traces are shown; selecting one traces that row with both policies. */
    public ObjectProperty<VerdictFlip> selectedFlipProperty() {
        return selectedFlip;
    }

    /** The selected flip's verdict and trace steps under A, one line each. */
    public ObservableList<String> traceA() {
        return traceA;
    }

    public ObservableList<String> traceB() {
        return traceB;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** Progress of the run comparison, 0..1, or -1 while unknown. */
    public ReadOnlyDoubleProperty runProgressProperty() {
        return runProgress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty flipsPlaceholderProperty() {
        return flipsPlaceholder.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty runMessageProperty() {
        return runMessage.getReadOnlyProperty();
    }

    /** Whether the shown run comparison still belongs to the sides, engine and dataset chosen now. */
    public ResultFreshness freshness() {
        return freshness;
    }

    /** The engine "Run comparison" will use, in one line. */
    public ReadOnlyStringProperty engineSummaryProperty() {
        return engineSummary.getReadOnlyProperty();
    }
}
