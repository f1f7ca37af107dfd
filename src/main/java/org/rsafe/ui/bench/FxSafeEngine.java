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
 * the engine itself checks: a judgement can take seconds, and the window must never freeze that long.
 */
public final class FxSafeEngine implements Engine {
    private final Engine inner;

    public FxSafeEngine(Engine inner) {
        this.inner = Objects.requireNonNull(inner);
    }

    @Override
    public EngineIdentity identity() {
        return inner.identity();
    }

    @Override
    public Judgement judge(JudgeRequest request, JudgeListener listener, Cancellation cancellation) {
        EngineThreadGuard.assertNotFxThread();
        return inner.judge(request, listener, cancellation);
    }

    @Override
    public List<Judgement> judgeBatch(List<JudgeRequest> requests, JudgeListener listener, Cancellation cancellation) {
        EngineThreadGuard.assertNotFxThread();
        return inner.judgeBatch(requests, listener, cancellation);
    }

    @Override
    public void close() {
        inner.close();
    }
}
