package org.rsafe.engine;

import java.util.ArrayList;
import java.util.List;
import org.rsafe.trace.EngineIdentity;
import org.rsafe.trace.Judgement;

/**
 * A guard that judges inputs against a policy. Implementations say in their class comment whether they
 * are thread-safe. None may run on the JavaFX application thread: callers hand them to a background
 * executor, and {@link EngineThreadGuard} enforces it.
 */
public interface Engine extends AutoCloseable {

    EngineIdentity identity();

    /** Judges one request; throws {@link java.util.concurrent.CancellationException} when cancelled. */
    Judgement judge(JudgeRequest request, JudgeListener listener, Cancellation cancellation);

    default Judgement judge(JudgeRequest request) {
        return judge(request, JudgeListener.NONE, Cancellation.none());
    }

    /** Judges several requests; engines override this when they can batch. Results keep request order. */
    default List<Judgement> judgeBatch(List<JudgeRequest> requests, JudgeListener listener, Cancellation cancellation) {
        List<Judgement> out = new ArrayList<>(requests.size());
        for (JudgeRequest r : requests) {
            cancellation.check();
            out.add(judge(r, listener, cancellation));
        }
        return out;
    }

    /**
     * Requests this engine judges best together, so batch runs hand it chunks of this size: results and
     * progress then arrive at the pace the engine works. One unless the engine batches.
     */
    default int preferredBatchSize() {
        return 1;
    }

    @Override
    default void close() { }

    /**
     * This engine as {@code type} when it is one, or the engine it wraps when it only wraps one (a wrapper overrides
     * this to look inside): for use cases that need more than this contract, such as the quick engine's REVIEW band
     * or its examples check, whatever wrapper a face puts around it.
     */
    default <T extends Engine> java.util.Optional<T> unwrap(Class<T> type) {
        return type.isInstance(this) ? java.util.Optional.of(type.cast(this)) : java.util.Optional.empty();
    }
}
