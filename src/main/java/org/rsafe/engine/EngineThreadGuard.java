package org.rsafe.engine;

/**
 * Refuses engine work on the JavaFX application thread. The core cannot see JavaFX, so it recognises
 * the thread by its well-known name; the GUI test suite checks the name still matches.
 */
public final class EngineThreadGuard {
    static final String FX_THREAD_NAME = "JavaFX Application Thread";

    private EngineThreadGuard() { }

    public static void assertNotFxThread() {
        if (FX_THREAD_NAME.equals(Thread.currentThread().getName())) {
            throw new IllegalStateException("an engine was called on the JavaFX application thread; "
                    + "run it through the background executor");
        }
    }
}
