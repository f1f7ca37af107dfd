package org.rsafe.ui.diag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;

/**
 * Measures how long the JavaFX application thread is unable to respond: a probe thread posts a tiny task
 * every few milliseconds and records how long each one waits before it runs. A long wait is a stall the
 * user would feel as a frozen window.
 */
public final class FxStallMonitor implements AutoCloseable {
    private static final long PROBE_INTERVAL_MILLIS = 5;
    /** A probe waiting this long is a stall worth explaining: the FX thread's stack is kept. */
    private static final long STACK_AFTER_MILLIS = 100;
    private static final int STACKS_KEPT = 10;

    private final List<String> stallStacks = Collections.synchronizedList(new ArrayList<>());

    private final List<Long> waitsNanos = Collections.synchronizedList(new ArrayList<>());
    private final Thread probe;
    private volatile boolean running = true;

    private FxStallMonitor() {
        probe = new Thread(this::loop, "fx-stall-probe");
        probe.setDaemon(true);
    }

    public static FxStallMonitor start() {
        FxStallMonitor m = new FxStallMonitor();
        m.probe.start();
        return m;
    }

    private void loop() {
        while (running) {
            long posted = System.nanoTime();
            CountDownLatch ran = new CountDownLatch(1);
            Platform.runLater(() -> {
                waitsNanos.add(System.nanoTime() - posted);
                ran.countDown();
            });
            try {
                // Wait for the probe itself, so one stall is one long sample, not many overlapping ones.
                if (!ran.await(STACK_AFTER_MILLIS, TimeUnit.MILLISECONDS)) {
                    recordStack();
                    if (!ran.await(60, TimeUnit.SECONDS)) {
                        waitsNanos.add(System.nanoTime() - posted);
                    }
                }
                Thread.sleep(PROBE_INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void recordStack() {
        if (stallStacks.size() >= STACKS_KEPT) {
            return;
        }
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if ("JavaFX Application Thread".equals(e.getKey().getName())) {
                StringBuilder sb = new StringBuilder();
                StackTraceElement[] frames = e.getValue();
                for (int i = 0; i < Math.min(40, frames.length); i++) {
                    sb.append("    at ").append(frames[i]).append('\n');
                }
                stallStacks.add(sb.toString());
            }
        }
    }

    /** The FX thread's stack during each of the first stalls over 100 ms: where the time went. */
    public List<String> stallStacks() {
        synchronized (stallStacks) {
            return List.copyOf(stallStacks);
        }
    }

    /** What the probes saw so far. */
    public record Report(int samples, double longestMillis, double p99Millis, double medianMillis, int over100Millis) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT,
                    "%d probes; longest FX-thread stall %.1f ms; p99 %.1f ms; median %.2f ms; %d stalls over 100 ms",
                    samples, longestMillis, p99Millis, medianMillis, over100Millis);
        }
    }

    public Report report() {
        List<Long> copy;
        synchronized (waitsNanos) {
            copy = new ArrayList<>(waitsNanos);
        }
        if (copy.isEmpty()) {
            return new Report(0, 0, 0, 0, 0);
        }
        Collections.sort(copy);
        int n = copy.size();
        int over = (int) copy.stream().filter(w -> w > 100_000_000L).count();
        return new Report(n, copy.get(n - 1) / 1e6, copy.get(Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)) / 1e6,
                copy.get(n / 2) / 1e6, over);
    }

    @Override
    public void close() {
        running = false;
        probe.interrupt();
    }
}
