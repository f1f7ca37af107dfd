package org.rsafe.ui.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A test executor that runs background work at once (on the calling thread) but holds scheduled UI actions
 * until the test fires them, so tests can step through debouncing and throttling by hand.
 */
public final class ManualTaskExecutor extends DirectTaskExecutor {
    private final List<Runnable> scheduled = new ArrayList<>();

    @Override
    public TaskHandle schedule(Duration delay, Runnable uiAction) {
        scheduled.add(uiAction);
        return () -> scheduled.remove(uiAction);
    }

    public int pending() {
        return scheduled.size();
    }

    /** Runs every action scheduled so far (and any they schedule in turn). */
    public void fireAll() {
        while (!scheduled.isEmpty()) {
            Runnable r = scheduled.remove(0);
            r.run();
        }
    }
}
