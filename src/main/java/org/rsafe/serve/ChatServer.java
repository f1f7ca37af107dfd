package org.rsafe.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.rsafe.engine.Cancellation;
import org.rsafe.util.UserException;

/**
 * An OpenAI-compatible HTTP server over a local model ({@code rsafe serve}): {@code GET /v1/models},
 * {@code POST /v1/chat/completions} (streamed as Server-Sent Events or whole) and {@code GET /health}, on the JDK's
 * own {@link HttpServer}. The messages are put in the model's chat format exactly as the local engine puts its
 * prompt, so the remote engine pointed at this server reads the same output as the local engine.
 *
 * <p>Concurrency: requests are taken by {@link ServeOptions#workers()} threads, but the model generates for one
 * request at a time (a fair lock, in arrival order); the others wait their turn. Batching requests that arrive
 * together is not done yet.
 *
 * <p>A client that goes away while its answer streams cancels its generation at the next token. {@link #close}
 * cancels every generation in flight, stops listening and closes the model.
 */
public final class ChatServer implements AutoCloseable {
    static final String OWNED_BY = "rsafe";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger WORKER_NUMBER = new AtomicInteger();
    /** Seconds {@link #close} lets an exchange finish once its generation has been cancelled. */
    private static final int STOP_GRACE_SECONDS = 2;
    /** How much of an oversized body is read and dropped, in multiples of the limit, before answering 413. */
    private static final long DRAIN_FACTOR = 8;

    private final ServedModel model;
    private final String modelId;
    private final ServeOptions options;
    private final HttpServer http;
    private final ExecutorService workers;
    private final ReentrantLock generation = new ReentrantLock(true);
    private final Set<Cancellation> inFlight = ConcurrentHashMap.newKeySet();
    private final long created = System.currentTimeMillis() / 1000;
    private volatile boolean closed;

    private ChatServer(ServedModel model, ServeOptions options) throws IOException {
        this.model = model;
        this.modelId = model.modelId();
        this.options = options;
        this.http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 0);
        this.workers = Executors.newFixedThreadPool(options.workers(), r -> {
            Thread t = new Thread(r, "rsafe-serve-" + WORKER_NUMBER.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(workers);
        http.createContext("/", this::handle);
    }

    /**
     * Starts serving {@code model} under its {@link ServedModel#modelId}; the server owns the model from then on and
     * closes it with itself. A port that cannot be bound is a {@link UserException}.
     */
    public static ChatServer start(ServedModel model, ServeOptions options) {
        try {
            ChatServer server = new ChatServer(model, options);
            server.http.start();
            return server;
        } catch (IOException e) {
            throw new UserException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage());
        }
    }

    /** The port really bound (the chosen one, or the free one picked for port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The OpenAI API base URL of this server, e.g. {@code http://127.0.0.1:8000/v1}. */
    public String baseUrl() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return "http://" + host + ":" + port() + "/v1";
    }

    public String modelId() {
        return modelId;
    }

    /** Notes for the user about the served model (random weights, config remarks). */
    public List<String> notices() {
        return model.notices();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
            if (path.equals("/health")) {
                sendJson(ex, 200, JSON.createObjectNode().put("status", closed ? "stopping" : "ok"));
                return;
            }
            if (!path.startsWith("/v1/")) {
                sendError(ex, 404, "no such endpoint: " + path, "invalid_request_error", null, "not_found");
                return;
            }
            if (options.apiKey() != null && !authorized(ex)) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                sendError(ex, 401, "a valid API key is required (Authorization: Bearer KEY)", "authentication_error",
                        null, "invalid_api_key");
                return;
            }
            switch (path) {
                case "/v1/models" -> {
                    if (requireMethod(ex, method, "GET")) {
                        sendJson(ex, 200, modelList());
                    }
                }
                case "/v1/chat/completions" -> {
                    if (requireMethod(ex, method, "POST")) {
                        chatCompletion(ex);
                    }
                }
                default -> sendError(ex, 404, "no such endpoint: " + path, "invalid_request_error", null,
                        "not_found");
            }
        } catch (RuntimeException e) {
            // A bug or a model failure: the client gets a 500 when nothing has been sent yet.
            if (ex.getResponseCode() < 0) {
                sendError(ex, 500, "the server failed: " + e, "server_error", null, null);
            }
        } finally {
            ex.close();
        }
    }

    private boolean authorized(HttpExchange ex) {
        String given = ex.getRequestHeaders().getFirst("Authorization");
        byte[] expected = ("Bearer " + options.apiKey()).getBytes(StandardCharsets.UTF_8);
        // Constant-time comparison, so response times say nothing about the key.
        return given != null && MessageDigest.isEqual(given.strip().getBytes(StandardCharsets.UTF_8), expected);
    }

    private static boolean requireMethod(HttpExchange ex, String method, String allowed) throws IOException {
        if (method.equals(allowed)) {
            return true;
        }
        ex.getResponseHeaders().set("Allow", allowed);
        sendError(ex, 405, method + " is not allowed here; use " + allowed, "invalid_request_error", null,
                "method_not_allowed");
        return false;
    }

    private ObjectNode modelList() {
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        root.putArray("data").addObject().put("id", modelId).put("object", "model").put("created", created)
                .put("owned_by", OWNED_BY);
        return root;
    }

    private void chatCompletion(HttpExchange ex) throws IOException {
        byte[] bytes = readBody(ex);
        if (bytes == null) {
            sendError(ex, 413, "the request body is larger than " + options.maxRequestBytes() + " bytes",
                    "invalid_request_error", null, "request_too_large");
            return;
        }
        ChatCompletionRequest request;
        try {
            JsonNode body;
            try {
                body = JSON.readTree(bytes);
            } catch (IOException e) {
                throw new ChatCompletionRequest.Invalid("the request body is not valid JSON", null);
            }
            request = ChatCompletionRequest.from(body, options.defaultMaxTokens(), options.maxTokensLimit());
        } catch (ChatCompletionRequest.Invalid e) {
            sendError(ex, 400, e.getMessage(), "invalid_request_error", e.param, null);
            return;
        }
        if (request.model() != null && !request.model().equals(modelId)) {
            sendError(ex, 404, "the model '" + request.model() + "' does not exist; this server serves '" + modelId
                    + "'", "invalid_request_error", "model", "model_not_found");
            return;
        }
        if (closed) {
            sendError(ex, 503, "the server is shutting down", "server_error", null, null);
            return;
        }
        int[] promptIds = model.encode(request.modelInput());
        int context = model.contextLength();
        if (promptIds.length + request.decoding().maxNewTokens() > context) {
            sendError(ex, 400, "the prompt is " + promptIds.length + " tokens and max_tokens "
                    + request.decoding().maxNewTokens() + "; together they exceed the model's context of " + context
                    + " tokens", "invalid_request_error", "messages", "context_length_exceeded");
            return;
        }
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        if (request.stream()) {
            stream(ex, request, promptIds, id);
        } else {
            ServedModel.Generation g = generate(request, promptIds, ServedModel.TextListener.NONE, new Cancellation());
            ObjectNode root = envelope(id, "chat.completion");
            ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", g.text());
            choice.put("finish_reason", g.stopReason().finishReason());
            root.set("usage", usage(g));
            sendJson(ex, 200, root);
        }
    }

    /**
     * The body, or null when it is longer than allowed. An oversized body is read and dropped up to
     * {@link #DRAIN_FACTOR} times the limit, so the client, still sending, gets its 413 rather than a reset connection.
     */
    private byte[] readBody(HttpExchange ex) throws IOException {
        long limit = options.maxRequestBytes();
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(options.maxRequestBytes() + 1);
            if (bytes.length <= limit) {
                return bytes;
            }
            byte[] sink = new byte[64 * 1024];
            long dropped = bytes.length;
            // Bounded by the drain cap; past it the connection is simply closed.
            for (int n = in.read(sink); n > 0 && dropped < limit * DRAIN_FACTOR; n = in.read(sink)) {
                dropped += n;
            }
            return null;
        }
    }

    /** Streams the answer: a role chunk, one chunk per piece of text, the finish, the usage, then {@code [DONE]}. */
    private void stream(HttpExchange ex, ChatCompletionRequest request, int[] promptIds, String id)
            throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        Cancellation cancellation = new Cancellation();
        ObjectNode first = chunk(id);
        first.withArray("choices").addObject().put("index", 0).putObject("delta").put("role", "assistant")
                .put("content", "");
        event(out, first);
        ServedModel.Generation g;
        try {
            g = generate(request, promptIds, delta -> {
                ObjectNode c = chunk(id);
                c.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
                        .putObject("delta").put("content", delta);
                try {
                    event(out, c);
                } catch (IOException gone) {
                    // The client left: stop generating for it at the next token.
                    cancellation.cancel();
                }
            }, cancellation);
        } catch (CancellationException e) {
            return;
        }
        ObjectNode last = chunk(id);
        ObjectNode choice = last.withArray("choices").addObject().put("index", 0);
        choice.putObject("delta");
        choice.put("finish_reason", g.stopReason().finishReason());
        ObjectNode usage = chunk(id);
        usage.putArray("choices");
        usage.set("usage", usage(g));
        try {
            event(out, last);
            event(out, usage);
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException gone) {
            // The client left after the text; nothing is owed to it.
        }
    }

    /** Generates for one request once it is this request's turn at the model. */
    private ServedModel.Generation generate(ChatCompletionRequest request, int[] promptIds,
                                            ServedModel.TextListener listener, Cancellation cancellation) {
        inFlight.add(cancellation);
        try {
            generation.lockInterruptibly();
            try {
                if (closed) {
                    throw new CancellationException("the server is shutting down");
                }
                ServedModel.Generation g = model.generate(List.of(new ServedModel.Prompt(promptIds,
                        request.decoding(), request.stop(), listener, cancellation))).get(0);
                if (g.stopReason() == ServedModel.StopReason.CANCELLED) {
                    throw new CancellationException("cancelled");
                }
                return g;
            } finally {
                generation.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } finally {
            inFlight.remove(cancellation);
        }
    }

    private ObjectNode envelope(String id, String object) {
        return JSON.createObjectNode().put("id", id).put("object", object)
                .put("created", System.currentTimeMillis() / 1000).put("model", modelId);
    }

    private ObjectNode chunk(String id) {
        return envelope(id, "chat.completion.chunk");
    }

    private static ObjectNode usage(ServedModel.Generation g) {
        return JSON.createObjectNode().put("prompt_tokens", g.promptTokens())
                .put("completion_tokens", g.completionTokens())
                .put("total_tokens", g.promptTokens() + g.completionTokens());
    }

    private static void event(OutputStream out, JsonNode data) throws IOException {
        out.write(("data: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** An error in OpenAI's shape: {@code {"error": {"message", "type", "param", "code"}}}. */
    private static void sendError(HttpExchange ex, int status, String message, String type, String param,
                                  String code) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        ObjectNode e = error.putObject("error").put("message", message).put("type", type);
        if (param == null) {
            e.putNull("param");
        } else {
            e.put("param", param);
        }
        if (code == null) {
            e.putNull("code");
        } else {
            e.put("code", code);
        }
        sendJson(ex, status, error);
    }

    /**
     * Stops: new requests are refused, generations in flight are cancelled at their next token, the listener closes
     * after a short grace for the answers being written, and the model is closed. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        inFlight.forEach(Cancellation::cancel);
        http.stop(STOP_GRACE_SECONDS);
        workers.shutdownNow();
        try {
            workers.awaitTermination(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The model is closed only once no generation holds it.
        boolean locked = false;
        try {
            locked = generation.tryLock(STOP_GRACE_SECONDS * 5L, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (locked) {
                model.close();
            }
        } finally {
            if (locked) {
                generation.unlock();
            }
        }
    }
}
