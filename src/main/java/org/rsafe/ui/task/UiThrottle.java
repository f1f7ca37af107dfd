package org.rsafe.ui.task;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;

/**
 * Carries values from a worker thread to the UI thread at a bounded rate. Values offered between two
 * deliveries are merged (kept latest, or concatenated for streamed text), so a loop that reports
 * thousands of times a second costs the UI at most one update per interval.
 */
public final class UiThrottle<T> {
    private final TaskExecutor executor;
    private final long intervalNanos;
    private final Consumer<T> uiConsumer;
    private final BinaryOperator<T> merge;
    private final AtomicReference<T> pendingValue = new AtomicReference<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile long lastDelivery = System.nanoTime() - Long.MAX_VALUE / 4;

    private UiThrottle(TaskExecutor executor, Duration interval, Consumer<T> uiConsumer, BinaryOperator<T> merge) {
        this.executor = Objects.requireNonNull(executor);
        this.intervalNanos = interval.toNanos();
        this.uiConsumer = Objects.requireNonNull(uiConsumer);
        this.merge = Objects.requireNonNull(merge);
    }

    /** Delivers only the newest value of each interval (progress, counters). */
    public static <T> UiThrottle<T> latest(TaskExecutor executor, Duration interval, Consumer<T> uiConsumer) {
        return new UiThrottle<>(executor, interval, uiConsumer, (older, newer) -> newer);
    }

    /** Delivers everything offered in an interval as one concatenated piece (streamed tokens). */
    public static UiThrottle<String> appending(TaskExecutor executor, Duration interval, Consumer<String> uiConsumer) {
        return new UiThrottle<>(executor, interval, uiConsumer, String::concat);
    }

    /** Delivers everything offered in an interval combined by {@code merge} (e.g. lists of new rows). */
    public static <T> UiThrottle<T> merging(TaskExecutor executor, Duration interval, Consumer<T> uiConsumer, BinaryOperator<T> merge) {
        return new UiThrottle<>(executor, interval, uiConsumer, merge);
    }

    /** Callable from any thread. */
    public void offer(T value) {
        pendingValue.accumulateAndGet(value, (older, newer) -> older == null ? newer : merge.apply(older, newer));
        if (scheduled.compareAndSet(false, true)) {
            long wait = Math.max(0, lastDelivery + intervalNanos - System.nanoTime());
            executor.schedule(Duration.ofNanos(wait), this::deliver);
        }
    }

    /** Delivers whatever is pending without waiting for the interval (call when the work ends). */
    public void flushNow() {
        executor.runOnUi(this::deliver);
    }

    private void deliver() {
        // Clear the flag before taking the value: an offer racing with us then schedules one more delivery
        // rather than being stranded.
        scheduled.set(false);
        T value = pendingValue.getAndSet(null);
        lastDelivery = System.nanoTime();
        if (value != null) {
            uiConsumer.accept(value);
        }
    }
}
