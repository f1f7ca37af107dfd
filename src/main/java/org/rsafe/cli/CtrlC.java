package org.rsafe.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.rsafe.engine.Cancellation;

/**
 * Lets Ctrl-C (or a SIGTERM) stop long work cleanly: a shutdown hook sets the work's cancellation and then waits
 * until the work has wound down (flushed its chunk, written its checkpoint, printed its last line) before the JVM
 * may exit.
 */
final class CtrlC {
    /** Upper bound of the wait: a chunk of a slow engine may take a while, but a stuck run must not block exit. */
    private static final long WAIT_SECONDS = 120;

    private CtrlC() { }

    /** Work that can be cancelled and may throw a checked exception of type {@code E}. */
    @FunctionalInterface
    interface Work<T, E extends Exception> {
        T run(Cancellation cancel) throws E;
    }

    /** Runs {@code work} with a cancellation that Ctrl-C sets; the hook waits for {@code work} to return. */
    static <T, E extends Exception> T cancels(Work<T, E> work) throws E {
        Cancellation cancel = new Cancellation();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancel.cancel();
            try {
                finished.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rsafe-cancel-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return work.run(cancel);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that the latch is open
            }
        }
    }
}
