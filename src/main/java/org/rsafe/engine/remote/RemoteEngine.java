package org.rsafe.engine.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.engine.EngineThreadGuard;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.prompt.PromptRenderer;
import org.rsafe.trace.EngineIdentity;
import org.rsafe.trace.ExplicitCitations;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.ClauseLinker;
import org.rsafe.trace.OutputParser;
import org.rsafe.trace.TraceStep;
import org.rsafe.trace.Verdict;
import org.rsafe.util.UserException;

/**
 * The RSafe guard on a model served by an OpenAI-compatible server (vLLM, SGLang, Ollama, the llama.cpp server, ...):
 * sends the same RSafe prompt as the local engine, as one user message of a chat completion (the server applies the
 * model's chat template), streams the answer, and reads it as the local engine reads its own output.
 *
 * <p>Failures. A server that is busy (429, 5xx) or drops the connection is tried again after a wait that doubles each
 * time, or the wait its {@code Retry-After} asks for, up to {@link RemoteEngineOptions#maxAttempts()} tries. What the
 * user must fix (the key, the model name, the URL, a server that stays unreachable) is a {@link UserException} that
 * stops the run. A request that fails for itself (still busy after its tries, a prompt the server refuses, a read
 * timeout, a broken answer) becomes an error row: a judgement with no answer whose {@link Judgement#error()} and only
 * step say what went wrong, so a batch goes on and counts it apart from the parse failures.
 *
 * <p>Thread-safe: requests are independent. {@link #judgeBatch} keeps up to {@link #preferredBatchSize()} requests in
 * flight on the engine's own worker threads; listeners are called by one thread at a time.
 */
public final class RemoteEngine implements Engine {
    public static final String ENGINE = "remote";
    /** Longest model output accepted, in characters; 512 tokens are a few kB. */
    static final int MAX_OUTPUT_CHARS = 4 * 1024 * 1024;
    /** Longest answer body read, in characters, whatever it holds (keep-alive comments, usage blocks, ...). */
    static final int MAX_BODY_CHARS = 16 * 1024 * 1024;
    /** Longest error body quoted. */
    static final int MAX_ERROR_BODY_CHARS = 64 * 1024;
    /** Longest wait between two tries. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger WORKER_NUMBER = new AtomicInteger();

    private final RemoteEngineOptions options;
    private final HttpClient client;
    /** "Bearer KEY", or null; never printed, logged or recorded. */
    private final String authorization;
    private final String model;
    private final ServerKind kind;
    private final int concurrency;
    private final EngineIdentity identity;
    private final ExecutorService workers;
    private final Object listenerLock = new Object();

    private RemoteEngine(RemoteEngineOptions options, HttpClient client, String authorization, String model,
                         ServerKind kind, String root) {
        this.options = options;
        this.client = client;
        this.authorization = authorization;
        this.model = model;
        this.kind = kind;
        this.concurrency = options.concurrency() > 0 ? options.concurrency() : kind.defaultConcurrency();
        Map<String, String> settings = new LinkedHashMap<>(RequestFields.settings(options.decoding(), kind));
        settings.put("endpoint", options.hostAndPort());
        settings.put("server_kind", kind.cliName());
        settings.put("inferred_citations", Boolean.toString(options.clauseRelevance() != null));
        if (root != null && !root.isEmpty() && !root.equals(model)) {
            settings.put("served_from", root);
        }
        this.identity = new EngineIdentity(ENGINE, model, "", options.hostAndPort(), settings);
        this.workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "rsafe-remote-" + WORKER_NUMBER.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects to the server, checks that it answers, accepts the key and serves the model, and settles the server
     * kind (detected when {@link ServerKind#AUTO}) and the model id the identity records. Every problem is a
     * {@link UserException} of one line.
     */
    public static RemoteEngine open(RemoteEngineOptions options) {
        return open(options, System::getenv);
    }

    /** {@link #open(RemoteEngineOptions)} reading the API key from {@code environment}. */
    static RemoteEngine open(RemoteEngineOptions options, Function<String, String> environment) {
        String authorization = authorization(options, environment);
        HttpClient client = client(options);
        ModelList models = listModels(options, client, authorization);
        ModelList.Entry entry;
        if (options.model() == null) {
            if (models.entries().size() != 1) {
                throw new UserException("--engine remote needs --model NAME: the server at " + options.hostAndPort()
                        + (models.entries().isEmpty() ? " lists no models" : " serves " + models.ids()));
            }
            entry = models.entries().get(0);
        } else if (models.entries().isEmpty()) {
            entry = new ModelList.Entry(options.model(), "", "");
        } else {
            entry = models.find(options.model()).orElseThrow(() -> new UserException("the server at "
                    + options.hostAndPort() + " does not serve model '" + options.model() + "'; it serves "
                    + models.ids()));
        }
        ServerKind kind = options.serverKind() == ServerKind.AUTO
                ? ServerKind.detect(entry.ownedBy(), options.port()) : options.serverKind();
        return new RemoteEngine(options, client, authorization, entry.id(), kind, entry.root());
    }

    /**
     * The ids of the models the server lists at {@code GET /models}, in its order, for a model picker: the same request,
     * key and checks as {@link #open}, so what fails here fails there too. Every problem (no server, a wrong URL, a
     * refused key, not an OpenAI API) is a {@link UserException} of one line. The model and decoding in
     * {@code options} are not used.
     */
    public static List<String> listModelIds(RemoteEngineOptions options) {
        return listModelIds(options, System::getenv);
    }

    /** {@link #listModelIds(RemoteEngineOptions)} reading the API key from {@code environment}. */
    static List<String> listModelIds(RemoteEngineOptions options, Function<String, String> environment) {
        ModelList models = listModels(options, client(options), authorization(options, environment));
        return models.entries().stream().map(ModelList.Entry::id).toList();
    }

    /** "Bearer KEY" from the environment variable the options name, or null when they name none. */
    private static String authorization(RemoteEngineOptions options, Function<String, String> environment) {
        if (options.apiKeyEnv() == null) {
            return null;
        }
        String key = environment.apply(options.apiKeyEnv());
        if (key == null || key.isBlank()) {
            throw new UserException(RemoteEngineOptions.missingKeyMessage(options.apiKeyEnv()));
        }
        return "Bearer " + key.strip();
    }

    private static HttpClient client(RemoteEngineOptions options) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** {@code GET /models}: the first request, so an unreachable server, a wrong URL or a refused key show at once. */
    private static ModelList listModels(RemoteEngineOptions options, HttpClient client, String authorization) {
        URI uri = options.resolve("models");
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET().header("Accept", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try (StreamingExchange ex = new StreamingExchange(client, b.build(), options.readTimeout(), () -> false)) {
            StreamingExchange.Head head = ex.head();
            String body = ex.remainingBody(MAX_ERROR_BODY_CHARS);
            if (head.status() / 100 != 2) {
                throw statusFailure(head, body, "GET " + uri, authorization != null, options.apiKeyEnv());
            }
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                json = null;
            }
            return ModelList.from(json).orElseThrow(() -> new UserException("no OpenAI-compatible API at "
                    + options.endpoint() + ": GET " + uri + " did not answer with a model list"));
        } catch (RemoteFailure f) {
            if (f.kind() == RemoteFailure.Kind.UNREACHABLE) {
                throw new UserException(f.getMessage() + " (is the server running, and is the endpoint URL right?)");
            }
            throw new UserException(f.getMessage());
        }
    }

    @Override
    public EngineIdentity identity() {
        return identity;
    }

    /** The server kind in use: the one chosen, or the one detected. */
    public ServerKind serverKind() {
        return kind;
    }

    /** The model id requested from the server. */
    public String model() {
        return model;
    }

    /** Requests kept in flight by a batch: batch runs hand the engine this many rows at a time. */
    @Override
    public int preferredBatchSize() {
        return concurrency;
    }

    /** The user message sent for a request: the RSafe prompt, exactly as the local engine renders it. */
    public static String userMessage(JudgeRequest request) {
        return PromptRenderer.render(request.policy(), request.template(), request.prompt(), request.response());
    }

    @Override
    public Judgement judge(JudgeRequest request, JudgeListener listener, Cancellation cancellation) {
        EngineThreadGuard.assertNotFxThread();
        return judgeOne(request, listener, cancellation::isCancelled);
    }

    @Override
    public List<Judgement> judgeBatch(List<JudgeRequest> requests, JudgeListener listener, Cancellation cancellation) {
        EngineThreadGuard.assertNotFxThread();
        if (requests.size() <= 1 || concurrency == 1) {
            List<Judgement> out = new ArrayList<>(requests.size());
            for (JudgeRequest r : requests) {
                cancellation.check();
                out.add(judgeOne(r, listener, cancellation::isCancelled));
            }
            return out;
        }
        AtomicBoolean stop = new AtomicBoolean();
        BooleanSupplier stopped = () -> stop.get() || cancellation.isCancelled();
        List<Future<Judgement>> pending = new ArrayList<>(requests.size());
        for (JudgeRequest r : requests) {
            pending.add(workers.submit(() -> judgeOne(r, listener, stopped)));
        }
        List<Judgement> out = new ArrayList<>(requests.size());
        try {
            for (Future<Judgement> f : pending) {
                out.add(await(f, cancellation));
            }
            return out;
        } finally {
            // On a failure or cancellation the others stop too: queued ones never start, running ones close their
            // streams at their next look at the flag.
            stop.set(true);
            pending.forEach(f -> f.cancel(false));
        }
    }

    /** The result of one worker, watching the caller's cancellation while waiting. */
    private static Judgement await(Future<Judgement> f, Cancellation cancellation) {
        // Bounded: every request ends (its tries, waits and reads are all bounded); cancellation ends it sooner.
        while (true) {
            cancellation.check();
            try {
                return f.get(StreamingExchange.POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException notYet) {
                // Look at the cancellation again.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** One request with its tries: a judgement, an error row, or a user mistake thrown. */
    private Judgement judgeOne(JudgeRequest request, JudgeListener listener, BooleanSupplier stopped) {
        String userMessage = userMessage(request);
        byte[] body = requestBody(userMessage, request.sample());
        long start = System.nanoTime();
        boolean resent = false;
        // Bounded by maxAttempts, plus at most one immediate resend.
        for (int attempt = 1; ; attempt++) {
            if (stopped.getAsBoolean()) {
                throw new CancellationException("cancelled");
            }
            CompletionText text = new CompletionText(piece -> emit(listener, request.id(), piece), MAX_OUTPUT_CHARS);
            try {
                complete(body, text, stopped);
                return judgementFrom(request, userMessage, text, millisSince(start), listener);
            } catch (RemoteFailure f) {
                if (f.kind() == RemoteFailure.Kind.USER) {
                    throw new UserException(f.getMessage());
                }
                if (f.beforeAnswer() && !resent) {
                    // A stale kept-alive connection: send again at once, on a fresh one, without using up a try.
                    resent = true;
                    attempt--;
                    continue;
                }
                if (!f.retryable() || attempt >= options.maxAttempts()) {
                    String tries = attempt == 1 ? "" : " (after " + attempt + " tries)";
                    if (f.kind() == RemoteFailure.Kind.UNREACHABLE) {
                        throw new UserException(f.getMessage() + tries);
                    }
                    return errorRow(request, userMessage, f.getMessage() + tries, millisSince(start));
                }
                pause(backoff(attempt, f.retryAfter()), stopped);
            }
        }
    }

    /**
     * The chat-completion request: one user message, streamed, with the decoding fields this server takes; a later
     * draw of the same request ({@code sample} &gt; 0) sends its own seed, as the local engine seeds it.
     */
    private byte[] requestBody(String userMessage, int sample) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", model);
        ArrayNode messages = root.putArray("messages");
        messages.addObject().put("role", "user").put("content", userMessage);
        root.put("stream", true);
        if (kind.streamUsage()) {
            root.putObject("stream_options").put("include_usage", true);
        }
        RequestFields.of(options.decoding(), kind).forEach((k, v) -> root.set(k, JSON.valueToTree(v)));
        if (sample > 0 && root.has("seed")) {
            root.put("seed", options.decoding().seedOfDraw(sample));
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a chat request must always serialize", e);
        }
    }

    /** One try: sends the request and reads the answer, streamed or whole, into {@code text}. */
    private void complete(byte[] body, CompletionText text, BooleanSupplier stopped) throws RemoteFailure {
        URI uri = options.resolve("chat/completions");
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream, application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try (StreamingExchange ex = new StreamingExchange(client, b.build(), options.readTimeout(), stopped)) {
            StreamingExchange.Head head = ex.head();
            if (head.status() / 100 != 2) {
                String errorBody = ex.remainingBody(MAX_ERROR_BODY_CHARS);
                UserException user = statusFailureOrNull(head, errorBody, "POST " + uri);
                if (user != null) {
                    throw RemoteFailure.ofUser(user.getMessage());
                }
                throw rowOrRetry(head, errorBody, "POST " + uri);
            }
            ChatAnswerReader.read(ex, head, text);
            text.finish();
        }
    }

    private UserException statusFailureOrNull(StreamingExchange.Head head, String body, String what) {
        int s = head.status();
        return s == 401 || s == 403 || s == 404
                ? statusFailure(head, body, what, authorization != null, options.apiKeyEnv()) : null;
    }

    /** A refusal the user must fix (401, 403, 404), or any other refusal of a request that opens the engine. */
    private static UserException statusFailure(StreamingExchange.Head head, String body, String what, boolean keyed,
                                               String apiKeyEnv) {
        int s = head.status();
        String said = ServerErrors.fromBody(body);
        String quote = said.isEmpty() ? "" : ": " + said;
        if (s == 401 || s == 403) {
            return new UserException("the server refused " + what + " (HTTP " + s + quote + "); "
                    + (keyed ? "check the API key in the environment variable " + apiKeyEnv
                    : "it needs an API key: put it in an environment variable and name that variable with "
                    + "--api-key-env NAME ('Key variable' in the workbench)"));
        }
        if (s == 404) {
            return new UserException("HTTP 404 from " + what + quote + "; check --model, and that --endpoint is the "
                    + "API's base URL (usually ending in /v1)");
        }
        return new UserException("HTTP " + s + " from " + what + quote);
    }

    /** A busy server (408, 429, 5xx) is tried again; any other refusal is this request's own error row. */
    private static RemoteFailure rowOrRetry(StreamingExchange.Head head, String body, String what) {
        int s = head.status();
        String said = ServerErrors.fromBody(body);
        String message = "HTTP " + s + " from " + what + (said.isEmpty() ? "" : ": " + said);
        if (s == 408 || s == 429 || s >= 500) {
            return RemoteFailure.ofRetry(message, ServerErrors.retryAfter(head.headers()).orElse(null));
        }
        return RemoteFailure.ofRow(message);
    }

    /** Wait before try {@code attempt + 1}: what the server asked for, else doubling from the first backoff. */
    Duration backoff(int attempt, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter;
        }
        long first = options.firstBackoff().toMillis();
        long doubled = first << Math.min(attempt - 1, 20);
        long capped = Math.min(doubled, MAX_BACKOFF.toMillis());
        // Jitter keeps a batch's requests from retrying in lockstep.
        return Duration.ofMillis(Math.round(capped * ThreadLocalRandom.current().nextDouble(0.75, 1.25)));
    }

    private static void pause(Duration wait, BooleanSupplier stopped) {
        long end = System.nanoTime() + wait.toNanos();
        // Bounded by the wait; checks the cancellation between short sleeps.
        while (System.nanoTime() < end) {
            if (stopped.getAsBoolean()) {
                throw new CancellationException("cancelled");
            }
            long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
            try {
                Thread.sleep(Math.max(1, Math.min(left, StreamingExchange.POLL_MILLIS)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            }
        }
    }

    private void emit(JudgeListener listener, String requestId, String piece) {
        synchronized (listenerLock) {
            listener.onToken(requestId, piece);
        }
    }

    /** The judgement of a complete answer: read as the local engine reads its output. */
    private Judgement judgementFrom(JudgeRequest request, String userMessage, CompletionText text, long millis,
                                    JudgeListener listener) {
        String raw = text.rawOutput();
        Judgement parsed = OutputParser.parse(raw, request.policy());
        List<TraceStep> steps = parsed.steps();
        if (options.clauseRelevance() != null && !steps.isEmpty()) {
            steps = ClauseLinker.link(steps, request.policy(), options.clauseRelevance(),
                    ClauseLinker.INFERRED_MIN_STRENGTH);
        }
        List<String> flagged = parsed.verdict() == Verdict.UNSAFE
                ? ExplicitCitations.namedInPolicyOrder(steps, request.policy()) : List.of();
        Judgement j = new Judgement(parsed.verdict(), parsed.answer(), parsed.formatOk(), Map.of(), flagged,
                steps, raw, userMessage, identity, millis, text.promptTokens(), text.completionTokens());
        synchronized (listenerLock) {
            j.steps().forEach(step -> listener.onStep(request.id(), step));
        }
        return j;
    }

    /** A request that failed for itself: no answer, and one step saying why. */
    private Judgement errorRow(JudgeRequest request, String userMessage, String message, long millis) {
        TraceStep why = new TraceStep(0, "Remote server error: " + message, 0, 0, List.of());
        return new Judgement(Verdict.UNKNOWN, null, false, Map.of(), List.of(), List.of(why), "", userMessage,
                identity, millis, 0, 0, message);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
