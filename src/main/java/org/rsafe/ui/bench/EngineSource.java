package org.rsafe.ui.bench;

import java.util.function.Consumer;
import java.util.function.Function;
import org.rsafe.engine.Engine;
import org.rsafe.ui.task.TaskHandle;

/**
 * Where a tab gets the engine it judges with: the user's {@link EngineChoice} in the application, a fixed engine in
 * some tests. Obtaining it may take a while (a local model opens on first use), so the answer comes by callback.
 */
@FunctionalInterface
public interface EngineSource {

    /**
     * Calls {@code onReady} with the engine once it can judge, or {@code onFailed} with the reason in words when it
     * cannot (no model folder, a model that failed to load, the quick engine still starting). Both run on the UI
     * thread, at once when the engine is already open.
     */
    void acquire(Consumer<Engine> onReady, Consumer<String> onFailed);

    /**
     * Obtains the engine and then starts {@code work} with it. The returned handle cancels whichever is under way:
     * opening a model cannot be interrupted, so a cancel that comes while it opens is kept, and once the engine is
     * ready {@code onCancelledWhileOpening} runs instead of the work.
     */
    default TaskHandle start(Function<Engine, TaskHandle> work, Runnable onCancelledWhileOpening,
                             Consumer<String> onFailed) {
        EngineRunHandle handle = new EngineRunHandle();
        acquire(engine -> handle.begin(engine, work, onCancelledWhileOpening), onFailed);
        return handle;
    }
}
