package org.rsafe.ui.task;

import java.time.Duration;

/**
 * Runs every task at once on the calling thread, callbacks included, and fires scheduled actions
 * immediately. View-model tests use it so that each step has finished when the call returns; test executors that
 * hold back one kind of work extend it.
 */
public class DirectTaskExecutor implements TaskExecutor {

    @Override
    public <T> TaskHandle execute(BackgroundTask<T> task) {
        task.fireRunning();
        T value;
        try {
            value = task.call(task::fireProgress);
        } catch (Exception | Error e) {
            task.fireFailure(e);
            return task.cancellation()::cancel;
        }
        task.fireSuccess(value);
        return task.cancellation()::cancel;
    }

    @Override
    public TaskHandle schedule(Duration delay, Runnable uiAction) {
        uiAction.run();
        return TaskHandle.DONE;
    }

    /** Periodic actions never fire on their own here; tests call the action they want to observe. */
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
}
