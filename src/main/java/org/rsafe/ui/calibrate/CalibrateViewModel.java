package org.rsafe.ui.calibrate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;
import org.rsafe.app.Calibration;
import org.rsafe.app.DataSettings;
import org.rsafe.app.Evaluation;
import org.rsafe.engine.Engine;
import org.rsafe.eval.BatchListener;
import org.rsafe.eval.CalibrationConfig;
import org.rsafe.eval.CalibrationTarget;
import org.rsafe.eval.ColumnMapping;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.ui.batch.BatchViewModel;
import org.rsafe.ui.bench.EngineDialogModel;
import org.rsafe.ui.bench.EngineSource;
import org.rsafe.ui.editor.PolicyEditorViewModel;
import org.rsafe.ui.task.BackgroundTask;
import org.rsafe.ui.task.Progress;
import org.rsafe.ui.task.TaskExecutor;
import org.rsafe.ui.task.TaskHandle;
import org.rsafe.util.UserException;

/**
 * State of the Calibrate thresholds dialog: the saved policy file, a labelled data file and the calibration settings;
 * "Calibrate" runs {@link Calibration} with the engine chosen in the test bench and writes the thresholds into the
 * file, except when they do worse on the held-out rows than the current ones: then the dialog says so and waits for
 * the user to write them anyway or leave the file alone, as {@code rsafe calibrate} refuses them without
 * {@code --force}.
 */
public final class CalibrateViewModel extends EngineDialogModel<CalibrateViewModel.State> {
    /** How many points of the precision/recall curve the report shows, as the CLI prints. */
    static final int CURVE_ROWS = 15;
    private static final String CANCELLED = "Calibration cancelled; the policy file is unchanged.";

    /**
     * Where the dialog is: nothing run yet, calibrating, thresholds written, nothing to change, or refused because
     * they do worse on the held-out rows (waiting for "Write anyway").
     */
    public enum State { IDLE, CALIBRATING, WRITTEN, UNCHANGED, REFUSED, WRITING }

    private final DoubleSupplier defaultThreshold;
    private final Consumer<Path> onWritten;
    private final StringProperty target = new SimpleStringProperty(this, "target", Calibration.DEFAULT_TARGET);
    private final StringProperty holdout = new SimpleStringProperty(this, "holdout",
            Double.toString(Calibration.DEFAULT_HOLDOUT));
    private final StringProperty rounds = new SimpleStringProperty(this, "rounds",
            Integer.toString(Calibration.DEFAULT_ROUNDS));
    private final StringProperty seed = new SimpleStringProperty(this, "seed", Long.toString(Calibration.DEFAULT_SEED));
    private final ReadOnlyStringWrapper report = new ReadOnlyStringWrapper(this, "report", "");
    private final ReadOnlyStringWrapper refusal = new ReadOnlyStringWrapper(this, "refusal", "");
    private final ReadOnlyStringWrapper bandSummary = new ReadOnlyStringWrapper(this, "bandSummary", "");
    private final ReadOnlyObjectWrapper<Calibration.Result> result = new ReadOnlyObjectWrapper<>(this, "result");
    private final BooleanBinding canCalibrate;
    private final BooleanBinding canWriteAnyway;
    // The columns the batch tab confirmed for presetData; any other file has its columns detected.
    private ColumnMapping presetMapping;
    private Path presetData;
    private Calibration.Request refusedRequest;
    private TaskHandle running = TaskHandle.DONE;

    /**
     * @param policyFile       the policy to calibrate, as saved on disk; it receives the thresholds
     * @param engine           the engine that scores the rows (the one chosen in the test bench)
     * @param engineSummary    that engine in one line, for the dialog
     * @param defaultThreshold that engine's threshold for clauses that set none
     * @param onWritten        runs on the UI thread after thresholds were written, with the policy file
     */
    public CalibrateViewModel(TaskExecutor executor, Path policyFile, EngineSource engine,
                              ObservableStringValue engineSummary, DoubleSupplier defaultThreshold,
                              Consumer<Path> onWritten) {
        super(executor, policyFile, engine, engineSummary, State.IDLE);
        this.defaultThreshold = Objects.requireNonNull(defaultThreshold);
        this.onWritten = Objects.requireNonNull(onWritten);
        canCalibrate = Bindings.createBooleanBinding(() -> dataFile.get() != null
                && state.get() != State.CALIBRATING && state.get() != State.WRITING, dataFile, state);
        canWriteAnyway = state.isEqualTo(State.REFUSED);
        // A refusal belongs to the inputs that produced it: any change drops it, and "Write anyway" with it.
        onChange(() -> {
            if (state.get() == State.REFUSED) {
                refusedRequest = null;
                refusal.set("");
                idle("The settings changed: calibrate again.");
            }
        }, dataFile, target, holdout, rounds, seed);
    }

    /** Presets the data file with the columns the user already confirmed for it (the batch tab's dataset). */
    public void useData(Path file, ColumnMapping mapping) {
        presetData = file;
        presetMapping = mapping;
        dataFile.set(file);
    }

    /** The settings as the calibration takes them; mistakes are {@link UserException}s in the user's words. */
    public CalibrationConfig calibration() {
        CalibrationTarget t = CalibrationTarget.parse(text(target));
        double h = number("Hold-out share", holdout, Double::parseDouble);
        int r = number("Rounds", rounds, Integer::parseInt);
        long s = number("Seed", seed, Long::parseLong);
        return Calibration.config(t, h, s, r);
    }

    /**
     * Scores the data file with the test bench's engine, fits and measures the thresholds, and writes them unless
     * they do worse on the held-out rows; mistakes and failures end up in {@link #messageProperty()}.
     */
    public void calibrate() {
        Path data = dataFile.get();
        if (data == null) {
            message.set("Choose a labelled data file to calibrate on.");
            return;
        }
        if (state.get() == State.CALIBRATING || state.get() == State.WRITING) {
            return;
        }
        CalibrationConfig config;
        try {
            config = calibration();
        } catch (UserException e) {
            message.set(e.getMessage());
            return;
        }
        refusedRequest = null;
        refusal.set("");
        report.set("");
        bandSummary.set("");
        result.set(null);
        state.set(State.CALIBRATING);
        progress.set(-1);
        message.set("Scoring " + data.getFileName() + " with " + engineSummary.get() + "…");
        ColumnMapping mapping = data.equals(presetData) ? presetMapping : null;
        // The threshold is read once the engine is open: only then does the engine choice describe a usable engine.
        running = startWithEngine(e -> calibrateWith(e, data, mapping, config, defaultThreshold.getAsDouble()),
                CANCELLED);
    }

    private TaskHandle calibrateWith(Engine judge, Path data, ColumnMapping mapping, CalibrationConfig config,
                                     double threshold) {
        return executor.execute(BackgroundTask.<Outcome>of("Calibrate thresholds", (report, cancel) -> {
            if (!Files.isRegularFile(data)) {
                throw new UserException(data + ": no such data file");
            }
            // The file as it is on disk now: the thresholds are written into exactly this text.
            var policy = PolicyLoader.loadOrThrow(policyFile);
            DataSettings settings = BatchViewModel.dataSettings(data).withSeed(config.seed());
            ColumnMapping columns = mapping != null ? mapping : Evaluation.detect(settings).mapping();
            Calibration.Request request = new Calibration.Request(policy, policyFile, settings, columns, config,
                    threshold, null, false, true, false);
            BatchListener listener = p -> report.accept(new Progress(p.done(), p.total(), ""));
            return new Outcome(request, Calibration.run(judge, request, listener, cancel));
        }).onSuccess(this::show)
                .onFailure(e -> stopped("Cannot calibrate: " + PolicyEditorViewModel.describe(e)))
                .onCancelled(() -> stopped(CANCELLED))
                .onProgress(p -> progress.set(p.fraction())));
    }

    /** A finished calibration with the request that produced it (kept for "Write anyway"). */
    private record Outcome(Calibration.Request request, Calibration.Result result) { }

    private void show(Outcome o) {
        Calibration.Result r = o.result();
        progress.set(r.outcome() == Calibration.Outcome.CANCELLED ? 0 : 1);
        result.set(r);
        if (r.calibration() != null) {
            report.set(r.calibration().render(CURVE_ROWS));
            bandSummary.set(bandSummary(r.calibration()));
        }
        switch (r.outcome()) {
            case CANCELLED -> idle(CANCELLED);
            case DRY_RUN, UNCHANGED -> {
                state.set(State.UNCHANGED);
                message.set(policyFile.getFileName() + " already holds these "
                        + (r.reviewBand() == null && r.calibration() != null && r.calibration().tunedBand()
                        ? "thresholds and band" : "thresholds") + "; not changed.");
            }
            case REFUSED_WORSE -> {
                refusedRequest = o.request();
                state.set(State.REFUSED);
                refusal.set("Not written: " + r.refusalReason() + ". The fit rows may be too few or unlike the "
                        + "held-out ones. Write anyway only if you have reason to trust them.");
                message.set(policyFile.getFileName() + " is unchanged.");
            }
            case WRITTEN -> written(r);
        }
    }

    private void written(Calibration.Result r) {
        state.set(State.WRITTEN);
        message.set(String.format(Locale.ROOT, "Wrote %d threshold(s)%s to %s%s.", r.thresholds().size(),
                r.reviewBand() == null ? "" : " and review_band " + Calibration.formatBand(r.reviewBand()),
                policyFile.getFileName(), r.worseOnHoldout() ? " although they do worse on the held-out rows" : ""));
        onWritten.accept(policyFile);
    }

    /**
     * One line on a tuned band: the band before and after and, on the held-out rows, coverage and decided precision
     * before and after; empty when the objective did not tune the band.
     */
    static String bandSummary(org.rsafe.eval.CalibrationResult c) {
        if (!c.tunedBand()) {
            return "";
        }
        return String.format(Locale.ROOT, "REVIEW band %s → %s. Held-out rows: coverage %.2f → %.2f, decided "
                        + "precision %.2f → %.2f.", Calibration.formatBand(c.bandBefore()),
                Calibration.formatBand(c.bandAfter()), c.holdoutBefore().coverage(), c.holdoutAfter().coverage(),
                c.holdoutBefore().precision(), c.holdoutAfter().precision());
    }

    /**
     * The user saw the refusal and chose to write the thresholds anyway (the CLI's {@code --force}); refused in turn
     * when the policy file changed since it was calibrated.
     */
    public void writeAnyway() {
        Calibration.Request request = refusedRequest;
        Calibration.Result refused = result.get();
        if (state.get() != State.REFUSED || request == null || refused == null) {
            return;
        }
        state.set(State.WRITING);
        running = executor.execute(BackgroundTask.of("Write thresholds", (report, cancel) ->
                        Calibration.writeAnyway(request, refused))
                .onSuccess(r -> {
                    refusedRequest = null;
                    refusal.set("");
                    result.set(r);
                    written(r);
                })
                .onFailure(e -> {
                    refusedRequest = null;
                    refusal.set("");
                    idle("Not written: " + PolicyEditorViewModel.describe(e));
                }));
    }

    /** Stops a running calibration; the policy file is left as it was. */
    public void cancel() {
        running.cancel();
    }

    private static String text(StringProperty p) {
        return p.get() == null ? "" : p.get().strip();
    }

    private interface Parser<T> {
        T parse(String text);
    }

    private static <T> T number(String name, StringProperty p, Parser<T> parser) {
        try {
            return parser.parse(text(p));
        } catch (NumberFormatException e) {
            throw new UserException(name + " must be a number, was '" + text(p) + "'");
        }
    }

    // ---- properties -------------------------------------------------------------------------------------

    /** {@code f1}, {@code fpr=0.05} or {@code precision=0.90} (tunes the REVIEW band too), as {@code --target}. */
    public StringProperty targetProperty() {
        return target;
    }

    /** Share of each label's rows held out for measuring, as {@code --holdout}. */
    public StringProperty holdoutProperty() {
        return holdout;
    }

    /** Passes of per-clause refinement, as {@code --rounds}. */
    public StringProperty roundsProperty() {
        return rounds;
    }

    /** Seed of the split and the bootstrap intervals, as {@code --seed}. */
    public StringProperty seedProperty() {
        return seed;
    }

    /** The calibration report (split, curve, thresholds before and after, held-out metrics), as the CLI prints it. */
    public ReadOnlyStringProperty reportProperty() {
        return report.getReadOnlyProperty();
    }

    /** The tuned REVIEW band and its held-out coverage and decided precision, before and after; empty otherwise. */
    public ReadOnlyStringProperty bandSummaryProperty() {
        return bandSummary.getReadOnlyProperty();
    }

    /** Why the thresholds were not written, while "Write anyway" is offered; empty otherwise. */
    public ReadOnlyStringProperty refusalProperty() {
        return refusal.getReadOnlyProperty();
    }

    /** The last calibration's result, or null before any. */
    public ReadOnlyObjectProperty<Calibration.Result> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** The thresholds the last calibration chose that differ from the file's, clause id to value. */
    public Map<String, Double> chosenThresholds() {
        return result.get() == null ? Map.of() : result.get().thresholds();
    }

    public BooleanBinding canCalibrateBinding() {
        return canCalibrate;
    }

    /** True while a refusal waits for the user's decision. */
    public BooleanBinding canWriteAnywayBinding() {
        return canWriteAnyway;
    }
}
