package org.rsafe.ui.task;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A test executor that holds background tasks until the test releases them, so a test can act while work is still
 * under way (cancel while a model opens); UI actions run at once, and released tasks run on the calling thread.
 */
public final class HeldTaskExecutor extends DirectTaskExecutor {
    private final Deque<BackgroundTask<?>> held = new ArrayDeque<>();

    @Override
    public <T> TaskHandle execute(BackgroundTask<T> task) {
        held.add(task);
        return task.cancellation()::cancel;
    }

    /** Titles of the tasks waiting to run, oldest first. */
    public List<String> heldTitles() {
        return held.stream().map(BackgroundTask::title).toList();
    }

    /** Runs every held task, and any they start in turn, to its end. */
    public void runAll() {
        while (!held.isEmpty()) {
            super.execute(held.poll());
        }
    }
}
