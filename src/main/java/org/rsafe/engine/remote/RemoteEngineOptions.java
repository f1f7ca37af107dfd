package org.rsafe.engine.remote;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.rsafe.engine.DecodingSettings;
import org.rsafe.trace.ClauseRelevance;
import org.rsafe.util.UserException;

/**
 * Where the remote engine sends its requests and how it treats the server.
 *
 * @param endpoint       base URL of the OpenAI API, ending in {@code /v1} ({@link #endpoint(String)} normalises it)
 * @param model          the model name to request; null = the server's only model
 * @param apiKeyEnv      name of the environment variable holding the API key, or null for none; the key itself is
 *                       read when the engine opens and kept nowhere else
 * @param serverKind     which server it is; {@link ServerKind#AUTO} detects it when the engine opens
 * @param concurrency    requests kept in flight by a batch; 0 = the server kind's default
 * @param connectTimeout longest wait for a connection
 * @param readTimeout    longest wait for the next piece of an answer (the first byte included): a server that goes
 *                       quiet this long fails that request
 * @param maxAttempts    tries per request when the server is busy (429, 5xx) or the connection drops; at least 1
 * @param firstBackoff   wait before the second try; doubled before each further one (a {@code Retry-After} header
 *                       replaces it)
 * @param decoding       decoding request fields
 */
public record RemoteEngineOptions(URI endpoint, String model, String apiKeyEnv, ServerKind serverKind, int concurrency,
                                  Duration connectTimeout, Duration readTimeout, int maxAttempts,
                                  Duration firstBackoff, DecodingSettings decoding,
                                  ClauseRelevance clauseRelevance) {

    public static final ServerKind DEFAULT_SERVER_KIND = ServerKind.AUTO;
    /** 0 = the server kind's own default ({@link ServerKind#defaultConcurrency()}). */
    public static final int DEFAULT_CONCURRENCY = 0;
    public static final long DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS);
    /** Long enough for a request queued behind a full batch of 512-token answers on a busy server. */
    public static final long DEFAULT_READ_TIMEOUT_SECONDS = 120;
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(DEFAULT_READ_TIMEOUT_SECONDS);
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    public static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofMillis(500);
    /** Most requests ever kept in flight: beyond this a client only fills the server's queue. */
    public static final int MAX_CONCURRENCY = 256;

    public RemoteEngineOptions {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(decoding, "decoding");
        model = model == null || model.isBlank() ? null : model.trim();
        apiKeyEnv = apiKeyEnv == null || apiKeyEnv.isBlank() ? null : apiKeyEnv.trim();
        serverKind = serverKind == null ? DEFAULT_SERVER_KIND : serverKind;
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        readTimeout = readTimeout == null ? DEFAULT_READ_TIMEOUT : readTimeout;
        firstBackoff = firstBackoff == null ? DEFAULT_FIRST_BACKOFF : firstBackoff;
        if (concurrency < 0 || concurrency > MAX_CONCURRENCY) {
            throw new UserException("--concurrency must be from 1 to " + MAX_CONCURRENCY + ", was " + concurrency);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative()
                || readTimeout.isZero()) {
            throw new UserException("timeouts must be longer than zero");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (firstBackoff.isNegative()) {
            throw new IllegalArgumentException("firstBackoff must not be negative");
        }
    }

    /** The server at {@code endpoint} with every default. */
    public static RemoteEngineOptions of(URI endpoint, String model, DecodingSettings decoding) {
        return new RemoteEngineOptions(endpoint, model, null, DEFAULT_SERVER_KIND, DEFAULT_CONCURRENCY,
                DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_MAX_ATTEMPTS, DEFAULT_FIRST_BACKOFF, decoding, null);
    }

    /** What links trace steps to the clauses they discuss without naming them (null: explicit citations only). */
    public RemoteEngineOptions withClauseRelevance(ClauseRelevance relevance) {
        return new RemoteEngineOptions(endpoint, model, apiKeyEnv, serverKind, concurrency, connectTimeout, readTimeout,
                maxAttempts, firstBackoff, decoding, relevance);
    }

    public RemoteEngineOptions withApiKeyEnv(String name) {
        return new RemoteEngineOptions(endpoint, model, name, serverKind, concurrency, connectTimeout, readTimeout,
                maxAttempts, firstBackoff, decoding, clauseRelevance);
    }

    public RemoteEngineOptions withServerKind(ServerKind kind) {
        return new RemoteEngineOptions(endpoint, model, apiKeyEnv, kind, concurrency, connectTimeout, readTimeout,
                maxAttempts, firstBackoff, decoding, clauseRelevance);
    }

    public RemoteEngineOptions withConcurrency(int n) {
        return new RemoteEngineOptions(endpoint, model, apiKeyEnv, serverKind, n, connectTimeout, readTimeout,
                maxAttempts, firstBackoff, decoding, clauseRelevance);
    }

    public RemoteEngineOptions withTimeouts(Duration connect, Duration read) {
        return new RemoteEngineOptions(endpoint, model, apiKeyEnv, serverKind, concurrency, connect, read,
                maxAttempts, firstBackoff, decoding, clauseRelevance);
    }

    public RemoteEngineOptions withRetries(int attempts, Duration first) {
        return new RemoteEngineOptions(endpoint, model, apiKeyEnv, serverKind, concurrency, connectTimeout, readTimeout,
                attempts, first, decoding, clauseRelevance);
    }

    /**
     * The API base URL a user typed, normalised: {@code http(s)://host[:port]} with no path gets {@code /v1}; a
     * trailing slash or a pasted {@code /chat/completions} is dropped. A user mistake when it is not an http(s) URL
     * with a host, or carries a user name, query or fragment (a key belongs in {@code --api-key-env}, not the URL).
     */
    public static URI endpoint(String text) {
        if (text == null || text.isBlank()) {
            throw new UserException("--engine remote needs --endpoint URL (e.g. http://127.0.0.1:8000/v1)");
        }
        String lower = text.trim().toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw new UserException("--endpoint must start with http:// or https://, was '" + text.trim() + "'");
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new UserException("--endpoint: not a URL: '" + text.trim() + "' (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new UserException("--endpoint must start with http:// or https://, was '" + text.trim() + "'");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new UserException("--endpoint has no host name: '" + text.trim() + "'");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new UserException("--endpoint must be a plain base URL (no user name, query or fragment); "
                    + "pass an API key with --api-key-env NAME");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.endsWith("/chat/completions")) {
            path = path.substring(0, path.length() - "/chat/completions".length());
        }
        if (path.isEmpty()) {
            path = "/v1";
        }
        try {
            return new URI(scheme, null, uri.getHost(), uri.getPort(), null, null, null).resolve(path);
        } catch (URISyntaxException e) {
            throw new UserException("--endpoint: not a URL: '" + text.trim() + "' (" + e.getReason() + ")");
        }
    }

    /**
     * The one line for an API key variable that is not set: names the variable, the flag and the workbench field that
     * name it, and how to set it. Shared by the remote engine and {@code rsafe serve}.
     */
    public static String missingKeyMessage(String variable) {
        return "the API key environment variable " + variable + " (named by --api-key-env, or 'Key variable' in the "
                + "workbench) is not set or empty; set it in the shell that starts rsafe (export " + variable
                + "=...) or clear the variable name to send no key";
    }

    /** {@code host:port} of the endpoint (the scheme's port when none is written): what the identity records. */
    public String hostAndPort() {
        return endpoint.getHost() + ":" + port();
    }

    int port() {
        if (endpoint.getPort() >= 0) {
            return endpoint.getPort();
        }
        return "https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80;
    }

    /** {@code base + "/" + path}. */
    URI resolve(String path) {
        return URI.create(endpoint.toString() + "/" + path);
    }
}
