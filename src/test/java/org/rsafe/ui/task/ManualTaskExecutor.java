package org.rsafe.ui.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A test executor that runs background work at once (on the calling thread) but holds scheduled UI actions
 * until the test fires them, so tests can step through debouncing and throttling by hand.
 */
public final class ManualTaskExecutor implements TaskExecutor {
    private final List<Runnable> scheduled = new ArrayList<>();
    private final DirectTaskExecutor direct = new DirectTaskExecutor();

    @Override
    public <T> TaskHandle execute(BackgroundTask<T> task) {
        return direct.execute(task);
    }

    @Override
    public TaskHandle schedule(Duration delay, Runnable uiAction) {
        scheduled.add(uiAction);
        return () -> scheduled.remove(uiAction);
    }

    @Override
    public TaskHandle every(Duration period, Runnable uiAction) {
        return TaskHandle.DONE;
    }

    @Override
    public void runOnUi(Runnable uiAction) {
        uiAction.run();
    }

    @Override
    public void shutdown() { }

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
