package org.rsafe.ui.bundle;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rsafe.app.BundleExport;
import org.rsafe.bundle.BundleRefusedException;
import org.rsafe.bundle.BundleValidation;
import org.rsafe.bundle.ExportGates;
import org.rsafe.bundle.SigningKeys;
import org.rsafe.engine.Engine;
import org.rsafe.ui.batch.BatchViewModel;
import org.rsafe.ui.bench.EngineDialogModel;
import org.rsafe.ui.bench.EngineSource;
import org.rsafe.ui.editor.PolicyEditorViewModel;
import org.rsafe.ui.task.BackgroundTask;
import org.rsafe.ui.task.Progress;
import org.rsafe.ui.task.TaskExecutor;
import org.rsafe.ui.task.TaskHandle;
import org.rsafe.util.UserException;
import org.rsafe.workspace.Workspace;

/**
 * State of the Export bundle dialog: the policy file, a labelled data file and the gates. "Validate" takes the
 * steps of {@link BundleExport}: the lint gate first (a policy with lint errors is refused before any engine work),
 * then an evaluation on the data with the engine chosen in the test bench, read as the Batch tab reads it (reusing a
 * stored run when there is one), listing every gate as met or not; "Export" writes the signed bundle only after a
 * validation that passed, for the same inputs.
 */
public final class ExportBundleViewModel extends EngineDialogModel<ExportBundleViewModel.State> {
    /** Where the dialog is: nothing checked yet, evaluating, checked (passed or not), exporting, or done. */
    public enum State { IDLE, VALIDATING, CHECKED, EXPORTING, EXPORTED }

    private static final String CANCELLED = "Validation cancelled.";

    private final String toolVersion;
    private final StringProperty minF1 = new SimpleStringProperty(this, "minF1", "");
    private final StringProperty maxFpr = new SimpleStringProperty(this, "maxFpr", "");
    private final StringProperty minRows = new SimpleStringProperty(this, "minRows", "");
    private final javafx.beans.property.ReadOnlyStringWrapper evidence =
            new javafx.beans.property.ReadOnlyStringWrapper(this, "evidence", "");
    private final ObservableList<GateCheck> checks = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper passed = new ReadOnlyBooleanWrapper(this, "passed");
    private final BooleanBinding canValidate;
    private final BooleanBinding canExport;
    private BundleExport.Checked validated;
    private TaskHandle linting = TaskHandle.DONE;
    private TaskHandle running = TaskHandle.DONE;

    /**
     * @param policyFile  the policy to bundle, as saved on disk
     * @param engine        the engine that evaluates the policy (the one chosen in the test bench)
     * @param engineSummary that engine in one line, for the dialog
     * @param toolVersion   recorded in the bundle's manifest
     */
    public ExportBundleViewModel(TaskExecutor executor, Path policyFile, EngineSource engine,
                                 ObservableStringValue engineSummary, String toolVersion) {
        super(executor, policyFile, engine, engineSummary, State.IDLE);
        this.toolVersion = toolVersion;
        this.canValidate = Bindings.createBooleanBinding(() -> dataFile.get() != null
                && state.get() != State.VALIDATING && state.get() != State.EXPORTING, dataFile, state);
        this.canExport = Bindings.createBooleanBinding(() -> passed.get() && state.get() == State.CHECKED,
                passed, state);
        // Any change of input makes the last validation stale: Export waits for a new one.
        onChange(() -> {
            if (state.get() == State.CHECKED || state.get() == State.EXPORTED) {
                passed.set(false);
                validated = null;
                checks.clear();
                evidence.set("");
                state.set(State.IDLE);
            }
        }, dataFile, minF1, maxFpr, minRows);
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
            gates = new ExportGates(number("Min F1", minF1.get()), number("Max FPR", maxFpr.get()),
                    rows(minRows.get()));
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
        evidence.set("");
        passed.set(false);
        validated = null;
        state.set(State.VALIDATING);
        message.set("Evaluating " + policyFile.getFileName() + " on " + data.getFileName() + " with "
                + engineSummary.get() + "…");
        progress.set(-1);
        // The lint gate comes before the engine: a policy with errors is refused without opening a model or judging.
        BackgroundTask<BundleExport.Lint> lint = BackgroundTask.of("Lint policy",
                (report, cancel) -> BundleExport.lint(policyFile)).onSuccess(l -> {
            if (l.passed()) {
                running = startWithEngine(e -> evaluateWith(e, data, gates), CANCELLED);
            } else {
                show(new BundleExport.Checked(null, null, l.validation()));
            }
        });
        linting = executor.execute(stopsIdle(lint));
    }

    /** A validation step that fails or is cancelled leaves the dialog idle, saying so. */
    private <T> BackgroundTask<T> stopsIdle(BackgroundTask<T> step) {
        return step.onFailure(e -> idle("Cannot validate: " + PolicyEditorViewModel.describe(e)))
                .onCancelled(() -> idle(CANCELLED));
    }

    private TaskHandle evaluateWith(Engine judge, Path data, ExportGates gates) {
        BackgroundTask<BundleExport.Checked> task = BackgroundTask.of("Validate bundle", (report, cancel) -> {
            // The Batch tab's way of reading the dataset, so a run stored by one is reused by the other.
            BundleExport.Request request = new BundleExport.Request(policyFile, BatchViewModel.dataSettings(data), null,
                    Workspace.locate(policyFile, null), gates, toolVersion);
            return BundleExport.check(judge, request,
                    p -> report.accept(new Progress(p.done(), Math.max(0, p.total()), "")), cancel);
        }).onSuccess(this::show).onProgress(p -> progress.set(p.fraction()));
        return executor.execute(stopsIdle(task));
    }

    private void show(BundleExport.Checked checked) {
        validated = checked;
        checks.setAll(checklist(checked.validation()));
        evidence.set(BundleExport.evidence(checked).map(e -> "Evidence: " + e.describe()
                + (e.weak() ? ". The F1 interval is wide: more labelled rows would make the gates mean more." : ""))
                .orElse(""));
        passed.set(checked.exportable());
        state.set(State.CHECKED);
        message.set(passed.get() ? "Every gate passed: the bundle can be exported."
                : "Not exportable: fix what failed and validate again.");
    }

    /** Writes the signed bundle to {@code out}; only after a validation that passed for the current inputs. */
    public void export(Path out) {
        BundleExport.Checked v = validated;
        if (v == null || !passed.get()) {
            message.set("Validate first: only a policy that passes every gate can be exported.");
            return;
        }
        state.set(State.EXPORTING);
        running = executor.execute(BackgroundTask.of("Export bundle",
                (report, cancel) -> BundleExport.export(v, SigningKeys.configDir(), out, Instant.now())
        ).onSuccess(r -> {
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
        linting.cancel();
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

    private static Integer rows(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return null;
        }
        try {
            int n = Integer.parseInt(t);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UserException("Min rows must be a whole number, 0 or more (like 30), not '" + t + "'");
        }
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

    // ---- accessors ------------------------------------------------------------------------------------

    public StringProperty minF1Property() {
        return minF1;
    }

    public StringProperty maxFprProperty() {
        return maxFpr;
    }

    /** The fewest labelled rows behind the metric gates; empty for {@link ExportGates#DEFAULT_MIN_ROWS}. */
    public StringProperty minRowsProperty() {
        return minRows;
    }

    /** The numbers the last validation's gates were judged on, in one line; empty before one finished. */
    public javafx.beans.property.ReadOnlyStringProperty evidenceProperty() {
        return evidence.getReadOnlyProperty();
    }

    /** The checklist of the last validation: each gate and requirement, met or not. */
    public ObservableList<GateCheck> checks() {
        return checks;
    }

    /** True when the last validation, for the current inputs, passed everything. */
    public ReadOnlyBooleanProperty passedProperty() {
        return passed.getReadOnlyProperty();
    }

    public BooleanBinding canValidateBinding() {
        return canValidate;
    }

    public BooleanBinding canExportBinding() {
        return canExport;
    }
}
