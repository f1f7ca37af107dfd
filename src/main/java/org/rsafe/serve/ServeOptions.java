package org.rsafe.serve;

import java.util.Objects;

/**
 * How {@code rsafe serve} listens, what it accepts and how it batches.
 *
 * @param host             address to bind ({@value #DEFAULT_HOST} by default, so only this machine can connect)
 * @param port             port to bind ({@value #DEFAULT_PORT} by default; 0 = any free port)
 * @param apiKey           the bearer token every {@code /v1} request must carry, or null for none; never printed
 * @param maxRequestBytes  longest request body accepted (1 MiB by default); a longer one is answered 413
 * @param maxTokensLimit   largest {@code max_tokens} a request may ask for (4096 by default); more is answered 400
 * @param defaultMaxTokens {@code max_tokens} of a request that gives none (RSafe's 512)
 * @param workers          threads that take requests (they wait while their request generates, so more than
 *                         {@code maxBatch} of them are needed to fill a batch)
 * @param maxBatch         most requests generated together ({@value #DEFAULT_MAX_BATCH} by default; 1 = one at a time)
 * @param batchWaitMillis  longest a request that finds the model idle waits for company before its batch starts
 *                         ({@value #DEFAULT_BATCH_WAIT_MILLIS} ms by default; 0 = never waits)
 */
public record ServeOptions(String host, int port, String apiKey, int maxRequestBytes, int maxTokensLimit,
                           int defaultMaxTokens, int workers, int maxBatch, int batchWaitMillis) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8000;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_TOKENS_LIMIT = 4096;
    public static final int DEFAULT_MAX_TOKENS = 512;
    public static final int DEFAULT_WORKERS = 64;
    public static final int DEFAULT_MAX_BATCH = 16;
    public static final int DEFAULT_BATCH_WAIT_MILLIS = 5;
    /** Longest wait for company that may be configured: a request must never wait long for others. */
    public static final int MAX_BATCH_WAIT_MILLIS = 1000;

    public ServeOptions {
        host = host == null || host.isBlank() ? DEFAULT_HOST : host.trim();
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be from 0 to 65535, was " + port);
        }
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("maxRequestBytes must be at least 1024, was " + maxRequestBytes);
        }
        if (maxTokensLimit < 1 || defaultMaxTokens < 1 || defaultMaxTokens > maxTokensLimit) {
            throw new IllegalArgumentException("need 1 <= defaultMaxTokens (" + defaultMaxTokens
                    + ") <= maxTokensLimit (" + maxTokensLimit + ")");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
        }
        if (batchWaitMillis < 0 || batchWaitMillis > MAX_BATCH_WAIT_MILLIS) {
            throw new IllegalArgumentException("batchWaitMillis must be from 0 to " + MAX_BATCH_WAIT_MILLIS
                    + ", was " + batchWaitMillis);
        }
    }

    /** Every default: 127.0.0.1:8000, no key, batches of up to 16 formed within 5 ms. */
    public static ServeOptions defaults() {
        return new ServeOptions(DEFAULT_HOST, DEFAULT_PORT, null, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_TOKENS_LIMIT,
                DEFAULT_MAX_TOKENS, DEFAULT_WORKERS, DEFAULT_MAX_BATCH, DEFAULT_BATCH_WAIT_MILLIS);
    }

    public ServeOptions withHost(String h) {
        return new ServeOptions(h, port, apiKey, maxRequestBytes, maxTokensLimit, defaultMaxTokens, workers, maxBatch,
                batchWaitMillis);
    }

    public ServeOptions withPort(int p) {
        return new ServeOptions(host, p, apiKey, maxRequestBytes, maxTokensLimit, defaultMaxTokens, workers, maxBatch,
                batchWaitMillis);
    }

    public ServeOptions withApiKey(String key) {
        return new ServeOptions(host, port, key, maxRequestBytes, maxTokensLimit, defaultMaxTokens, workers, maxBatch,
                batchWaitMillis);
    }

    public ServeOptions withMaxRequestBytes(int n) {
        return new ServeOptions(host, port, apiKey, n, maxTokensLimit, defaultMaxTokens, workers, maxBatch,
                batchWaitMillis);
    }

    public ServeOptions withMaxTokensLimit(int n) {
        return new ServeOptions(host, port, apiKey, maxRequestBytes, n, Math.min(defaultMaxTokens, n), workers,
                maxBatch, batchWaitMillis);
    }

    /** At most {@code n} requests per batch; the request threads grow to keep batches fillable. */
    public ServeOptions withMaxBatch(int n) {
        return new ServeOptions(host, port, apiKey, maxRequestBytes, maxTokensLimit, defaultMaxTokens,
                Math.max(workers, 4 * n), n, batchWaitMillis);
    }

    public ServeOptions withBatchWaitMillis(int millis) {
        return new ServeOptions(host, port, apiKey, maxRequestBytes, maxTokensLimit, defaultMaxTokens, workers,
                maxBatch, millis);
    }

    @Override
    public String toString() {
        // The key never reaches a log line through this record.
        return "ServeOptions[host=" + host + ", port=" + port + ", apiKey=" + (apiKey == null ? "none" : "***")
                + ", maxRequestBytes=" + maxRequestBytes + ", maxTokensLimit=" + maxTokensLimit
                + ", defaultMaxTokens=" + defaultMaxTokens + ", workers=" + workers + ", maxBatch=" + maxBatch
                + ", batchWaitMillis=" + batchWaitMillis + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServeOptions s && host.equals(s.host) && port == s.port && Objects.equals(apiKey, s.apiKey)
                && maxRequestBytes == s.maxRequestBytes && maxTokensLimit == s.maxTokensLimit
                && defaultMaxTokens == s.defaultMaxTokens && workers == s.workers && maxBatch == s.maxBatch
                && batchWaitMillis == s.batchWaitMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, apiKey, maxRequestBytes, maxTokensLimit, defaultMaxTokens, workers, maxBatch,
                batchWaitMillis);
    }
}
