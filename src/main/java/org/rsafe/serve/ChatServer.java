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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.rsafe.engine.Cancellation;
import org.rsafe.util.UserException;

/**
 * An OpenAI-compatible HTTP server over a local model ({@code rsafe serve}): {@code GET /v1/models},
 * {@code POST /v1/chat/completions} (streamed as Server-Sent Events or whole) and {@code GET /health}, on the JDK's
 * own {@link HttpServer}. The messages are put in the model's chat format exactly as the local engine puts its
 * prompt, so the remote engine pointed at this server reads the same output as the local engine.
 *
 * <p>Concurrency: requests are taken by {@link ServeOptions#workers()} threads and handed to a {@link Batcher}, which
 * generates the requests that arrive together as one batch ({@link ServeOptions#maxBatch()} at most); a request that
 * finds the model idle waits at most {@link ServeOptions#batchWaitMillis()} (5 ms by default) for company. Requests
 * arriving while a batch generates go together in the next one. {@code GET /health} reports the batches formed.
 *
 * <p>A client that goes away while its answer streams cancels its own generation at the next token; the others in its
 * batch go on. {@link #close} cancels every generation in flight, stops listening and closes the model.
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
    private final Batcher batcher;
    private static final Object END = new Object();
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
        this.batcher = new Batcher(model, options.maxBatch(), options.batchWaitMillis());
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
                sendJson(ex, 200, health());
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

    /** What the batches have been so far: how many, how many requests they held, the largest. */
    public BatchStats batchStats() {
        return batcher.stats();
    }

    private ObjectNode health() {
        BatchStats s = batchStats();
        ObjectNode root = JSON.createObjectNode().put("status", closed ? "stopping" : "ok");
        root.putObject("batches").put("count", s.batches()).put("requests", s.requests())
                .put("largest", s.largestBatch()).put("queued", s.queued()).put("max_batch", options.maxBatch())
                .put("wait_ms", options.batchWaitMillis());
        return root;
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
            Cancellation cancellation = new Cancellation();
            CompletableFuture<ServedModel.Generation> result = submit(request, promptIds,
                    ServedModel.TextListener.NONE, cancellation);
            ServedModel.Generation g;
            try {
                g = finished(result);
            } catch (CancellationException e) {
                cancellation.cancel();
                sendError(ex, 503, "the request was cancelled: the server is shutting down", "server_error", null,
                        null);
                return;
            }
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
        // The batch thread only queues the pieces; this request's own thread writes them, so a slow client holds up
        // nobody else's generation.
        BlockingQueue<Object> pieces = new LinkedBlockingQueue<>();
        CompletableFuture<ServedModel.Generation> result = submit(request, promptIds, pieces::add, cancellation);
        result.whenComplete((g, e) -> pieces.add(END));
        boolean clientGone = false;
        try {
            for (Object piece = pieces.take(); piece != END; piece = pieces.take()) {
                if (clientGone) {
                    continue;
                }
                ObjectNode c = chunk(id);
                c.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
                        .putObject("delta").put("content", (String) piece);
                try {
                    event(out, c);
                } catch (IOException gone) {
                    // The client left: its generation stops at the next token; the others in its batch go on.
                    cancellation.cancel();
                    clientGone = true;
                }
            }
        } catch (InterruptedException e) {
            cancellation.cancel();
            Thread.currentThread().interrupt();
            return;
        }
        ServedModel.Generation g;
        try {
            g = finished(result);
        } catch (CancellationException e) {
            return;
        }
        if (clientGone) {
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

    /** Hands the request to the batcher; its cancellation is set by {@link #close} while it is in flight. */
    private CompletableFuture<ServedModel.Generation> submit(ChatCompletionRequest request, int[] promptIds,
                                                             ServedModel.TextListener listener,
                                                             Cancellation cancellation) {
        inFlight.add(cancellation);
        if (closed) {
            cancellation.cancel();
        }
        CompletableFuture<ServedModel.Generation> result = batcher.submit(new ServedModel.Prompt(promptIds,
                request.decoding(), request.stop(), listener, cancellation));
        result.whenComplete((g, e) -> inFlight.remove(cancellation));
        return result;
    }

    /**
     * Waits for a generation; a cancelled one (client gone, server stopping) is a {@link CancellationException}, a
     * model failure a {@link RuntimeException}.
     */
    private static ServedModel.Generation finished(CompletableFuture<ServedModel.Generation> result) {
        ServedModel.Generation g;
        try {
            g = result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
        if (g.stopReason() == ServedModel.StopReason.CANCELLED) {
            throw new CancellationException("cancelled");
        }
        return g;
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
     * Stops: new requests are refused (503), generations in flight are cancelled at their next token (a streamed
     * answer ends without {@code [DONE]}), the listener closes after a short grace for the answers being written, and
     * the model is closed once its batch has ended. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        inFlight.forEach(Cancellation::cancel);
        // Cancelled rows end at their next token, so the batch thread ends soon; the model is closed only after.
        boolean idle = batcher.close(STOP_GRACE_SECONDS * 5_000L);
        http.stop(STOP_GRACE_SECONDS);
        workers.shutdownNow();
        try {
            workers.awaitTermination(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (idle) {
            model.close();
        }
    }
}
