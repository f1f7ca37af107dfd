package org.rsafe.ui.bundle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rsafe.bundle.BundleExporter;
import org.rsafe.bundle.BundleRefusedException;
import org.rsafe.bundle.BundleRequest;
import org.rsafe.bundle.BundleValidation;
import org.rsafe.bundle.ExportGates;
import org.rsafe.bundle.PolicyRevision;
import org.rsafe.bundle.SigningKeys;
import org.rsafe.engine.Engine;
import org.rsafe.eval.BatchConfig;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.ui.bench.EngineSource;
import org.rsafe.ui.editor.PolicyEditorViewModel;
import org.rsafe.ui.task.BackgroundTask;
import org.rsafe.ui.task.Progress;
import org.rsafe.ui.task.TaskExecutor;
import org.rsafe.ui.task.TaskHandle;
import org.rsafe.util.UserException;
import org.rsafe.workspace.PolicyVersion;
import org.rsafe.workspace.RunStore;
import org.rsafe.workspace.StoredRun;
import org.rsafe.workspace.Workspace;

/**
 * State of the Export bundle dialog: the policy file, a labelled data file and the gates; "Validate" evaluates the
 * policy on the data with the engine chosen in the test bench (reusing a stored run of that engine when there is
 * one) and lists every gate as met or
 * not; "Export" writes the signed bundle only after a validation that passed, for the same inputs.
 */
public final class ExportBundleViewModel {
    /** Where the dialog is: nothing checked yet, evaluating, checked (passed or not), exporting, or done. */
    public enum State { IDLE, VALIDATING, CHECKED, EXPORTING, EXPORTED }

    private final TaskExecutor executor;
    private final Path policyFile;
    private final EngineSource engine;
    private final ReadOnlyStringWrapper engineSummary = new ReadOnlyStringWrapper(this, "engineSummary", "");
    private final String toolVersion;
    private final ObjectProperty<Path> dataFile = new SimpleObjectProperty<>(this, "dataFile");
    private final StringProperty minF1 = new SimpleStringProperty(this, "minF1", "");
    private final StringProperty maxFpr = new SimpleStringProperty(this, "maxFpr", "");
    private final ObservableList<GateCheck> checks = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.IDLE);
    private final ReadOnlyBooleanWrapper passed = new ReadOnlyBooleanWrapper(this, "passed");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final BooleanBinding canValidate;
    private final BooleanBinding canExport;
    private Validated validated;
    private TaskHandle running = TaskHandle.DONE;

    /**
     * @param policyFile  the policy to bundle, as saved on disk
     * @param engine        the engine that evaluates the policy (the one chosen in the test bench)
     * @param engineSummary that engine in one line, for the dialog
     * @param toolVersion   recorded in the bundle's manifest
     */
    public ExportBundleViewModel(TaskExecutor executor, Path policyFile, EngineSource engine,
                                 ObservableStringValue engineSummary, String toolVersion) {
        this.executor = Objects.requireNonNull(executor);
        this.policyFile = Objects.requireNonNull(policyFile);
        this.engine = Objects.requireNonNull(engine);
        this.engineSummary.bind(engineSummary);
        this.toolVersion = toolVersion;
        this.canValidate = Bindings.createBooleanBinding(() -> dataFile.get() != null
                && state.get() != State.VALIDATING && state.get() != State.EXPORTING, dataFile, state);
        this.canExport = Bindings.createBooleanBinding(() -> passed.get() && state.get() == State.CHECKED,
                passed, state);
        // Any change of input makes the last validation stale: Export waits for a new one.
        Runnable stale = () -> {
            if (state.get() == State.CHECKED || state.get() == State.EXPORTED) {
                passed.set(false);
                validated = null;
                checks.clear();
                state.set(State.IDLE);
            }
        };
        dataFile.addListener((obs, old, v) -> stale.run());
        minF1.addListener((obs, old, v) -> stale.run());
        maxFpr.addListener((obs, old, v) -> stale.run());
    }

    /** Evaluates the policy on the data file and checks every gate; user mistakes end up in {@link #messageProperty}. */
    public void validate() {
        Path data = dataFile.get();
        if (data == null) {
            message.set("Choose a labelled data file to evaluate the policy on.");
            return;
        }
        ExportGates gates;
        try {
            gates = new ExportGates(number("Min F1", minF1.get()), number("Max FPR", maxFpr.get()));
        } catch (UserException e) {
            message.set(e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            message.set("Min F1 and Max FPR take numbers from 0 to 1: " + e.getMessage());
            return;
        }
        if (state.get() == State.VALIDATING || state.get() == State.EXPORTING) {
            return;
        }
        checks.clear();
        passed.set(false);
        validated = null;
        state.set(State.VALIDATING);
        message.set("Evaluating " + policyFile.getFileName() + " on " + data.getFileName() + " with "
                + engineSummary.get() + "…");
        progress.set(-1);
        running = engine.start(e -> evaluateWith(e, data, gates),
                () -> {
                    state.set(State.IDLE);
                    message.set("Validation cancelled.");
                },
                reason -> {
                    state.set(State.IDLE);
                    progress.set(0);
                    message.set(reason);
                });
    }

    private TaskHandle evaluateWith(Engine judge, Path data, ExportGates gates) {
        BackgroundTask<Validated> task = BackgroundTask.of("Validate bundle", (report, cancel) -> {
            if (!Files.isRegularFile(data)) {
                throw new UserException(data + ": no such data file");
            }
            BundleExporter exporter = new BundleExporter();
            // Lint first: a policy with errors is refused however well it scores, and needs no evaluation.
            var loaded = PolicyLoader.load(policyFile);
            Policy policy = loaded.policy();
            if (policy == null || loaded.diagnostics().stream().anyMatch(org.rsafe.util.Diagnostic::isError)) {
                List<String> errors = loaded.diagnostics().stream().filter(org.rsafe.util.Diagnostic::isError)
                        .map(org.rsafe.util.Diagnostic::format).toList();
                return new Validated(null, new BundleValidation(loaded.diagnostics().stream()
                        .filter(org.rsafe.util.Diagnostic::isError).toList(),
                        errors.isEmpty() ? List.of(policyFile + " is not a readable policy") : List.of(), List.of()));
            }
            RunStore store = RunStore.of(Workspace.locate(policyFile, null));
            StoredRun run = store.run(judge, policy, BatchConfig.of(data, store.dir()),
                    p -> report.accept(new Progress(p.done(), p.total(), "")), cancel);
            BundleRequest request = new BundleRequest(policyFile, run.dir(), gates, revision(policyFile), toolVersion);
            return new Validated(request, exporter.validate(request));
        }).onSuccess(v -> {
            validated = v;
            checks.setAll(checklist(v.validation()));
            passed.set(v.request() != null && v.validation().ok());
            state.set(State.CHECKED);
            message.set(passed.get() ? "Every gate passed: the bundle can be exported."
                    : "Not exportable: fix what failed and validate again.");
        }).onFailure(e -> {
            state.set(State.IDLE);
            message.set("Cannot validate: " + PolicyEditorViewModel.describe(e));
        }).onCancelled(() -> {
            state.set(State.IDLE);
            message.set("Validation cancelled.");
        }).onProgress(p -> progress.set(p.fraction()));
        return executor.execute(task);
    }

    /** Writes the signed bundle to {@code out}; only after a validation that passed for the current inputs. */
    public void export(Path out) {
        Validated v = validated;
        if (v == null || !passed.get()) {
            message.set("Validate first: only a policy that passes every gate can be exported.");
            return;
        }
        state.set(State.EXPORTING);
        running = executor.execute(BackgroundTask.of("Export bundle", (report, cancel) -> {
            SigningKeys.SigningKey key = SigningKeys.loadOrCreate(SigningKeys.configDir());
            return new BundleExporter().export(v.request(), key, out, Instant.now());
        }).onSuccess(r -> {
            state.set(State.EXPORTED);
            message.set("Wrote " + r.file() + ", signed with key " + r.manifest().signer().fingerprint());
        }).onFailure(e -> {
            state.set(State.CHECKED);
            if (e instanceof BundleRefusedException refused) {
                checks.setAll(checklist(refused.validation()));
                passed.set(false);
                message.set("Not exported: " + String.join("; ", refused.validation().reasons()));
            } else {
                message.set("Cannot export: " + PolicyEditorViewModel.describe(e));
            }
        }));
    }

    /** Stops a running validation (rows judged so far stay stored for the next one). */
    public void cancel() {
        running.cancel();
    }

    /** Gate lines as met / not met, then every other reason to refuse as failed. */
    static List<GateCheck> checklist(BundleValidation v) {
        List<GateCheck> out = new ArrayList<>();
        for (String line : v.gateLines()) {
            boolean met = line.endsWith(" (met)");
            out.add(new GateCheck(line.replaceFirst(" \\((met|NOT met)\\)$", ""), met));
        }
        v.lintErrors().forEach(d -> out.add(new GateCheck("Lint: " + d.format(), false)));
        v.problems().stream().filter(p -> !p.startsWith("gate not met: "))
                .forEach(p -> out.add(new GateCheck(p, false)));
        if (v.lintErrors().isEmpty()) {
            out.add(0, new GateCheck("Policy has no lint errors", true));
        }
        return out;
    }

    private static Double number(String field, String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return null;
        }
        try {
            double d = Double.parseDouble(t);
            if (!(d >= 0 && d <= 1)) {
                throw new UserException(field + " must be a number from 0 to 1, not " + t);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UserException(field + " must be a number from 0 to 1 (like 0.8), not '" + t + "'");
        }
    }

    private static PolicyRevision revision(Path policyFile) {
        try (Workspace ws = Workspace.findExisting(policyFile).orElse(null)) {
            if (ws == null) {
                return null;
            }
            PolicyVersion latest = ws.latest(policyFile).orElse(null);
            return latest == null ? null
                    : new PolicyRevision(latest.commitId(), latest.label(), ws.hasUnsavedChanges(policyFile));
        } catch (UserException e) {
            return null;
        }
    }

    private record Validated(BundleRequest request, BundleValidation validation) { }

    // ---- accessors ------------------------------------------------------------------------------------

    public Path policyFile() {
        return policyFile;
    }

    /** The engine that evaluates the policy, in one line. */
    public ReadOnlyStringProperty engineSummaryProperty() {
        return engineSummary.getReadOnlyProperty();
    }

    public ObjectProperty<Path> dataFileProperty() {
        return dataFile;
    }

    public StringProperty minF1Property() {
        return minF1;
    }

    public StringProperty maxFprProperty() {
        return maxFpr;
    }

    /** The checklist of the last validation: each gate and requirement, met or not. */
    public ObservableList<GateCheck> checks() {
        return checks;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** True when the last validation, for the current inputs, passed everything. */
    public ReadOnlyBooleanProperty passedProperty() {
        return passed.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Evaluation progress 0..1, or -1 while the total is unknown. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public BooleanBinding canValidateBinding() {
        return canValidate;
    }

    public BooleanBinding canExportBinding() {
        return canExport;
    }
}
