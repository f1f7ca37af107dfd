package org.rsafe.ui.task;

/** A started task or timer that can be stopped. */
public interface TaskHandle {
    TaskHandle DONE = () -> { };

    /** Asks the work to stop; background work stops at its next cancellation check. */
    void cancel();
}
