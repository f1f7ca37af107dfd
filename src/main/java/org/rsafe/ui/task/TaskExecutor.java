package org.rsafe.ui.task;

import java.time.Duration;

/**
 * Runs long work away from the UI thread and hands its results back on the UI thread. The application
 * uses {@link FxTaskExecutor}; view-model tests use {@link DirectTaskExecutor} so they run in order.
 */
public interface TaskExecutor {

    /** Starts the task; its callbacks run on the UI thread. */
    <T> TaskHandle execute(BackgroundTask<T> task);

    /** Runs {@code uiAction} on the UI thread once, after {@code delay}; the handle cancels it (debouncing). */
    TaskHandle schedule(Duration delay, Runnable uiAction);

    /** Runs {@code uiAction} on the UI thread every {@code period} until the handle is cancelled. */
    TaskHandle every(Duration period, Runnable uiAction);

    /** Runs {@code uiAction} on the UI thread: at once when already there, else as soon as possible. */
    void runOnUi(Runnable uiAction);

    /** Stops accepting work; running tasks are left to finish on their daemon threads. */
    void shutdown();
}
