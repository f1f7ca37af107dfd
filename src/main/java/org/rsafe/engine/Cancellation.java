package org.rsafe.engine;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

/** A flag shared by a caller and long-running work; the work checks it in its innermost loop. */
public final class Cancellation {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public static Cancellation none() {
        return new Cancellation();
    }

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Throws {@link CancellationException} when cancelled, so deep loops can stop in one line. */
    public void check() {
        if (cancelled.get()) {
            throw new CancellationException("cancelled");
        }
    }
}
