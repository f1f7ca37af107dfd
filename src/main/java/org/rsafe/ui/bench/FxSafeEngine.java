package org.rsafe.ui.bench;

import java.util.List;
import java.util.Objects;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.engine.EngineThreadGuard;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.trace.EngineIdentity;
import org.rsafe.trace.Judgement;

/**
 * Wraps every engine the GUI uses so that a call from the JavaFX application thread fails at once, whatever
 * the engine itself checks: a judgement can take seconds, and the window must never freeze that long. It also
 * counts the calls in progress, so the session never closes a model under a running judgement or batch.
 */
public final class FxSafeEngine implements Engine {
    private final Engine inner;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    public FxSafeEngine(Engine inner) {
        this.inner = Objects.requireNonNull(inner);
    }

    @Override
    public <T extends Engine> java.util.Optional<T> unwrap(Class<T> type) {
        return type.isInstance(this) ? java.util.Optional.of(type.cast(this)) : inner.unwrap(type);
    }

    @Override
    public EngineIdentity identity() {
        return inner.identity();
    }

    @Override
    public Judgement judge(JudgeRequest request, JudgeListener listener, Cancellation cancellation) {
        EngineThreadGuard.assertNotFxThread();
        inFlight.incrementAndGet();
        try {
            return inner.judge(request, listener, cancellation);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public List<Judgement> judgeBatch(List<JudgeRequest> requests, JudgeListener listener, Cancellation cancellation) {
        EngineThreadGuard.assertNotFxThread();
        inFlight.incrementAndGet();
        try {
            return inner.judgeBatch(requests, listener, cancellation);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public int preferredBatchSize() {
        return inner.preferredBatchSize();
    }

    /** Whether a judgement or batch is running on this engine right now. */
    public boolean busy() {
        return inFlight.get() > 0;
    }

    @Override
    public void close() {
        inner.close();
    }
}
