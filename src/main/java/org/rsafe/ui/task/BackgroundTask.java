package org.rsafe.ui.task;

import java.util.Objects;
import java.util.function.Consumer;
import org.rsafe.engine.Cancellation;

/**
 * A piece of work to run off the UI thread, with callbacks for the UI thread. Built fluently:
 * {@code BackgroundTask.of("Load", (progress, cancel) -> load()).onSuccess(vm::show).onFailure(vm::fail)}.
 * Cancelling sets the shared {@link Cancellation}; the task ends as cancelled when its work throws
 * {@link java.util.concurrent.CancellationException}, so the UI only reports "cancelled" once work has stopped.
 */
public final class BackgroundTask<T> {

    /** The work itself; runs on a worker thread. */
    @FunctionalInterface
    public interface Work<T> {
        T call(Consumer<Progress> progress, Cancellation cancellation) throws Exception;
    }

    private final String title;
    private final Work<T> work;
    private final Cancellation cancellation = new Cancellation();
    private Runnable onRunning = () -> { };
    private Consumer<? super T> onSuccess = v -> { };
    private Consumer<Throwable> onFailure = e -> { };
    private Runnable onCancelled = () -> { };
    private Runnable onFinished = () -> { };
    private Consumer<Progress> onProgress = p -> { };

    private BackgroundTask(String title, Work<T> work) {
        this.title = Objects.requireNonNull(title, "title");
        this.work = Objects.requireNonNull(work, "work");
    }

    public static <T> BackgroundTask<T> of(String title, Work<T> work) {
        return new BackgroundTask<>(title, work);
    }

    public BackgroundTask<T> onRunning(Runnable action) {
        this.onRunning = Objects.requireNonNull(action);
        return this;
    }

    public BackgroundTask<T> onSuccess(Consumer<? super T> action) {
        this.onSuccess = Objects.requireNonNull(action);
        return this;
    }

    public BackgroundTask<T> onFailure(Consumer<Throwable> action) {
        this.onFailure = Objects.requireNonNull(action);
        return this;
    }

    public BackgroundTask<T> onCancelled(Runnable action) {
        this.onCancelled = Objects.requireNonNull(action);
        return this;
    }

    /** Runs after success, failure or cancellation. */
    public BackgroundTask<T> onFinished(Runnable action) {
        this.onFinished = Objects.requireNonNull(action);
        return this;
    }

    /** Receives progress on the UI thread; executors coalesce updates so a fast loop cannot flood the UI. */
    public BackgroundTask<T> onProgress(Consumer<Progress> action) {
        this.onProgress = Objects.requireNonNull(action);
        return this;
    }

    public String title() {
        return title;
    }

    public Cancellation cancellation() {
        return cancellation;
    }

    T call(Consumer<Progress> progress) throws Exception {
        return work.call(progress, cancellation);
    }

    void fireRunning() {
        onRunning.run();
    }

    void fireSuccess(T value) {
        try {
            onSuccess.accept(value);
        } finally {
            onFinished.run();
        }
    }

    void fireFailure(Throwable error) {
        try {
            if (isCancellation(error)) {
                onCancelled.run();
            } else {
                onFailure.accept(error);
            }
        } finally {
            onFinished.run();
        }
    }

    void fireProgress(Progress progress) {
        onProgress.accept(progress);
    }

    static boolean isCancellation(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.CancellationException || t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }
}
