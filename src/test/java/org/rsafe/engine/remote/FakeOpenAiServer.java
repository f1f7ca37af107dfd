package org.rsafe.engine.remote;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of an OpenAI-compatible inference server, on the JDK's own HTTP server bound to 127.0.0.1 on a free
 * port. It answers {@code GET /v1/models} with a fixed body and {@code POST /v1/chat/completions} with scripted
 * replies (hand-written fixtures of what vLLM, SGLang, Ollama and the llama.cpp server send), taken in order, the last
 * one repeated. It records what it received, how many chat requests were in flight at once, and how many streams the
 * client left before their end.
 */
public final class FakeOpenAiServer implements AutoCloseable {
    /** Longest a scripted pause lasts, so a test that forgets the client never hangs. */
    static final long MAX_PAUSE_MILLIS = 30_000;

    /** One scripted answer to a chat request. */
    public interface Reply {
        void send(HttpExchange exchange, FakeOpenAiServer server) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(32);
    private final List<Reply> replies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> chatBodies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger chatCalls = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger streamsLeftEarly = new AtomicInteger();
    private volatile int modelsStatus = 200;
    private volatile String modelsBody = fixture("vllm-models.json");

    private FakeOpenAiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/v1/models", this::models);
        server.createContext("/v1/chat/completions", this::chat);
        server.start();
    }

    /** A server answering every chat request with {@code replies} in order, the last one repeated. */
    public static FakeOpenAiServer start(Reply... replies) {
        try {
            FakeOpenAiServer s = new FakeOpenAiServer();
            s.replies.addAll(List.of(replies));
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The API base URL, {@code http://127.0.0.1:PORT/v1}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Answers {@code GET /v1/models} with this status and body (a fixture's text). */
    public FakeOpenAiServer models(int status, String body) {
        modelsStatus = status;
        modelsBody = body;
        return this;
    }

    /** The bodies of the chat requests received, in arrival order. */
    public List<String> chatBodies() {
        synchronized (chatBodies) {
            return List.copyOf(chatBodies);
        }
    }

    /** The Authorization headers of every request received ("" when absent). */
    public List<String> authorizations() {
        synchronized (authorizations) {
            return List.copyOf(authorizations);
        }
    }

    public int chatCalls() {
        return chatCalls.get();
    }

    /** The most chat requests that were being answered at the same moment. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Streams the client closed before the server had sent all of them. */
    public int streamsLeftEarly() {
        return streamsLeftEarly.get();
    }

    private void models(HttpExchange ex) throws IOException {
        record(ex);
        send(ex, modelsStatus, "application/json", modelsBody, Map.of());
    }

    private void chat(HttpExchange ex) throws IOException {
        record(ex);
        try (InputStream in = ex.getRequestBody()) {
            chatBodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        int call = chatCalls.getAndIncrement();
        Reply reply;
        synchronized (replies) {
            reply = replies.isEmpty() ? status(500, "{}") : replies.get(Math.min(call, replies.size() - 1));
        }
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            reply.send(ex, this);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
            ex.close();
        }
    }

    private void record(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        authorizations.add(auth == null ? "" : auth);
    }

    static void send(HttpExchange ex, int status, String contentType, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    // ---- replies -----------------------------------------------------------------------------------

    /** A whole JSON answer with this status. */
    public static Reply status(int status, String body) {
        return status(status, body, Map.of());
    }

    /** A whole JSON answer with this status and these headers (e.g. Retry-After). */
    public static Reply status(int status, String body, Map<String, String> headers) {
        return (ex, server) -> send(ex, status, "application/json", body, headers);
    }

    /** A 200 answer of any content type. */
    public static Reply body(String contentType, String body) {
        return (ex, server) -> send(ex, 200, contentType, body, Map.of());
    }

    /**
     * A Server-Sent Events answer: the text is sent event by event (events end at a blank line), each flushed, with
     * {@code pauseMillis} between two. A client that leaves before the end is counted.
     */
    public static Reply sse(String text, long pauseMillis) {
        return (ex, server) -> {
            List<String> events = splitEvents(text);
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            try {
                for (int i = 0; i < events.size(); i++) {
                    if (i > 0) {
                        pause(pauseMillis);
                    }
                    out.write(events.get(i).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                out.close();
            } catch (IOException clientLeft) {
                server.streamsLeftEarly.incrementAndGet();
            }
        };
    }

    /** An answer that starts only after {@code millis}: a server slower than the client's read timeout. */
    public static Reply after(long millis, Reply then) {
        return (ex, server) -> {
            pause(millis);
            try {
                then.send(ex, server);
            } catch (IOException clientLeft) {
                server.streamsLeftEarly.incrementAndGet();
            }
        };
    }

    /** A stream of {@code chunks} reasoning pieces, one every {@code pauseMillis}, then an answer: for cancelling. */
    public static Reply longStream(int chunks, long pauseMillis) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < chunks; i++) {
            text.append("data: {\"model\":\"rsafe-7b\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
                    .append(i == 0 ? "<think>" : "").append("step ").append(i)
                    .append(". \"},\"finish_reason\":null}]}\n\n");
        }
        text.append("data: {\"model\":\"rsafe-7b\",\"choices\":[{\"index\":0,\"delta\":")
                .append("{\"content\":\"</think>\\\\boxed{safe}\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        return sse(text.toString(), pauseMillis);
    }

    static List<String> splitEvents(String text) {
        List<String> events = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            current.append(line).append('\n');
            if (line.isEmpty()) {
                if (!current.toString().isBlank()) {
                    events.add(current.toString());
                }
                current.setLength(0);
            }
        }
        if (current.length() > 0 && !current.toString().isBlank()) {
            events.add(current.toString());
        }
        return events;
    }

    private static void pause(long millis) throws InterruptedException {
        if (millis > 0) {
            Thread.sleep(Math.min(millis, MAX_PAUSE_MILLIS));
        }
    }

    /** The text of a fixture under {@code src/test/resources/remote/}. */
    public static String fixture(String name) {
        try (InputStream in = FakeOpenAiServer.class.getResourceAsStream("/remote/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
