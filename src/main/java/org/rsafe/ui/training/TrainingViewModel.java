package org.rsafe.ui.training;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rsafe.app.Training;
import org.rsafe.train.Checkpoint;
import org.rsafe.train.GrpoConfig;
import org.rsafe.train.GrpoRun;
import org.rsafe.train.GrpoTrainer;
import org.rsafe.train.StepMetrics;
import org.rsafe.train.TrainLog;
import org.rsafe.ui.editor.PolicyEditorViewModel;
import org.rsafe.ui.task.BackgroundTask;
import org.rsafe.ui.task.TaskExecutor;
import org.rsafe.ui.task.TaskHandle;
import org.rsafe.ui.task.UiThrottle;
import org.rsafe.ui.workspace.WorkbenchHome;
import org.rsafe.util.UserException;

/**
 * The Training tab's state: starts and stops GRPO runs ({@link GrpoRun}) from a small form, and follows a run
 * folder's {@code train_log.jsonl} while the trainer writes it, keeping every logged step so the tab can draw the
 * curves live.
 */
public final class TrainingViewModel {
    /** How often the log is read again; the trainer logs at most a few steps a second. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    /** How often a running training run's progress reaches the UI at most. */
    static final Duration UI_INTERVAL = Duration.ofMillis(100);
    /** The GRPO knobs the form offers, by their TRL names (the CLI's flags); the others keep their defaults. */
    public static final List<String> FORM_KNOBS = List.of("max_steps", "num_generations", "learning_rate", "beta", "seed");
    /** The devices the form offers, as {@code rsafe train grpo --device} names them. */
    public static final List<String> DEVICES = Training.DEVICES;
    /** The folder under the workbench home that holds the runs started from the tab. */
    public static final String RUNS_FOLDER = "training-runs";

    private final TaskExecutor executor;
    private final WorkbenchHome home;
    private final ObservableList<StepMetrics> steps = FXCollections.observableArrayList();
    private final ObservableList<StepMetrics> stepsReadOnly = FXCollections.unmodifiableObservableList(steps);
    private final ReadOnlyObjectWrapper<Path> runDir = new ReadOnlyObjectWrapper<>(this, "runDir");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message",
            "Start a run above, or open a run folder written by rsafe train grpo --out RUN, to see its curves.");
    private final ReadOnlyBooleanWrapper following = new ReadOnlyBooleanWrapper(this, "following", false);
    private TrainLog.Tail tail;
    private TaskHandle timer = TaskHandle.DONE;
    private TaskHandle readTask = TaskHandle.DONE;
    private boolean reading;
    // Counts opens, so a read started for a previous folder cannot add its steps to the new one's curves.
    private long generation;

    // ---- the new-run form and the run started from it ----
    private final StringProperty modelDir = new SimpleStringProperty(this, "modelDir", "");
    private final StringProperty dataFile = new SimpleStringProperty(this, "dataFile", "");
    private final StringProperty outDir = new SimpleStringProperty(this, "outDir", "");
    private final StringProperty device = new SimpleStringProperty(this, "device", Training.DEFAULT_DEVICE);
    private final BooleanProperty resume = new SimpleBooleanProperty(this, "resume", false);
    private final Map<String, StringProperty> knobs = new LinkedHashMap<>();
    private final StringProperty moreSettings = new SimpleStringProperty(this, "moreSettings", "");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running", false);
    private final ReadOnlyBooleanWrapper stopping = new ReadOnlyBooleanWrapper(this, "stopping", false);
    private final ReadOnlyDoubleWrapper runProgress = new ReadOnlyDoubleWrapper(this, "runProgress", 0);
    private final ReadOnlyStringWrapper runStatus = new ReadOnlyStringWrapper(this, "runStatus", "");
    private final ReadOnlyStringWrapper runError = new ReadOnlyStringWrapper(this, "runError", "");
    private final ReadOnlyObjectWrapper<GrpoRun.Summary> lastSummary = new ReadOnlyObjectWrapper<>(this, "lastSummary");
    // Bumped when a run ends: the folders the blocked reason looks at have changed on disk.
    private final IntegerProperty diskChanges = new SimpleIntegerProperty(0);
    private final StringBinding startBlockedReason;
    private final BooleanBinding canStart;
    private TaskHandle runHandle = TaskHandle.DONE;
    /** Counted down when the trainer returns (checkpoint written), before the UI hears of it. */
    private volatile java.util.concurrent.CountDownLatch runWork = new java.util.concurrent.CountDownLatch(0);
    // The folder of the run in progress (null when none), and whether the tab follows its log yet.
    private Path activeRunDir;
    private boolean followingActiveRun;
    private long runNumber;

    public TrainingViewModel(TaskExecutor executor, WorkbenchHome home) {
        this.executor = Objects.requireNonNull(executor);
        this.home = Objects.requireNonNull(home);
        for (String name : FORM_KNOBS) {
            knobs.put(name, new SimpleStringProperty(this, name, defaultOf(name)));
        }
        outDir.set(newRunDir().toString());
        startBlockedReason = Bindings.createStringBinding(this::blockedReason, modelDir, dataFile, outDir, resume,
                running, diskChanges);
        canStart = startBlockedReason.isEmpty();
    }

    private static String defaultOf(String knob) {
        return GrpoConfig.KNOBS.stream().filter(k -> k.name().equals(knob)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no GRPO knob " + knob)).defaultValue();
    }

    /** A fresh folder under the workbench home, named by the time, like the batch runs. */
    private Path newRunDir() {
        Path base = home.dir().resolve(RUNS_FOLDER).resolve("grpo-" + LocalDateTime.now().format(STAMP));
        Path dir = base;
        for (int i = 2; Files.exists(dir); i++) {
            dir = base.resolveSibling(base.getFileName() + "-" + i);
        }
        return dir;
    }

    // ---- starting and stopping a run ------------------------------------------------------------------------

    /** Why Start cannot run now, or empty when it can. Reads the disk a little (exists, is empty), as Batch does. */
    private String blockedReason() {
        if (running.get()) {
            return "A training run is in progress; stop it or wait for it to end before starting another.";
        }
        Path model = pathOf(modelDir.get());
        if (model == null) {
            return blank(modelDir) ? "Choose the model folder (a Hugging Face Qwen2 folder)."
                    : "The model folder '" + modelDir.get() + "' is not a valid path.";
        }
        if (!Files.isDirectory(model)) {
            return "The model folder " + model + " does not exist.";
        }
        if (!Files.isRegularFile(model.resolve("config.json"))) {
            return model + " has no config.json; choose a Hugging Face model folder.";
        }
        Path data = pathOf(dataFile.get());
        if (data == null) {
            return blank(dataFile) ? "Choose the training data file (JSON Lines made by rsafe train data)."
                    : "The training data file '" + dataFile.get() + "' is not a valid path.";
        }
        if (!Files.isRegularFile(data)) {
            return "The training data file " + data + " does not exist.";
        }
        Path out = pathOf(outDir.get());
        if (out == null) {
            return blank(outDir) ? "Choose the output folder for the run."
                    : "The output folder '" + outDir.get() + "' is not a valid path.";
        }
        if (resume.get()) {
            if (!Files.isDirectory(out.resolve(Checkpoint.DIR))) {
                return "Nothing to resume: " + out + " holds no checkpoint. Untick Resume to start a new run there.";
            }
        } else if (Files.exists(out) && !isEmptyDir(out)) {
            return out + " is not empty: tick Resume to continue the run in it, or choose a new output folder.";
        }
        return "";
    }

    private static boolean blank(StringProperty p) {
        return p.get() == null || p.get().isBlank();
    }

    private static Path pathOf(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Path.of(text.strip());
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static boolean isEmptyDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The knobs to pass, by TRL name, as the CLI's flags would give them: on a fresh run the form's fields that differ
     * from their defaults (a resumed run keeps its saved settings, as {@code --resume} without flags does), plus every
     * {@code name=value} of the "More settings" field, separated by {@code ;}.
     *
     * @throws UserException when a "More settings" entry is not {@code name=value} or names a knob the form has
     */
    Map<String, String> givenKnobs() {
        Map<String, String> given = new LinkedHashMap<>();
        if (!resume.get()) {
            knobs.forEach((name, p) -> {
                String v = p.get() == null ? "" : p.get().strip();
                if (!v.isEmpty() && !v.equals(defaultOf(name))) {
                    given.put(name, v);
                }
            });
        }
        String more = moreSettings.get() == null ? "" : moreSettings.get();
        for (String part : more.split("[;\\n]")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0 || part.substring(0, eq).isBlank()) {
                throw new UserException("More settings: '" + part.strip() + "' is not name=value (separate settings "
                        + "with ';', e.g. max_completion_length=256; save_steps=10)");
            }
            String name = GrpoConfig.canonical(part.substring(0, eq));
            if (FORM_KNOBS.contains(name)) {
                throw new UserException("More settings: " + name + " has its own field on the form; set it there");
            }
            given.put(name, part.substring(eq + 1).strip());
        }
        return given;
    }

    /**
     * The run Start would ask for: the form's folders, device and knobs ({@link #givenKnobs()}), with the base
     * weights' type left to the device's default, as {@code rsafe train grpo} without {@code --dtype}.
     *
     * @throws UserException when a "More settings" entry is not {@code name=value} or names a knob the form has
     */
    public Training.GrpoRequest request() {
        Path model = pathOf(modelDir.get());
        Path data = pathOf(dataFile.get());
        Path out = pathOf(outDir.get());
        if (model == null || data == null || out == null) {
            throw new UserException(startBlockedReason.get().isEmpty() ? "choose the model, data and output folders"
                    : startBlockedReason.get());
        }
        return new Training.GrpoRequest(model, data, out, givenKnobs(), resume.get(), device.get(), null);
    }

    /**
     * Starts a GRPO run with the form's settings on a worker thread; the tab follows its log as soon as its folder
     * exists. When Start is blocked the reason becomes the error instead; settings GRPO refuses are reported at once,
     * before the model is opened.
     */
    public void startRun() {
        String reason = startBlockedReason.get();
        if (!reason.isEmpty()) {
            runError.set(reason);
            return;
        }
        Training.GrpoRequest request;
        GrpoRun.Options options;
        try {
            request = request();
            options = Training.options(request);
        } catch (UserException e) {
            runError.set(PolicyEditorViewModel.describe(e));
            return;
        }
        long number = ++runNumber;
        Path dir = options.outDir();
        activeRunDir = dir;
        followingActiveRun = false;
        runError.set("");
        lastSummary.set(null);
        runProgress.set(-1);
        runStatus.set((options.resume() ? "Resuming " : "Starting ") + dir.getFileName() + ": opening the model "
                + options.modelDir().getFileName() + "…");
        running.set(true);
        UiThrottle<RunProgress> throttle = UiThrottle.latest(executor, UI_INTERVAL, p -> showProgress(number, p));
        GrpoTrainer.Listener listener = new GrpoTrainer.Listener() {
            // Unknown until the first step ends; the trainer reports it with each step.
            private volatile int totalSteps;

            @Override
            public void onRollouts(int step, int done, int total) {
                throttle.offer(new RunProgress(step - 1, totalSteps, done, total, null));
            }

            @Override
            public void onStep(StepMetrics metrics, int total) {
                totalSteps = total;
                throttle.offer(new RunProgress(metrics.step(), total, 0, 0, metrics));
            }
        };
        runHandle = executor.execute(BackgroundTask.of("Training run", (progress, cancel) -> {
                    // Set when the work really starts: a task that never ran has nothing to wait for.
                    java.util.concurrent.CountDownLatch workDone = new java.util.concurrent.CountDownLatch(1);
                    runWork = workDone;
                    try {
                        return Training.run(request, listener, cancel);
                    } finally {
                        workDone.countDown();
                    }
                })
                .onSuccess(summary -> {
                    throttle.flushNow();
                    finished(number, summary);
                })
                .onCancelled(() -> ended(number, "Stopped before the first step; nothing to keep.", 0))
                .onFailure(e -> {
                    if (number == runNumber) {
                        runError.set("The training run failed: " + PolicyEditorViewModel.describe(e));
                        ended(number, "", 0);
                    }
                }));
    }

    /** Progress of the run in progress, carried to the UI thread. */
    private record RunProgress(int stepsDone, int totalSteps, int rollouts, int rolloutsTotal, StepMetrics last) { }

    private void showProgress(long number, RunProgress p) {
        if (number != runNumber || !running.get()) {
            return;
        }
        followActiveRun();
        String of = p.totalSteps() > 0 ? " of " + p.totalSteps() : "";
        if (p.last() != null) {
            runStatus.set(String.format(Locale.ROOT, "Step %d%s done: reward %.3f, loss %+.4f, %.1f s%s",
                    p.stepsDone(), of, p.last().reward(), p.last().loss(), p.last().stepTime(), stoppingNote()));
        } else {
            runStatus.set("Step " + (p.stepsDone() + 1) + of + ": sampled " + p.rollouts() + " of " + p.rolloutsTotal()
                    + " completions" + stoppingNote());
        }
        runProgress.set(p.totalSteps() > 0 ? Math.min(1.0, (double) p.stepsDone() / p.totalSteps()) : -1);
    }

    private String stoppingNote() {
        return stopping.get() ? " — stopping…" : "";
    }

    // The run's folder exists once the trainer reports anything: follow its log with the tab's usual code.
    private void followActiveRun() {
        if (!followingActiveRun && activeRunDir != null && Files.isDirectory(activeRunDir)) {
            followingActiveRun = true;
            open(activeRunDir);
        }
    }

    private void finished(long number, GrpoRun.Summary s) {
        if (number != runNumber) {
            return;
        }
        followActiveRun();
        // The timer would pick up the last lines within a second; read them now so the curves end with the run.
        pollNow();
        lastSummary.set(s);
        Path dir = s.outDir();
        if (s.cancelled()) {
            ended(number, "Stopped after step " + s.stepsDone() + " of " + s.totalSteps() + "; checkpoint kept in "
                    + dir.resolve(Checkpoint.DIR) + ". Resume is ticked: Start continues the run.", progressOf(s));
            resume.set(true);
        } else {
            ended(number, "Done: " + s.stepsDone() + " steps (" + (s.stepsDone() - s.resumedFrom()) + " run now) over "
                    + s.rows() + " rows; PEFT adapter written to " + dir + " (load it with --adapter " + dir + ")"
                    + (s.skippedLongPrompts() > 0 ? "; skipped " + s.skippedLongPrompts() + " over-long prompts" : "")
                    + ".", 1);
            // That folder now holds a finished run: a next Start begins a fresh one beside it.
            resume.set(false);
            outDir.set(newRunDir().toString());
        }
    }

    private static double progressOf(GrpoRun.Summary s) {
        return s.totalSteps() > 0 ? (double) s.stepsDone() / s.totalSteps() : 0;
    }

    private void ended(long number, String status, double progress) {
        if (number != runNumber) {
            return;
        }
        runStatus.set(status);
        runProgress.set(progress);
        activeRunDir = null;
        runHandle = TaskHandle.DONE;
        stopping.set(false);
        running.set(false);
        diskChanges.set(diskChanges.get() + 1);
    }

    /**
     * Asks the run in progress to stop: the step under way is undone and the last completed step is saved as a
     * checkpoint, so ticking Resume continues from there. A model still opening cannot be interrupted; the run stops
     * right after.
     */
    public void stopRun() {
        if (running.get() && !stopping.get()) {
            stopping.set(true);
            runStatus.set(runStatus.get() + " — stopping…");
            runHandle.cancel();
        }
    }

    /**
     * Starts following {@code dir}'s training log, dropping the steps of any folder shown before. A folder without
     * a log yet is still followed (a run that has just started writes its first line after its first step), with a
     * message saying so.
     */
    public void open(Path dir) {
        Objects.requireNonNull(dir, "dir");
        stopFollowing();
        generation++;
        steps.clear();
        runDir.set(dir);
        Path log = dir.resolve(TrainLog.FILE_NAME);
        tail = new TrainLog.Tail(log);
        following.set(true);
        message.set(Files.isRegularFile(log) ? "Reading " + log + "…" : missingLogMessage(dir));
        timer = executor.every(POLL_INTERVAL, this::pollNow);
        pollNow();
    }

    /**
     * Reads the lines appended since the last read, off the UI thread, and adds their steps in one batch. The
     * periodic timer calls it; a read still running makes this call do nothing, so slow disks cannot pile up reads.
     */
    public void pollNow() {
        if (tail == null || reading) {
            return;
        }
        TrainLog.Tail t = tail;
        Path dir = runDir.get();
        long gen = generation;
        reading = true;
        readTask = executor.execute(BackgroundTask.<List<StepMetrics>>of("Read training log",
                        (progress, cancel) -> t.poll())
                .onSuccess(batch -> {
                    if (gen == generation) {
                        publish(dir, batch);
                    }
                })
                .onFailure(e -> {
                    if (gen == generation) {
                        message.set("Cannot read " + dir.resolve(TrainLog.FILE_NAME) + ": " + e.getMessage());
                    }
                })
                .onFinished(() -> {
                    if (gen == generation) {
                        reading = false;
                    }
                }));
    }

    private void publish(Path dir, List<StepMetrics> batch) {
        if (!batch.isEmpty()) {
            // A resumed run cuts its log back and the tail reads it again from the start: replace, don't repeat.
            int first = batch.get(0).step();
            int keep = steps.size();
            while (keep > 0 && steps.get(keep - 1).step() >= first) {
                keep--;
            }
            if (keep < steps.size()) {
                steps.remove(keep, steps.size());
            }
            steps.addAll(batch);
        }
        if (steps.isEmpty()) {
            if (!Files.isRegularFile(dir.resolve(TrainLog.FILE_NAME))) {
                message.set(missingLogMessage(dir));
            } else {
                message.set("No steps logged yet in " + dir.resolve(TrainLog.FILE_NAME) + "; waiting for the trainer.");
            }
            return;
        }
        if (!batch.isEmpty()) {
            StepMetrics last = steps.get(steps.size() - 1);
            message.set(steps.size() + (steps.size() == 1 ? " step" : " steps") + " read, last step " + last.step()
                    + " at " + LocalTime.now().format(CLOCK) + (following.get() ? "; following the log" : ""));
        }
    }

    private String missingLogMessage(Path dir) {
        if (dir.equals(activeRunDir)) {
            return "Waiting for the run's first step; the curves appear once it is logged in " + dir.resolve(TrainLog.FILE_NAME) + ".";
        }
        return dir + " has no " + TrainLog.FILE_NAME + " yet. Choose the folder given to rsafe train grpo --out; "
                + "the curves appear once the trainer has logged its first step.";
    }

    /** How long closing the window waits for a stopped run to write its checkpoint. */
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);

    /**
     * The window is closing: stops following the log, asks a run in progress to stop, and waits (at most
     * {@link #SHUTDOWN_WAIT}) until the trainer has returned, so the checkpoint of the last finished step is on disk
     * before the program exits.
     */
    public void stop() {
        stopFollowing();
        stopRun();
        try {
            runWork.await(SHUTDOWN_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops following the log; the steps read so far stay on show, and a run in progress goes on. */
    public void stopFollowing() {
        timer.cancel();
        timer = TaskHandle.DONE;
        readTask.cancel();
        readTask = TaskHandle.DONE;
        reading = false;
        tail = null;
        generation++;
        if (following.get()) {
            following.set(false);
            if (!steps.isEmpty()) {
                message.set(steps.size() + " steps read; stopped following the log.");
            }
        }
    }

    /** Every step read from the log, in log order (a log cut back by a resumed run starts the list again). */
    public ObservableList<StepMetrics> steps() {
        return stepsReadOnly;
    }

    public ReadOnlyObjectProperty<Path> runDirProperty() {
        return runDir.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public String getMessage() {
        return message.get();
    }

    public ReadOnlyBooleanProperty followingProperty() {
        return following.getReadOnlyProperty();
    }

    // ---- the form ----

    /** The base model folder (text as typed or chosen). */
    public StringProperty modelDirProperty() {
        return modelDir;
    }

    /** The training rows file (JSON Lines from {@code rsafe train data}). */
    public StringProperty dataFileProperty() {
        return dataFile;
    }

    /** The run folder; a new folder under the workbench home until the user chooses another. */
    public StringProperty outDirProperty() {
        return outDir;
    }

    /** {@code auto}, {@code cpu} or {@code gpu}, as {@code --device}. */
    public StringProperty deviceProperty() {
        return device;
    }

    /** Continue the run in the output folder from its newest checkpoint, as {@code --resume}. */
    public BooleanProperty resumeProperty() {
        return resume;
    }

    /**
     * Any other GRPO knobs, {@code name=value} separated by {@code ;} (TRL names, as the CLI's flags), e.g.
     * {@code max_completion_length=256; save_steps=10}; also passed on a resume, where only logging/save steps may
     * change.
     */
    public StringProperty moreSettingsProperty() {
        return moreSettings;
    }

    /** The text of one of {@link #FORM_KNOBS}, filled with the knob's default. */
    public StringProperty knob(String name) {
        StringProperty p = knobs.get(name);
        if (p == null) {
            throw new IllegalArgumentException(name + " is not on the form; it is one of " + FORM_KNOBS);
        }
        return p;
    }

    /** The form's knobs, name to text, in form order. */
    public Map<String, StringProperty> knobs() {
        return Collections.unmodifiableMap(knobs);
    }

    public StringBinding startBlockedReasonProperty() {
        return startBlockedReason;
    }

    public String getStartBlockedReason() {
        return startBlockedReason.get();
    }

    public BooleanBinding canStartProperty() {
        return canStart;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty stoppingProperty() {
        return stopping.getReadOnlyProperty();
    }

    /** The run's share done, 0..1; -1 while the model opens or the number of steps is not known yet. */
    public ReadOnlyDoubleProperty runProgressProperty() {
        return runProgress.getReadOnlyProperty();
    }

    /** One line: the step in progress, or how the last run ended (steps done, where the adapter went). */
    public ReadOnlyStringProperty runStatusProperty() {
        return runStatus.getReadOnlyProperty();
    }

    public String getRunStatus() {
        return runStatus.get();
    }

    /** Why the last Start was refused or the run failed, in the user's terms; empty otherwise. */
    public ReadOnlyStringProperty runErrorProperty() {
        return runError.getReadOnlyProperty();
    }

    public String getRunError() {
        return runError.get();
    }

    /** How the last run ended, or null while one runs or before any. */
    public ReadOnlyObjectProperty<GrpoRun.Summary> lastSummaryProperty() {
        return lastSummary.getReadOnlyProperty();
    }
}
