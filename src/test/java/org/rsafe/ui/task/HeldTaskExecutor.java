package org.rsafe.ui.task;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A test executor that holds background tasks until the test releases them, so a test can act while work is still
 * under way (cancel while a model opens); UI actions run at once, and released tasks run on the calling thread.
 */
public final class HeldTaskExecutor implements TaskExecutor {
    private final Deque<BackgroundTask<?>> held = new ArrayDeque<>();
    private final DirectTaskExecutor direct = new DirectTaskExecutor();

    @Override
    public <T> TaskHandle execute(BackgroundTask<T> task) {
        held.add(task);
        return task.cancellation()::cancel;
    }

    @Override
    public TaskHandle schedule(Duration delay, Runnable uiAction) {
        uiAction.run();
        return TaskHandle.DONE;
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

    /** Titles of the tasks waiting to run, oldest first. */
    public java.util.List<String> heldTitles() {
        return held.stream().map(BackgroundTask::title).toList();
    }

    /** Runs every held task, and any they start in turn, to its end. */
    public void runAll() {
        while (!held.isEmpty()) {
            direct.execute(held.poll());
        }
    }
}
