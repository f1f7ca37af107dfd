package org.rsafe.engine;

import org.rsafe.trace.TraceStep;

/** Optional streaming callbacks while an engine works on one request. Default methods ignore events. */
public interface JudgeListener {
    JudgeListener NONE = new JudgeListener() { };

    /** A piece of generated text (LLM engines), in order. */
    default void onToken(String requestId, String text) { }

    /** A step of the trace became available. */
    default void onStep(String requestId, TraceStep step) { }
}
