package org.rsafe.engine.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A STUB inference server for measuring the remote engine's client side ({@code rsafe bench remote --stub-delay-ms}):
 * it runs no model. Every chat completion is answered, after a fixed delay, with the same short RSafe-format answer
 * streamed in {@link #PIECES} chunks and a usage block; requests are served in parallel (up to {@link #THREADS}), so
 * any loss of speed with more requests in flight is the client's. Bound to 127.0.0.1 on a free port.
 */
public final class StubChatServer implements AutoCloseable {
    public static final String MODEL = "stub-fixed-delay";
    /** Requests answered at once; more than the benchmark ever keeps in flight. */
    static final int THREADS = 64;
    static final List<String> PIECES = List.of("<think>\nA fixed answer from the stub server", ", which runs no model.",
            "\n</think>\n\n", "\\boxed{safe}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private final HttpServer http;
    private final ExecutorService threads;
    private final Duration delay;

    private StubChatServer(Duration delay) throws IOException {
        this.delay = delay;
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        this.threads = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "rsafe-stub-server-" + THREAD_NUMBER.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(threads);
        http.createContext("/v1/models", this::models);
        http.createContext("/v1/chat/completions", this::chat);
    }

    /** Starts a stub answering every chat completion after {@code delay}. */
    public static StubChatServer start(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        try {
            StubChatServer s = new StubChatServer(delay);
            s.http.start();
            return s;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start the stub server on 127.0.0.1", e);
        }
    }

    /** The OpenAI API base URL, e.g. {@code http://127.0.0.1:41234/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/v1";
    }

    public Duration delay() {
        return delay;
    }

    private void models(HttpExchange ex) throws IOException {
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        root.putArray("data").addObject().put("id", MODEL).put("object", "model").put("owned_by", "stub");
        send(ex, "application/json", JSON.writeValueAsBytes(root));
    }

    private void chat(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            // Read and dropped: the answer is the same whatever was asked.
            in.transferTo(OutputStream.nullOutputStream());
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.close();
            return;
        }
        StringBuilder sse = new StringBuilder();
        for (String piece : PIECES) {
            ObjectNode chunk = JSON.createObjectNode().put("object", "chat.completion.chunk").put("model", MODEL);
            chunk.putArray("choices").addObject().put("index", 0).putObject("delta").put("content", piece);
            sse.append("data: ").append(JSON.writeValueAsString(chunk)).append("\n\n");
        }
        ObjectNode usage = JSON.createObjectNode().put("object", "chat.completion.chunk").put("model", MODEL);
        usage.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop").putObject("delta");
        usage.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", PIECES.size())
                .put("total_tokens", 100 + PIECES.size());
        sse.append("data: ").append(JSON.writeValueAsString(usage)).append("\n\ndata: [DONE]\n\n");
        send(ex, "text/event-stream", sse.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
