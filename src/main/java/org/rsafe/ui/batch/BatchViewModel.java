package org.rsafe.ui.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import org.rsafe.app.DataSettings;
import org.rsafe.app.EngineKind;
import org.rsafe.app.Evaluation;
import org.rsafe.app.SampledEngine;
import org.rsafe.engine.Engine;
import org.rsafe.eval.BadRowPolicy;
import org.rsafe.eval.BatchConfig;
import org.rsafe.eval.BatchListener;
import org.rsafe.eval.BatchProgress;
import org.rsafe.eval.BatchRun;
import org.rsafe.eval.BatchRunResults;
import org.rsafe.eval.BatchSummary;
import org.rsafe.eval.ColumnMapping;
import org.rsafe.eval.DatasetReader;
import org.rsafe.eval.EvidenceReport;
import org.rsafe.eval.LabelledRow;
import org.rsafe.eval.Metrics;
import org.rsafe.eval.MetricsReport;
import org.rsafe.eval.Prediction;
import org.rsafe.eval.ResultRow;
import org.rsafe.policy.Policy;
import org.rsafe.ui.bench.EngineChoice;
import org.rsafe.app.RunSource;
import org.rsafe.ui.freshness.ResultFreshness;
import org.rsafe.ui.editor.PolicyEditorViewModel;
import org.rsafe.ui.task.BackgroundTask;
import org.rsafe.ui.task.TaskExecutor;
import org.rsafe.ui.task.TaskHandle;
import org.rsafe.ui.task.UiThrottle;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.UserException;

/**
 * State of the batch tab: the dataset and its column mapping, the run (progress, speed, ETA, cancel,
 * resume), the results with their filters, and the metrics. Runs use the engine chosen in the test bench (the
 * shared {@link EngineChoice}) through {@link BatchRun}, off the UI thread; progress and new rows reach the UI at
 * most ten times a second.
 */
public final class BatchViewModel {
    /** Progress and new rows reach the UI at most this often. */
    static final Duration UI_INTERVAL = Duration.ofMillis(100);
    static final int PREVIEW_ROWS = 20;
    static final long BOOTSTRAP_SEED = DataSettings.DEFAULT_SEED;

    public enum State { EMPTY, READY, RUNNING, CANCELLING, DONE, CANCELLED, FAILED }

    /** What the mapping dialog needs: the file, its columns, first rows, and the detected mapping. */
    public record MappingProposal(ColumnMappingViewModel dialog) { }

    private final TaskExecutor executor;
    private final EngineChoice engineChoice;
    private final ReadOnlyObjectProperty<Policy> policy;
    private final ReadOnlyBooleanProperty policyUsable;
    private final org.rsafe.ui.workspace.WorkbenchHome home;

    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.EMPTY);
    private final ReadOnlyObjectWrapper<Path> dataset = new ReadOnlyObjectWrapper<>(this, "dataset");
    private final ReadOnlyObjectWrapper<ColumnMapping> mapping = new ReadOnlyObjectWrapper<>(this, "mapping");
    private final ReadOnlyStringWrapper mappingText = new ReadOnlyStringWrapper(this, "mappingText", "");
    private final ReadOnlyObjectWrapper<MappingProposal> proposal = new ReadOnlyObjectWrapper<>(this, "proposal");
    private final ObjectProperty<Path> outputDir = new SimpleObjectProperty<>(this, "outputDir");
    private final BooleanProperty resume = new SimpleBooleanProperty(this, "resume", true);
    private final IntegerProperty samples = new SimpleIntegerProperty(this, "samples", 1);
    private final StringProperty sliceBy = new SimpleStringProperty(this, "sliceBy", "");
    private final ReadOnlyStringWrapper sliceTable = new ReadOnlyStringWrapper(this, "sliceTable", "");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper(this, "progressText", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyStringWrapper info = new ReadOnlyStringWrapper(this, "info", "");
    private final ObservableList<BatchRowItem> rows = FXCollections.observableArrayList();
    // One read-only view, kept: listeners on a view that is re-created per call would be lost to GC.
    private final ObservableList<BatchRowItem> rowsReadOnly = FXCollections.unmodifiableObservableList(rows);
    private final FilteredList<BatchRowItem> visibleRows = new FilteredList<>(rows);
    private final ObjectProperty<ResultFilter> filter = new SimpleObjectProperty<>(this, "filter", ResultFilter.ALL);
    private final StringProperty search = new SimpleStringProperty(this, "search", "");
    private final ReadOnlyObjectWrapper<MetricsReport> metrics = new ReadOnlyObjectWrapper<>(this, "metrics");
    private final ObservableList<ClauseCount> clauseBars = FXCollections.observableArrayList();
    // One read-only view, kept: listeners on a view that is re-created per call would be lost to GC.
    private final ObservableList<ClauseCount> clauseBarsReadOnly = FXCollections.unmodifiableObservableList(clauseBars);
    private final ReadOnlyObjectWrapper<LabelledRow> openRowRequest = new ReadOnlyObjectWrapper<>(this, "openRowRequest");
    private final ReadOnlyObjectWrapper<Path> lastRunDir = new ReadOnlyObjectWrapper<>(this, "lastRunDir");
    private final BooleanBinding canRun;
    private final javafx.beans.binding.StringBinding runBlockedReason;

    private Consumer<LabelledRow> openInBench = r -> { };
    private TaskHandle running = TaskHandle.DONE;
    private final ResultFreshness freshness;

    /** A bar of the per-clause chart: a clause and a value (F1 when gold categories exist, else a flag count). */
    /**
     * One bar of the per-clause chart; {@code unexercised} marks a clause no row exercises (no gold category maps to
     * it and no row was flagged for it), shown with no bar so that the gap in the data is visible.
     */
    public record ClauseCount(String clauseId, double value, boolean unexercised) {
        public ClauseCount(String clauseId, double value) {
            this(clauseId, value, false);
        }
    }

    public BatchViewModel(TaskExecutor executor, EngineChoice engineChoice, ReadOnlyObjectProperty<Policy> policy,
                          ReadOnlyBooleanProperty policyUsable, org.rsafe.ui.workspace.WorkbenchHome home) {
        this.executor = Objects.requireNonNull(executor);
        this.engineChoice = Objects.requireNonNull(engineChoice);
        this.policy = policy;
        this.policyUsable = policyUsable;
        this.home = home;
        visibleRows.predicateProperty().bind(Bindings.createObjectBinding(
                () -> item -> filter.get().test(item.result()) && item.matches(search.get()), filter, search));
        runBlockedReason = Bindings.createStringBinding(() -> {
            if (state.get() == State.RUNNING || state.get() == State.CANCELLING) {
                return "A batch run is in progress.";
            }
            if (dataset.get() == null || mapping.get() == null) {
                return "Open a dataset (CSV or JSONL) first.";
            }
            if (policy.get() == null || !policyUsable.get()) {
                return "The policy has errors; fix them to run a batch.";
            }
            return engineChoice.blockedReasonBinding().get();
        }, state, dataset, mapping, policy, policyUsable, engineChoice.blockedReasonBinding());
        canRun = Bindings.createBooleanBinding(() -> runBlockedReason.get().isEmpty(), runBlockedReason);
        freshness = new ResultFreshness(Bindings.createObjectBinding(this::currentSource,
                policy, policyUsable, engineChoice.summaryBinding(), dataset, mapping));
    }

    /** What a run started now would use: the policy text, the engine choice, the dataset file and its columns. */
    private RunSource currentSource() {
        Policy p = policy.get();
        String policyKey = p == null || !policyUsable.get() ? "" : p.sha256();
        ColumnMapping m = mapping.get();
        return RunSource.of(policyKey, engineChoice.summaryBinding().get(),
                dataset.get() + "\u0000" + (m == null ? "" : m.describe()), "dataset");
    }

    // ---- dataset --------------------------------------------------------------------------------------

    /**
     * Reads a dataset's columns and first rows off the UI thread. With {@code mappingOrNull} null the detected
     * mapping is proposed through {@link #proposalProperty()} (the view shows the mapping dialog) unless
     * {@code acceptDetected} is set, as at start-up.
     */
    public void inspectDataset(Path file) {
        loadDataset(file, false);
    }

    /** Opens a dataset and uses the detected mapping without asking (start-up sample). */
    public void openDataset(Path file, ColumnMapping mappingOrNull) {
        if (mappingOrNull != null) {
            useMapping(file, mappingOrNull);
        } else {
            loadDataset(file, true);
        }
    }

    private void loadDataset(Path file, boolean acceptDetected) {
        error.set("");
        executor.execute(BackgroundTask.of("Read dataset", (p, cancel) -> {
            try (DatasetReader reader = DatasetReader.open(file, (ColumnMapping) null, BadRowPolicy.SKIP)) {
                List<Map<String, String>> preview = DatasetReader.preview(file, PREVIEW_ROWS);
                return new ColumnMappingViewModel(file, reader.header(), preview,
                        new org.rsafe.eval.DetectedMapping(reader.mapping(), reader.notes()));
            }
        }).onSuccess(dialog -> {
            if (acceptDetected && dialog.mappingProperty().get() != null) {
                useMapping(file, dialog.mappingProperty().get());
            } else {
                proposal.set(new MappingProposal(dialog));
            }
        }).onFailure(e -> error.set("Cannot open " + file.getFileName() + ": " + PolicyEditorViewModel.describe(e))));
    }

    /** Takes the mapping the user confirmed; the run output goes to a new folder under the workbench home. */
    public void useMapping(Path file, ColumnMapping chosen) {
        proposal.set(null);
        dataset.set(file);
        mapping.set(chosen);
        mappingText.set(chosen.describe());
        outputDir.set(defaultOutputDir(file));
        freshness.clear();
        rows.clear();
        metrics.set(null);
        clauseBars.clear();
        progress.set(0);
        progressText.set("");
        error.set("");
        state.set(State.READY);
    }

    /** The dialog was closed without a choice. */
    public void dismissProposal() {
        proposal.set(null);
    }

    private Path defaultOutputDir(Path file) {
        String base = file.getFileName().toString().replaceAll("\\.[^.]*$", "");
        Path dir = home.batchRuns().resolve(base + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        // Run again within the same second as the last run: a fresh folder beside it, never the finished one.
        for (int n = 2; Files.exists(dir); n++) {
            dir = dir.resolveSibling(base + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                    + "-" + n);
        }
        return dir;
    }

    // ---- run ------------------------------------------------------------------------------------------

    /**
     * How every tab of the workbench that runs a policy over the batch dataset reads it (Batch, Compare, Export):
     * unusable rows are left out and listed rather than stopping an analyst's run, chunks are the engine's own size.
     */
    public static DataSettings dataSettings(Path data) {
        return DataSettings.of(data).withBadRows(BadRowPolicy.SKIP);
    }

    public void run() {
        if (!canRun.get()) {
            error.set(runBlockedReason.get());
            return;
        }
        if (state.get() == State.DONE || state.get() == State.FAILED) {
            // A finished run's folder is complete; running again starts a fresh one beside it.
            outputDir.set(defaultOutputDir(dataset.get()));
        }
        Policy p = policy.get();
        Evaluation.Request request = new Evaluation.Request(p, dataSettings(dataset.get()), mapping.get(),
                outputDir.get(), resume.get());
        RunSource source = freshness.now();
        freshness.clear();
        error.set("");
        info.set("");
        rows.clear();
        metrics.set(null);
        clauseBars.clear();
        progress.set(-1);
        EngineKind kind = engineChoice.engineKindProperty().get();
        progressText.set(kind == EngineKind.LOCAL_LLM ? "opening the model…"
                : kind == EngineKind.REMOTE ? "connecting to the server…" : "starting…");
        // Set before the engine is obtained: a local model may take a while to open, and Cancel works meanwhile.
        state.set(State.RUNNING);
        int draws = samples.get();
        running = engineChoice.start(engine -> startRun(SampledEngine.over(engine, draws), request, source),
                () -> {
                    state.set(State.CANCELLED);
                    progress.set(0);
                    progressText.set("cancelled before the first row");
                },
                message -> {
                    state.set(State.FAILED);
                    progress.set(0);
                    progressText.set("");
                    error.set(message);
                });
    }

    private TaskHandle startRun(Engine engine, Evaluation.Request request, RunSource source) {
        Policy p = request.policy();
        String column = sliceBy.get() == null ? "" : sliceBy.get();
        UiThrottle<BatchProgress> progressThrottle = UiThrottle.latest(executor, UI_INTERVAL, this::showProgress);
        UiThrottle<List<ResultRow>> rowThrottle = UiThrottle.merging(executor, UI_INTERVAL, this::addRows, BatchViewModel::concat);
        BatchListener listener = new BatchListener() {
            @Override
            public void onProgress(BatchProgress progress) {
                progressThrottle.offer(progress);
            }

            @Override
            public void onResult(ResultRow row) {
                rowThrottle.offer(List.of(row));
            }
        };
        return executor.execute(BackgroundTask.of("Batch run", (ignored, cancel) -> {
            BatchSummary summary = Evaluation.run(engine, request, listener, cancel);
            // A cancelled run has no report; the metrics of the rows done so far are still worth showing.
            MetricsReport m = summary.metrics() != null ? summary.metrics() : metricsOf(summary.results(), p);
            String slices = "";
            if (!summary.cancelled() && !column.isBlank()) {
                try {
                    slices = Evaluation.slices(request, summary, column.strip()).toTable();
                } catch (UserException e) {
                    slices = e.getMessage();
                }
            }
            List<String> evidence = EvidenceReport.of(p, summary.results(), m.categories(), engine.identity().samples())
                    .lines();
            return new Outcome(summary, m, slices, evidence);
        }).onSuccess(outcome -> {
            progressThrottle.flushNow();
            rowThrottle.flushNow();
            finish(outcome, p);
            freshness.ran(source);
        }).onCancelled(() -> {
            state.set(State.CANCELLED);
            progressText.set(progressText.get() + " — cancelled");
        }).onFailure(e -> {
            state.set(State.FAILED);
            progress.set(0);
            error.set("The batch run failed: " + PolicyEditorViewModel.describe(e));
        }));
    }

    /**
     * The warning the CLI's report prints when the data's gold categories name no clause of the policy (data
     * labelled for another policy): their rows drop out of the per-clause metrics. Empty when all categories map.
     */
    static String unmatchedCategoriesNote(MetricsReport m) {
        if (m == null || m.categories().unmapped().isEmpty()) {
            return "";
        }
        List<String> names = List.copyOf(m.categories().unmapped());
        String shown = String.join(", ", names.subList(0, Math.min(5, names.size())))
                + (names.size() > 5 ? ", …" : "");
        String which = m.categories().mapped().isEmpty()
                ? "none of the data's " + names.size() + " categories matches a clause of this policy (" + shown
                        + "): was the data labelled for another policy?"
                : names.size() + " of the data's categories match no clause (" + shown + ")";
        return which + " Their unsafe rows are left out of the per-clause chart.";
    }

    /** A finished (or cancelled) run with the metrics to show. */
    private record Outcome(BatchSummary summary, MetricsReport metrics, String slices, List<String> evidence) { }

    private static List<ResultRow> concat(List<ResultRow> a, List<ResultRow> b) {
        List<ResultRow> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return all;
    }

    /**
     * Stops the run after the chunk in progress, keeping every result already written for a resume; while the model
     * is still opening (which cannot be interrupted) the run ends, cancelled, as soon as it is open.
     */
    public void cancel() {
        if (state.get() == State.RUNNING) {
            state.set(State.CANCELLING);
            running.cancel();
        }
    }

    private void showProgress(BatchProgress p) {
        if (state.get() == State.RUNNING || state.get() == State.CANCELLING) {
            progress.set(p.total() > 0 ? Math.min(1.0, (double) p.done() / p.total()) : -1);
            progressText.set(p.render());
        }
    }

    private void addRows(List<ResultRow> newRows) {
        if (state.get() != State.RUNNING && state.get() != State.CANCELLING) {
            return;     // the final list replaces the streamed rows
        }
        List<BatchRowItem> items = new ArrayList<>(newRows.size());
        newRows.forEach(r -> items.add(new BatchRowItem(r)));
        rows.addAll(items);
    }

    private void finish(Outcome outcome, Policy judgedWith) {
        BatchSummary s = outcome.summary();
        lastRunDir.set(s.outDir());
        List<ResultRow> ordered = s.results().stream().sorted(Comparator.comparingLong(ResultRow::row)).toList();
        if (!sameRows(ordered)) {
            // Rows taken over from an earlier run were not streamed; the table gets the full list once.
            rows.setAll(ordered.stream().map(BatchRowItem::new).toList());
        }
        metrics.set(outcome.metrics());
        sliceTable.set(outcome.slices());
        clauseBars.setAll(clauseBarsOf(outcome.metrics(), s.results(), judgedWith));
        progress.set(s.rows() > 0 ? (double) s.done() / s.rows() : 1);
        String rate = s.elapsed().toMillis() > 0 && s.judged() > 0
                ? String.format(java.util.Locale.ROOT, ", %.1f rows/s", s.judged() * 1000.0 / s.elapsed().toMillis()) : "";
        List<String> notes = new ArrayList<>();
        if (s.resumed() > 0) {
            notes.add(s.resumed() + " rows taken over from the earlier run");
        }
        if (!s.badRows().isEmpty()) {
            notes.add(s.badRows().size() + " unusable rows skipped (first: " + s.badRows().get(0).format() + ")");
        }
        String categories = unmatchedCategoriesNote(outcome.metrics());
        if (!categories.isEmpty()) {
            notes.add(categories);
        }
        notes.addAll(outcome.evidence());
        info.set(String.join("; ", notes));
        if (s.cancelled()) {
            progressText.set(s.done() + "/" + s.rows() + " rows — cancelled; Run continues from here (Resume is on)");
            state.set(State.CANCELLED);
        } else {
            progressText.set(s.done() + "/" + s.rows() + " rows in " + clock(s.elapsed()) + rate);
            state.set(State.DONE);
        }
    }

    /** True when the table already shows exactly these results in this order (the usual case: all streamed). */
    private boolean sameRows(List<ResultRow> ordered) {
        if (ordered.size() != rows.size()) {
            return false;
        }
        for (int i = 0; i < ordered.size(); i++) {
            if (rows.get(i).row() != ordered.get(i).row()) {
                return false;
            }
        }
        return true;
    }

    private static String clock(Duration d) {
        long sec = Math.max(0, d.toSeconds());
        return sec < 60 ? (d.toMillis() / 100) / 10.0 + " s" : String.format(java.util.Locale.ROOT, "%d:%02d", sec / 60, sec % 60);
    }

    static List<ClauseCount> clauseBarsOf(MetricsReport report, List<ResultRow> results, Policy policy) {
        List<ClauseCount> out = new ArrayList<>();
        if (report != null && !report.perClause().isEmpty()) {
            report.perClause().forEach((id, m) -> out.add(new ClauseCount(id, m.f1())));
            if (policy != null) {
                EvidenceReport.of(policy, results, report.categories(), false).unexercised()
                        .forEach(id -> out.add(new ClauseCount(id, 0, true)));
            }
            return inPolicyOrder(out, policy);
        }
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (ResultRow r : results) {
            for (String c : r.flagged()) {
                counts.merge(c, 1, Integer::sum);
            }
        }
        counts.forEach((id, n) -> out.add(new ClauseCount(id, n)));
        return inPolicyOrder(out, policy);
    }

    /** The bars in the order the policy lists its clauses (as the Outline does); ids it does not list go last. */
    static List<ClauseCount> inPolicyOrder(List<ClauseCount> bars, Policy policy) {
        if (policy == null) {
            return bars;
        }
        List<String> order = policy.clauses().stream().map(org.rsafe.policy.Clause::id).toList();
        List<ClauseCount> sorted = new ArrayList<>(bars);
        sorted.sort(Comparator.comparingInt(b -> {
            int i = order.indexOf(b.clauseId());
            return i < 0 ? Integer.MAX_VALUE : i;
        }));
        return sorted;
    }

    /** True when the chart shows per-clause F1 (gold categories present), false when it shows flag counts. */
    public boolean clauseBarsAreF1() {
        MetricsReport m = metrics.get();
        return m != null && !m.perClause().isEmpty();
    }

    // ---- rows -----------------------------------------------------------------------------------------

    /** Called by the composition root: how a row opened from the table reaches the test bench. */
    public void setOpenInBench(Consumer<LabelledRow> action) {
        this.openInBench = Objects.requireNonNull(action);
    }

    /** Reads the full text of a result's dataset row (the table only keeps an excerpt) and judges it in the test bench. */
    private org.rsafe.ui.editor.PolicyEditorViewModel.ExampleSink examples = (id, violating, text) -> false;

    /** Where "Add as example" sends a row's text (the policy editor). */
    public void setExampleSink(org.rsafe.ui.editor.PolicyEditorViewModel.ExampleSink sink) {
        examples = Objects.requireNonNull(sink);
    }

    /** The clauses of the current policy, for "Add as example of clause…". */
    public List<String> clauseIds() {
        Policy p = policy.get();
        return p == null ? List.of() : p.clauses().stream().map(org.rsafe.policy.Clause::id).toList();
    }

    /**
     * Teach from a mistake: reads the row's full text from the dataset (the table holds only an excerpt), off the UI
     * thread, and adds it (the response for a response-level row, else the prompt) as a violating or safe example of
     * {@code clauseId} in the policy editor. Run the batch again to see the rows flip: every unchanged text comes from
     * the embedding cache.
     */
    public void addAsExample(BatchRowItem item, String clauseId, boolean violating) {
        Path data = dataset.get();
        ColumnMapping m = mapping.get();
        if (data == null || m == null || item == null) {
            return;
        }
        readRow(data, m, item.row(), r -> examples.addExample(clauseId, violating,
                r.response() == null || r.response().isBlank() ? r.prompt() : r.response()));
    }

    public void openRow(BatchRowItem item) {
        Path data = dataset.get();
        ColumnMapping m = mapping.get();
        if (data == null || m == null || item == null) {
            return;
        }
        readRow(data, m, item.row(), r -> {
            openRowRequest.set(r);
            openInBench.accept(r);
        });
    }

    /** Reads dataset row {@code wanted} off the UI thread and hands it to {@code then} (on the UI thread). */
    private void readRow(Path data, ColumnMapping m, long wanted, Consumer<LabelledRow> then) {
        executor.execute(BackgroundTask.of("Read row", (p, cancel) -> {
            try (DatasetReader reader = DatasetReader.open(data, m, BadRowPolicy.SKIP)) {
                while (reader.hasNext()) {
                    cancel.check();
                    LabelledRow r = reader.next();
                    if (r.rowNumber() == wanted) {
                        return Optional.of(r);
                    }
                }
                return Optional.<LabelledRow>empty();
            }
        }).onSuccess(found -> found.ifPresentOrElse(then,
                () -> error.set("Row " + wanted + " is no longer in " + data.getFileName())))
                .onFailure(e -> error.set("Cannot read row " + wanted + ": " + PolicyEditorViewModel.describe(e))));
    }

    // ---- export ---------------------------------------------------------------------------------------

    /** Copies the run's results (one JSON line per row) to {@code target}, atomically. */
    public void exportResults(Path target) {
        Path dir = lastRunDir.get();
        if (dir == null) {
            return;
        }
        Path source = dir.resolve(BatchRunResults.FILE_NAME);
        executor.execute(BackgroundTask.of("Export results", (p, cancel) -> {
            byte[] bytes = Files.readAllBytes(source);
            AtomicFiles.write(target, out -> out.write(bytes));
            return target;
        }).onSuccess(t -> info.set("Results written to " + t))
                .onFailure(e -> error.set("Cannot export the results: " + PolicyEditorViewModel.describe(e))));
    }

    /**
     * Writes the run's report to {@code target}, atomically: the Markdown report the run wrote, or for a cancelled
     * run (which writes none) the metrics table of the rows done so far.
     */
    public void exportReport(Path target) {
        MetricsReport m = metrics.get();
        Path dir = lastRunDir.get();
        Path data = dataset.get();
        if (m == null || dir == null) {
            return;
        }
        Path written = BatchConfig.of(data == null ? target : data, dir).reportMarkdown();
        String fallback = "# RSafe Workbench batch report (partial: the run was cancelled)\n\n"
                + "dataset: " + (data == null ? "" : data) + "\n\n"
                + "columns: " + mappingText.get() + "\n\n```\n" + m.toTable() + "\n```\n";
        executor.execute(BackgroundTask.of("Export report", (p, cancel) -> {
            String text = Files.isRegularFile(written) ? Files.readString(written) : fallback;
            AtomicFiles.writeString(target, text);
            return target;
        }).onSuccess(t -> info.set("Report written to " + t))
                .onFailure(e -> error.set("Cannot export the report: " + PolicyEditorViewModel.describe(e))));
    }

    // ---- properties -----------------------------------------------------------------------------------

    /** Whether the shown results still belong to the policy, engine and dataset on screen. */
    public ResultFreshness freshness() {
        return freshness;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** The kind of engine runs use; the same property as the test bench's engine picker. */
    public ObjectProperty<EngineKind> engineKindProperty() {
        return engineChoice.engineKindProperty();
    }

    /** The engine a run will use, in one line. */
    public javafx.beans.binding.StringBinding engineSummaryBinding() {
        return engineChoice.summaryBinding();
    }

    public boolean isRunning() {
        return state.get() == State.RUNNING || state.get() == State.CANCELLING;
    }

    public ReadOnlyObjectProperty<Path> datasetProperty() {
        return dataset.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ColumnMapping> mappingProperty() {
        return mapping.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty mappingTextProperty() {
        return mappingText.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<MappingProposal> proposalProperty() {
        return proposal.getReadOnlyProperty();
    }

    public ObjectProperty<Path> outputDirProperty() {
        return outputDir;
    }

    /** The column whose values the finished run's metrics are split by ("" = none; "language" guesses it). */
    public StringProperty sliceByProperty() {
        return sliceBy;
    }

    /** The metrics per slice of the last finished run, as a table; "" when no slicing was asked for. */
    public ReadOnlyStringProperty sliceTableProperty() {
        return sliceTable.getReadOnlyProperty();
    }

    /** Sampled judgements per row (1 = judge once); see {@link SampledEngine}. */
    public IntegerProperty samplesProperty() {
        return samples;
    }

    public BooleanProperty resumeProperty() {
        return resume;
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty progressTextProperty() {
        return progressText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty infoProperty() {
        return info.getReadOnlyProperty();
    }

    /** Every result of the run, in row order once the run ends. */
    public ObservableList<BatchRowItem> rows() {
        return rowsReadOnly;
    }

    /** The results passing the filter and search. */
    public ObservableList<BatchRowItem> visibleRows() {
        return visibleRows;
    }

    public ObjectProperty<ResultFilter> filterProperty() {
        return filter;
    }

    public StringProperty searchProperty() {
        return search;
    }

    public ReadOnlyObjectProperty<MetricsReport> metricsProperty() {
        return metrics.getReadOnlyProperty();
    }

    public ObservableList<ClauseCount> clauseBars() {
        return clauseBarsReadOnly;
    }

    public ReadOnlyObjectProperty<LabelledRow> openRowRequestProperty() {
        return openRowRequest.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Path> lastRunDirProperty() {
        return lastRunDir.getReadOnlyProperty();
    }

    public BooleanBinding canRunBinding() {
        return canRun;
    }

    public javafx.beans.binding.StringBinding runBlockedReasonBinding() {
        return runBlockedReason;
    }

    /** Metrics of a set of results of {@code p}; rows without a gold label count in none. */
    static MetricsReport metricsOf(List<ResultRow> results, Policy p) {
        List<Prediction> predictions = Metrics.predictions(results);
        return predictions.isEmpty() ? null : Metrics.compute(predictions, BOOTSTRAP_SEED, p);
    }
}
