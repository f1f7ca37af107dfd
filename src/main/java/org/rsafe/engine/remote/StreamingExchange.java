package org.rsafe.engine.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * One HTTP request whose answer is read line by line as it arrives, with a deadline between pieces (the read
 * timeout) and a way to stop at any moment: stopping cancels the body subscription, which closes the connection, so
 * the server sees the client leave and stops generating.
 *
 * <p>The JDK client pushes the head and the lines onto a queue from its own threads; the calling thread takes them
 * with short waits, checking its cancellation and the deadline in between. Use from one thread; {@link #close} it.
 *
 * <p>Memory is bounded whatever the server sends: a line longer than {@link #MAX_LINE_BYTES} or a body longer than
 * {@link #MAX_BODY_BYTES} ends the exchange with a failure naming the limit (no answer RSafe asks for comes near
 * either). Any bytes arriving count as the server being alive for the read timeout, even inside one long line.
 */
final class StreamingExchange implements AutoCloseable {
    /** How often a waiting reader looks at its cancellation. */
    static final long POLL_MILLIS = 50;
    /** Longest line of an answer taken in: a whole JSON answer of 4 Mi characters of output fits. */
    static final int MAX_LINE_BYTES = 8 * 1024 * 1024;
    /** Longest answer body taken in. */
    static final long MAX_BODY_BYTES = 32L * 1024 * 1024;

    /** The status line and headers of an answer. */
    record Head(int status, HttpHeaders headers) { }

    private static final Object END = new Object();

    private record Failed(Throwable cause) { }

    /** The server sent more than the limits allow. */
    private static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message, null);
        }
    }

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    private final CompletableFuture<HttpResponse<Void>> response;
    private final Duration readTimeout;
    private final BooleanSupplier cancelled;
    private final String target;
    private long deadline;
    /** When bytes last arrived (System.nanoTime), written by the client's threads. */
    private volatile long lastBytes;
    private boolean ended;
    private boolean headSeen;

    /**
     * Sends {@code request}.
     *
     * @param readTimeout longest quiet time before the head, and between two lines
     * @param cancelled   polled while waiting; true stops the exchange with a {@link CancellationException}
     */
    StreamingExchange(HttpClient client, HttpRequest request, Duration readTimeout, BooleanSupplier cancelled) {
        this.readTimeout = readTimeout;
        this.cancelled = cancelled;
        this.target = request.method() + " " + request.uri();
        this.deadline = System.nanoTime() + readTimeout.toNanos();
        response = client.sendAsync(request, info -> {
            events.add(new Head(info.statusCode(), info.headers()));
            return HttpResponse.BodySubscribers.fromSubscriber(new LineSink(), sink -> null);
        });
        response.whenComplete((r, t) -> {
            if (t != null) {
                events.add(new Failed(t));
            }
        });
    }

    /** The head of the answer; a failure when there is no connection or the server stays silent. */
    Head head() throws RemoteFailure {
        Object e = next();
        if (e instanceof Head h) {
            headSeen = true;
            return h;
        }
        throw new IllegalStateException("an answer's body came before its head");
    }

    /** The next line of the body, or null at its end. */
    String nextLine() throws RemoteFailure {
        if (ended) {
            return null;
        }
        Object e = next();
        if (e == END) {
            ended = true;
            return null;
        }
        if (e instanceof String line) {
            return line;
        }
        throw new IllegalStateException("unexpected event " + e);
    }

    /** The rest of the body as text, at most {@code maxChars} of it (the rest is read and dropped). */
    String remainingBody(int maxChars) throws RemoteFailure {
        StringBuilder body = new StringBuilder();
        // Bounded: each turn consumes one line of a body that ends, or fails at the read deadline.
        for (String line = nextLine(); line != null; line = nextLine()) {
            if (body.length() < maxChars) {
                body.append(line).append('\n');
            }
        }
        return body.length() <= maxChars ? body.toString() : body.substring(0, maxChars);
    }

    private Object next() throws RemoteFailure {
        // Bounded: each turn either returns an event or moves toward the deadline, which only an event extends.
        while (true) {
            if (cancelled.getAsBoolean()) {
                close();
                throw new CancellationException("cancelled");
            }
            // Bytes of a line still arriving keep the answer alive, as whole lines do.
            long left = Math.max(deadline, lastBytes + readTimeout.toNanos()) - System.nanoTime();
            if (left <= 0) {
                close();
                throw RemoteFailure.ofRow("no answer from " + target + " for " + seconds(readTimeout)
                        + " s (read timeout; raise it with --read-timeout)");
            }
            Object e;
            try {
                e = events.poll(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, POLL_MILLIS), TimeUnit.MILLISECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                close();
                throw new CancellationException("interrupted");
            }
            if (e == null) {
                continue;
            }
            deadline = System.nanoTime() + readTimeout.toNanos();
            if (e instanceof Failed f) {
                if (f.cause() instanceof TooLarge tooLarge) {
                    close();
                    throw RemoteFailure.ofRow("the answer from " + target + " " + tooLarge.getMessage());
                }
                throw failure(f.cause());
            }
            return e;
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : String.valueOf(d.toMillis() / 1000.0);
    }

    /** What a transport failure means: no connection at all, or an answer cut off. */
    private RemoteFailure failure(Throwable t) {
        Throwable cause = t;
        // Bounded by the depth of the cause chain, itself cut at a few levels.
        for (int depth = 0; depth < 8 && (cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null; depth++) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return RemoteFailure.ofUnreachable("could not connect to " + target + " in time (connect timeout)");
        }
        if (cause instanceof ConnectException || cause instanceof UnresolvedAddressException) {
            return RemoteFailure.ofUnreachable("could not connect to " + target + ": " + reason(cause));
        }
        if (cause instanceof IOException) {
            String message = "the connection to " + target + " broke off: " + cause;
            return headSeen ? RemoteFailure.ofRetry(message, null) : RemoteFailure.ofDroppedBeforeAnswer(message);
        }
        return RemoteFailure.ofRetry("the request to " + target + " failed: " + cause, null);
    }

    /** The first message down the cause chain, "unknown host" for a name not found, else "connection refused". */
    private static String reason(Throwable t) {
        Throwable c = t;
        // Bounded by the depth limit.
        for (int depth = 0; c != null && depth < 8; depth++, c = c.getCause()) {
            if (c instanceof UnresolvedAddressException) {
                return "unknown host";
            }
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                return c.getMessage();
            }
        }
        // The JDK client's ConnectException carries no message when the port is closed.
        return t instanceof ConnectException ? "connection refused" : t.getClass().getSimpleName();
    }

    /** Stops the exchange; the connection is closed if the answer is still coming. Idempotent. */
    @Override
    public void close() {
        Flow.Subscription s = subscription.getAndSet(null);
        if (s != null) {
            s.cancel();
        }
        response.cancel(true);
    }

    /**
     * Receives the body's bytes on the client's threads, cuts them into UTF-8 lines (a line ends at LF; a CR before it
     * is dropped) and queues them for the reader, within the size limits.
     */
    private final class LineSink implements Flow.Subscriber<List<ByteBuffer>> {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private long bodyBytes;
        private boolean failed;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (failed) {
                return;
            }
            lastBytes = System.nanoTime();
            for (ByteBuffer b : buffers) {
                bodyBytes += b.remaining();
                if (bodyBytes > MAX_BODY_BYTES) {
                    fail("is over this client's limit of " + (MAX_BODY_BYTES >> 20) + " MiB per answer");
                    return;
                }
                while (b.hasRemaining()) {
                    byte c = b.get();
                    if (c == '\n') {
                        events.add(take());
                    } else if (line.size() >= MAX_LINE_BYTES) {
                        fail("has a line over this client's limit of " + (MAX_LINE_BYTES >> 20) + " MiB");
                        return;
                    } else {
                        line.write(c);
                    }
                }
            }
        }

        private String take() {
            byte[] bytes = line.toByteArray();
            line.reset();
            int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            return new String(bytes, 0, n, StandardCharsets.UTF_8);
        }

        private void fail(String what) {
            failed = true;
            line.reset();
            events.add(new Failed(new TooLarge(what)));
            Flow.Subscription s = subscription.getAndSet(null);
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public void onError(Throwable t) {
            if (!failed) {
                events.add(new Failed(t));
            }
        }

        @Override
        public void onComplete() {
            subscription.set(null);
            if (failed) {
                return;
            }
            if (line.size() > 0) {
                events.add(take());
            }
            events.add(END);
        }
    }
}
