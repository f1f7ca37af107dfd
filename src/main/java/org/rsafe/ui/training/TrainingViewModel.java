package org.rsafe.ui.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rsafe.train.StepMetrics;
import org.rsafe.train.TrainLog;
import org.rsafe.ui.task.BackgroundTask;
import org.rsafe.ui.task.TaskExecutor;
import org.rsafe.ui.task.TaskHandle;

/**
 * The Training tab's state: follows a run folder's {@code train_log.jsonl} while the trainer writes it and keeps every
 * logged step, so the tab can draw the curves live.
 */
public final class TrainingViewModel {
    /** How often the log is read again; the trainer logs at most a few steps a second. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final TaskExecutor executor;
    private final ObservableList<StepMetrics> steps = FXCollections.observableArrayList();
    private final ObservableList<StepMetrics> stepsReadOnly = FXCollections.unmodifiableObservableList(steps);
    private final ReadOnlyObjectWrapper<Path> runDir = new ReadOnlyObjectWrapper<>(this, "runDir");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message",
            "Open a run folder written by rsafe train grpo --out RUN to see its curves.");
    private final ReadOnlyBooleanWrapper following = new ReadOnlyBooleanWrapper(this, "following", false);
    private TrainLog.Tail tail;
    private TaskHandle timer = TaskHandle.DONE;
    private TaskHandle readTask = TaskHandle.DONE;
    private boolean reading;
    // Counts opens, so a read started for a previous folder cannot add its steps to the new one's curves.
    private long generation;

    public TrainingViewModel(TaskExecutor executor) {
        this.executor = Objects.requireNonNull(executor);
    }

    /**
     * Starts following {@code dir}'s training log, dropping the steps of any folder shown before. A folder without
     * a log yet is still followed (a run that has just started writes its first line after its first step), with a
     * message saying so.
     */
    public void open(Path dir) {
        Objects.requireNonNull(dir, "dir");
        stop();
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

    static String missingLogMessage(Path dir) {
        return dir + " has no " + TrainLog.FILE_NAME + " yet. Choose the folder given to rsafe train grpo --out; "
                + "the curves appear once the trainer has logged its first step.";
    }

    /** Stops following the log; the steps read so far stay on show. */
    public void stop() {
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
}
