package org.rsafe.ui.task;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.concurrent.Task;

/**
 * The application's executor: each task becomes a {@link javafx.concurrent.Task} on a daemon worker
 * thread; callbacks and timers are delivered through {@link Platform#runLater}.
 */
public final class FxTaskExecutor implements TaskExecutor {
    /** Progress reaches the UI at most this often, however fast the work reports it. */
    private static final Duration PROGRESS_INTERVAL = Duration.ofMillis(100);

    private final ExecutorService workers = Executors.newCachedThreadPool(daemonThreads("rsafe-worker"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("rsafe-timer"));

    @Override
    public <T> TaskHandle execute(BackgroundTask<T> task) {
        UiThrottle<Progress> progress = UiThrottle.latest(this, PROGRESS_INTERVAL, task::fireProgress);
        Task<T> fxTask = new Task<>() {
            @Override
            protected T call() throws Exception {
                Consumer<Progress> sink = progress::offer;
                return task.call(sink);
            }
        };
        fxTask.setOnRunning(e -> task.fireRunning());
        fxTask.setOnSucceeded(e -> {
            progress.flushNow();
            task.fireSuccess(fxTask.getValue());
        });
        fxTask.setOnFailed(e -> {
            progress.flushNow();
            task.fireFailure(fxTask.getException());
        });
        workers.execute(fxTask);
        return task.cancellation()::cancel;
    }

    @Override
    public TaskHandle schedule(Duration delay, Runnable uiAction) {
        ScheduledFuture<?> f = timer.schedule(() -> Platform.runLater(uiAction), delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public TaskHandle every(Duration period, Runnable uiAction) {
        long nanos = period.toNanos();
        ScheduledFuture<?> f = timer.scheduleWithFixedDelay(() -> Platform.runLater(uiAction), nanos, nanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void runOnUi(Runnable uiAction) {
        if (Platform.isFxApplicationThread()) {
            uiAction.run();
        } else {
            Platform.runLater(uiAction);
        }
    }

    @Override
    public void shutdown() {
        workers.shutdown();
        timer.shutdownNow();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        AtomicReference<ThreadFactory> base = new AtomicReference<>(Executors.defaultThreadFactory());
        return r -> {
            Thread t = base.get().newThread(r);
            t.setName(prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
