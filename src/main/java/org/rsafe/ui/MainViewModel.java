package org.rsafe.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rsafe.app.EngineKind;
import org.rsafe.app.ExampleLint;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.policy.PolicyLoadResult;
import org.rsafe.util.Diagnostic;
import org.rsafe.eval.BadRowPolicy;
import org.rsafe.eval.DatasetReader;
import org.rsafe.eval.LabelledRow;
import org.rsafe.ui.batch.BatchViewModel;
import org.rsafe.ui.bench.EngineChoice;
import org.rsafe.ui.bench.EngineService;
import org.rsafe.ui.bundle.ExportBundleViewModel;
import org.rsafe.ui.bench.TestBenchViewModel;
import org.rsafe.ui.editor.FindViewModel;
import org.rsafe.ui.editor.LineRange;
import org.rsafe.ui.editor.PolicyCheck;
import org.rsafe.ui.editor.PolicyEditorViewModel;
import org.rsafe.ui.result.ResultViewModel;
import org.rsafe.ui.task.BackgroundTask;
import org.rsafe.ui.task.TaskExecutor;
import org.rsafe.ui.task.TaskHandle;
import org.rsafe.ui.versions.CompareSide;
import org.rsafe.ui.versions.CompareViewModel;
import org.rsafe.ui.versions.VersionsViewModel;
import org.rsafe.ui.workspace.RecentFiles;
import org.rsafe.ui.workspace.RecoveryStore;
import org.rsafe.ui.workspace.WorkbenchHome;

/**
 * The workbench as a whole: creates the view models of each pane and connects them (trace selection to
 * editor highlight, outline selection to trace focus, batch rows to the test bench), and owns the session
 * services: engines, recent files, and the recovery copy of unsaved edits.
 */
public final class MainViewModel {
    /** How often unsaved edits are copied to the recovery file. */
    public static final Duration AUTOSAVE_INTERVAL = Duration.ofSeconds(3);

    private final TaskExecutor executor;
    private final WorkbenchHome home;
    private final RecentFiles recentStore;
    private final RecoveryStore recovery;
    private final EngineService engines;
    private final EngineChoice engineChoice;
    private final PolicyEditorViewModel editor;
    private final FindViewModel find = new FindViewModel();
    private final TestBenchViewModel bench;
    private final ResultViewModel result = new ResultViewModel();
    private final BatchViewModel batch;
    private final StatusViewModel status;
    private final VersionsViewModel versions;
    private final CompareViewModel compare;
    private final org.rsafe.ui.training.TrainingViewModel training;
    private final ReadOnlyObjectWrapper<Long> compareShown = new ReadOnlyObjectWrapper<>(this, "compareShown", 0L);
    private final ObservableList<Path> recentFiles = FXCollections.observableArrayList();
    // One read-only view, kept: listeners on a view that is re-created per call would be lost to GC.
    private final ObservableList<Path> recentFilesReadOnly = FXCollections.unmodifiableObservableList(recentFiles);
    private final ReadOnlyObjectWrapper<RecoveryStore.Recovery> pendingRecovery = new ReadOnlyObjectWrapper<>(this, "pendingRecovery");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice", "");
    private final TaskHandle autosaveTimer;
    private String lastAutosaved;
    private StartupFiles startup = new StartupFiles(null, null);
    private boolean judgeSampleOnStart;

    public MainViewModel(TaskExecutor executor, WorkbenchHome home, Supplier<Engine> quickEngineFactory) {
        this.executor = Objects.requireNonNull(executor);
        this.home = Objects.requireNonNull(home);
        this.recentStore = new RecentFiles(home.recentFiles());
        this.recovery = new RecoveryStore(home.recoveryFile());
        this.engines = new EngineService(executor, quickEngineFactory);
        // One choice for the whole session: what the test bench picks also judges batches, comparisons and bundles.
        this.engineChoice = new EngineChoice(engines);
        this.editor = new PolicyEditorViewModel(executor, this::checkPolicy);
        this.bench = new TestBenchViewModel(executor, engineChoice, editor.policyProperty(), editor.policyUsableProperty());
        this.batch = new BatchViewModel(executor, engineChoice, editor.policyProperty(), editor.policyUsableProperty(), home);
        this.status = new StatusViewModel(executor, engineChoice);
        this.versions = new VersionsViewModel(executor, editor.fileProperty(), editor::isDirty,
                file -> editor.open(file, () -> { }));
        this.compare = new CompareViewModel(executor);
        this.training = new org.rsafe.ui.training.TrainingViewModel(executor, home);
        wire();
        recentFiles.setAll(recentStore.load());
        autosaveTimer = executor.every(AUTOSAVE_INTERVAL, this::autosave);
    }

    /**
     * The editor's check: load and lint, then, once the quick engine is loaded and the policy has no errors, lint's
     * leave-one-out check of the examples ({@link ExampleLint}), whose findings join the Problems pane and mark the
     * outline. Runs off the JavaFX thread (the editor's background check).
     */
    private PolicyLoadResult checkPolicy(String name, String text) {
        PolicyLoadResult r = PolicyCheck.check(name, text);
        if (!r.ok() || r.policy() == null) {
            return r;
        }
        Optional<Engine> quick = engines.engine(EngineKind.QUICK);
        if (quick.isEmpty()) {
            return r;
        }
        List<Diagnostic> all = new ArrayList<>(r.diagnostics());
        all.addAll(ExampleLint.findings(ExampleLint.check(r.policy(), name, quick.get(), Cancellation.none()), name));
        all.sort(Comparator.comparingInt((Diagnostic d) -> d.pos().line()).thenComparingInt(d -> d.pos().column()));
        return new PolicyLoadResult(r.policy(), all);
    }

    private void wire() {
        bench.setExampleSink(editor::addExample);
        batch.setExampleSink(editor::addExample);
        // The examples check needs the quick engine: check again once it has loaded.
        engines.quickStatusProperty().addListener((obs, old, now) -> {
            if (now == EngineService.Status.READY && editor.policyProperty().get() != null) {
                editor.checkNow();
            }
        });
        compare.followVersions(versions);
        compare.useRuns(engineChoice, engineChoice.summaryBinding(), batch.datasetProperty());
        compare.followOpenFile(editor.fileProperty(), editor.savedTextProperty());
        versions.setOnCompare(saved -> {
            compare.compare(saved, CompareSide.current(saved.file()));
            compareShown.set(compareShown.get() + 1);
        });
        bench.resultProperty().addListener((obs, old, r) -> {
            if (r != null) {
                result.show(r);
            }
        });
        result.citedBySelectedProperty().addListener((obs, old, ids) -> {
            editor.highlightedClausesProperty().set(ids);
            ids.stream().findFirst().ifPresent(id -> {
                LineRange r = editor.clauseLinesProperty().get().get(id);
                if (r != null) {
                    editor.jumpTo(r.first());
                }
            });
        });
        editor.selectedClauseProperty().addListener((obs, old, id) -> result.focusedClauseProperty().set(id));
        batch.setOpenInBench(row -> bench.judge(row.prompt(), row.response()));
        editor.messageProperty().addListener((obs, old, m) -> {
            if (!m.isEmpty()) {
                notice.set(m);
            }
        });
    }

    /**
     * Whether {@link #start} judges the sample prompt as soon as the engine and policy are ready, so a newcomer
     * sees a verdict and a trace without doing anything. The application turns it on; tests leave it off.
     */
    public void setJudgeSampleOnStart(boolean judge) {
        this.judgeSampleOnStart = judge;
    }

    /** First steps after the window shows: start the engine, then either offer recovery or open the start files. */
    public void start(StartupFiles files) {
        this.startup = files;
        if (judgeSampleOnStart) {
            judgeOnceReady();
        }
        engines.loadQuick();
        Optional<RecoveryStore.Recovery> found = recovery.load();
        if (found.isPresent()) {
            pendingRecovery.set(found.get());
        } else {
            openStartPolicy();
        }
        if (files.dataset() != null) {
            loadSamplePrompt(files.dataset());
            batch.openDataset(files.dataset(), null);
        }
    }

    /** Restores the recovered edits into the editor (still unsaved). */
    public void restoreRecovery() {
        RecoveryStore.Recovery r = pendingRecovery.get();
        pendingRecovery.set(null);
        if (r != null) {
            editor.showRecovered(r.originalFile(), r.text());
            lastAutosaved = r.text();
            notice.set("Restored unsaved edits from " + r.savedAt());
        }
    }

    /** Drops the recovered edits and opens the start policy as usual. */
    public void discardRecovery() {
        pendingRecovery.set(null);
        clearRecovery();
        openStartPolicy();
    }

    private void judgeOnceReady() {
        javafx.beans.value.ChangeListener<Boolean> once = new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends Boolean> obs, Boolean old, Boolean ready) {
                if (ready) {
                    bench.canRunBinding().removeListener(this);
                    if (bench.resultProperty().get() == null) {
                        bench.run();
                    }
                }
            }
        };
        bench.canRunBinding().addListener(once);
    }

    private void openStartPolicy() {
        Path p = startup.policy();
        if (p != null) {
            editor.open(p, () -> { });
        } else {
            notice.set("No start policy found: open one with File ▸ Open.");
        }
    }

    private void loadSamplePrompt(Path dataset) {
        executor.execute(BackgroundTask.of("Read sample prompt", (progress, cancel) -> {
            try (DatasetReader reader = DatasetReader.open(dataset, (org.rsafe.eval.ColumnMapping) null, BadRowPolicy.SKIP)) {
                return reader.hasNext() ? Optional.of(reader.next()) : Optional.<LabelledRow>empty();
            }
        }).onSuccess(row -> row.ifPresent(r -> {
            if (bench.promptProperty().get().isBlank()) {
                bench.promptProperty().set(r.prompt());
                bench.responseProperty().set(r.response() == null ? "" : r.response());
            }
        })).onFailure(e -> notice.set("Cannot read the sample prompts: " + PolicyEditorViewModel.describe(e))));
    }

    // ---- files --------------------------------------------------------------------------------------

    public void newPolicy(String template) {
        editor.showLoaded(null, "");
        editor.textProperty().set(template);
    }

    public void openPolicy(Path file) {
        editor.open(file, () -> rememberRecent(file));
    }

    /** Saves to the current file; returns false when the policy has no file yet (the view then asks for one). */
    public boolean save(Runnable onSaved) {
        Path f = editor.getFile();
        if (f == null) {
            return false;
        }
        saveAs(f, onSaved);
        return true;
    }

    public void saveAs(Path target, Runnable onSaved) {
        editor.saveTo(target, () -> {
            clearRecovery();
            rememberRecent(target);
            notice.set("Saved " + target.getFileName());
            onSaved.run();
        });
    }

    private void rememberRecent(Path file) {
        executor.execute(BackgroundTask.of("Remember recent file", (progress, cancel) -> recentStore.add(file))
                .onSuccess(recentFiles::setAll)
                .onFailure(e -> { /* a recent-files list that cannot be written is not worth an error dialog */ }));
    }

    /**
     * Why the open policy cannot be bundled now (no file yet, unsaved edits), or empty when the Export bundle
     * dialog may open.
     */
    public String exportBundleBlocker() {
        if (editor.getFile() == null) {
            return "Save the policy to a file first: a bundle carries the file byte for byte.";
        }
        if (editor.isDirty()) {
            return "Save your edits first (File ▸ Save): the bundle carries the file as it is on disk.";
        }
        return "";
    }

    /** The state of a new Export bundle dialog for the open policy file, its data file preset to the batch dataset. */
    public ExportBundleViewModel newExportBundle() {
        Path f = Objects.requireNonNull(editor.getFile(), "no policy file: check exportBundleBlocker() first");
        String version = WorkbenchApp.class.getPackage().getImplementationVersion();
        ExportBundleViewModel dialog = new ExportBundleViewModel(executor, f, engineChoice, engineChoice.summaryBinding(),
                version == null ? "dev" : version);
        dialog.dataFileProperty().set(batch.datasetProperty().get());
        return dialog;
    }

    /** Why no bundle can be imported now (no policy file, so no workspace to import into), or empty. */
    public String importBundleBlocker() {
        return editor.getFile() == null
                ? "Open or save a policy file first: a bundle is imported into the workspace that holds it." : "";
    }

    /** The state of a new Import bundle dialog, importing into the open policy file's workspace. */
    public org.rsafe.ui.bundle.ImportBundleViewModel newImportBundle() {
        return new org.rsafe.ui.bundle.ImportBundleViewModel(executor,
                Objects.requireNonNull(editor.getFile(), "no policy file: check importBundleBlocker() first"));
    }

    /**
     * Why the open policy cannot be calibrated now (no file yet, unsaved edits), or empty when the Calibrate
     * thresholds dialog may open: the thresholds are written into the file as it is on disk.
     */
    public String calibrationBlocker() {
        if (editor.getFile() == null) {
            return "Save the policy to a file first: calibration writes the thresholds into the file.";
        }
        if (editor.isDirty()) {
            return "Save your edits first (File ▸ Save): calibration writes the thresholds into the file on disk.";
        }
        if (batch.datasetProperty().get() == null || batch.mappingProperty().get() == null) {
            return "Open a labelled dataset for the Batch tab first (Run ▸ Open dataset for batch…): calibration fits "
                    + "on its rows, with the columns chosen there.";
        }
        return "";
    }

    /**
     * The state of a new Calibrate thresholds dialog for the open policy file on the batch dataset, with the columns
     * confirmed there; written thresholds are read back into the editor.
     */
    public org.rsafe.ui.calibrate.CalibrateViewModel newCalibration() {
        Path f = Objects.requireNonNull(editor.getFile(), "no policy file: check calibrationBlocker() first");
        org.rsafe.ui.calibrate.CalibrateViewModel dialog = new org.rsafe.ui.calibrate.CalibrateViewModel(executor, f,
                engineChoice, engineChoice.summaryBinding(), () -> engineChoice.spec().threshold(), written -> {
                    if (written.equals(editor.getFile()) && !editor.isDirty()) {
                        editor.open(written, () -> notice.set("Calibrated thresholds written to " + written.getFileName()));
                    }
                });
        Path data = Objects.requireNonNull(batch.datasetProperty().get(), "no dataset: check calibrationBlocker() first");
        dialog.useData(data, batch.mappingProperty().get());
        return dialog;
    }

    // ---- autosave and shutdown ------------------------------------------------------------------------

    /** Copies unsaved edits to the recovery file when they changed since the last copy. */
    public void autosave() {
        if (!editor.isDirty()) {
            return;
        }
        String text = editor.getText();
        if (text.equals(lastAutosaved)) {
            return;
        }
        Path original = editor.getFile();
        lastAutosaved = text;
        executor.execute(BackgroundTask.of("Autosave", (progress, cancel) -> {
            recovery.save(original, text);
            return text;
        }).onFailure(e -> notice.set("Autosave failed: " + PolicyEditorViewModel.describe(e))));
    }

    private void clearRecovery() {
        lastAutosaved = null;
        try {
            recovery.clear();
        } catch (IOException e) {
            notice.set("Cannot remove the recovery file " + recovery.file() + ": " + e.getMessage());
        }
    }

    /** The user chose to close without saving: the recovery copy goes too, or the next start would offer it. */
    public void discardEditsOnClose() {
        clearRecovery();
    }

    public void shutdown() {
        autosaveTimer.cancel();
        status.stop();
        training.stop();
        batch.cancel();
        bench.cancel();
        engines.close();
    }

    // ---- accessors ------------------------------------------------------------------------------------

    public PolicyEditorViewModel editor() {
        return editor;
    }

    public FindViewModel find() {
        return find;
    }

    public TestBenchViewModel bench() {
        return bench;
    }

    public ResultViewModel result() {
        return result;
    }

    public BatchViewModel batch() {
        return batch;
    }

    public StatusViewModel status() {
        return status;
    }

    public VersionsViewModel versions() {
        return versions;
    }

    public CompareViewModel compare() {
        return compare;
    }

    public org.rsafe.ui.training.TrainingViewModel training() {
        return training;
    }

    /** Changes each time something asks for the Compare tab to be shown ("Compare with current"). */
    public ReadOnlyObjectProperty<Long> compareShownProperty() {
        return compareShown.getReadOnlyProperty();
    }

    public EngineService engines() {
        return engines;
    }

    /** The engine chosen in the test bench, used by every tab that judges. */
    public EngineChoice engineChoice() {
        return engineChoice;
    }

    public WorkbenchHome home() {
        return home;
    }

    public ObservableList<Path> recentFiles() {
        return recentFilesReadOnly;
    }

    public ReadOnlyObjectProperty<RecoveryStore.Recovery> pendingRecoveryProperty() {
        return pendingRecovery.getReadOnlyProperty();
    }

    /** The latest message for the status bar (saved, restored, a file problem). */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }
}
