package org.rsafe.ui.bench;

import java.util.function.Function;
import org.rsafe.engine.Engine;
import org.rsafe.ui.task.TaskHandle;

/** The handle of {@link EngineSource#start}: remembers a cancel that arrives before the work could begin. */
final class EngineRunHandle implements TaskHandle {
    private boolean cancelled;
    private TaskHandle work = TaskHandle.DONE;

    void begin(Engine engine, Function<Engine, TaskHandle> start, Runnable onCancelledWhileOpening) {
        if (cancelled) {
            onCancelledWhileOpening.run();
        } else {
            work = start.apply(engine);
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        work.cancel();
    }
}
