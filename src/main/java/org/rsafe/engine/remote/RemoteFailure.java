package org.rsafe.engine.remote;

import java.time.Duration;

/** Why one try of one request failed, and what to do about it; internal to the remote engine. */
final class RemoteFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** What a failure means for the request and the run. */
    enum Kind {
        /** The server is busy or the answer broke off (429, 5xx, a dropped connection): try again after a wait. */
        RETRY,
        /** No connection: retried like {@link #RETRY}, and the run stops when the server stays unreachable. */
        UNREACHABLE,
        /** This request cannot succeed (a prompt too long for the model, a broken answer): an error row. */
        ROW,
        /** No request can succeed until the user changes something (the key, the model name, the URL). */
        USER
    }

    private final Kind kind;
    private final transient Duration retryAfter;
    private final boolean beforeAnswer;

    private RemoteFailure(Kind kind, String message, Duration retryAfter, boolean beforeAnswer) {
        super(message, null, false, false);
        this.kind = kind;
        this.retryAfter = retryAfter;
        this.beforeAnswer = beforeAnswer;
    }

    private RemoteFailure(Kind kind, String message, Duration retryAfter) {
        this(kind, message, retryAfter, false);
    }

    /**
     * A connection that broke before the server answered anything: most often a kept-alive connection the server had
     * already closed (uvicorn, under vLLM and SGLang, closes idle ones after seconds; the JDK client keeps them far
     * longer and does not resend a POST itself). Worth one immediate retry.
     */
    static RemoteFailure ofDroppedBeforeAnswer(String message) {
        return new RemoteFailure(Kind.RETRY, message, null, true);
    }

    /** Whether the connection broke before any answer came (see {@link #ofDroppedBeforeAnswer}). */
    boolean beforeAnswer() {
        return beforeAnswer;
    }

    static RemoteFailure ofRetry(String message, Duration retryAfter) {
        return new RemoteFailure(Kind.RETRY, message, retryAfter);
    }

    static RemoteFailure ofUnreachable(String message) {
        return new RemoteFailure(Kind.UNREACHABLE, message, null);
    }

    static RemoteFailure ofRow(String message) {
        return new RemoteFailure(Kind.ROW, message, null);
    }

    static RemoteFailure ofUser(String message) {
        return new RemoteFailure(Kind.USER, message, null);
    }

    Kind kind() {
        return kind;
    }

    /** The wait the server asked for ({@code Retry-After}), or null. */
    Duration retryAfter() {
        return retryAfter;
    }

    boolean retryable() {
        return kind == Kind.RETRY || kind == Kind.UNREACHABLE;
    }
}
