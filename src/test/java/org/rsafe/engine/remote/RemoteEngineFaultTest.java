package org.rsafe.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.rsafe.engine.remote.FakeOpenAiServer.after;
import static org.rsafe.engine.remote.FakeOpenAiServer.body;
import static org.rsafe.engine.remote.FakeOpenAiServer.fixture;
import static org.rsafe.engine.remote.FakeOpenAiServer.longStream;
import static org.rsafe.engine.remote.FakeOpenAiServer.sse;
import static org.rsafe.engine.remote.FakeOpenAiServer.status;
import static org.rsafe.engine.remote.RemoteEngineTest.options;
import static org.rsafe.engine.remote.RemoteEngineTest.request;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.Verdict;
import org.rsafe.util.UserException;

/** How the remote engine meets busy, broken, slow, unreachable and refusing servers, and cancellation. */
class RemoteEngineFaultTest {
    static final Duration QUICK_BACKOFF = Duration.ofMillis(10);

    @BeforeAll
    static void loadPolicy() {
        RemoteEngineTest.loadPolicy();
    }

    static RemoteEngineOptions quickRetries(FakeOpenAiServer server, int attempts) {
        return options(server, null).withRetries(attempts, QUICK_BACKOFF);
    }

    static String errorOf(Judgement j) {
        assertThat(j.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(j.answer()).isNull();
        assertThat(j.engineError()).isTrue();
        assertThat(j.parseFailure()).isFalse();
        assertThat(j.steps()).hasSize(1);
        assertThat(j.steps().get(0).text()).contains(j.error());
        return j.steps().get(0).text();
    }

    @Test
    void a429WithRetryAfterIsWaitedOutThenTriedAgain() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(
                status(429, fixture("error-429.json"), Map.of("Retry-After", "1")),
                sse(fixture("vllm-stream-reasoning.sse"), 0));
             RemoteEngine engine = RemoteEngine.open(quickRetries(server, 4))) {
            long start = System.nanoTime();
            Judgement j = engine.judge(request("r", RemoteEngineTest.BOMB));
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(j.verdict()).isEqualTo(Verdict.UNSAFE);
            assertThat(server.chatCalls()).isEqualTo(2);
            assertThat(millis).as("waited for Retry-After: 1").isGreaterThanOrEqualTo(950);
        }
    }

    @Test
    void triesAreBoundedAndARequestStillFailingBecomesAnErrorRow() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(status(503, fixture("error-503.json")));
             RemoteEngine engine = RemoteEngine.open(quickRetries(server, 3))) {
            Judgement j = engine.judge(request("r", "hello"));

            assertThat(server.chatCalls()).isEqualTo(3);
            assertThat(errorOf(j)).startsWith("Remote server error: HTTP 503")
                    .contains("The server is overloaded", "after 3 tries");
            assertThat(j.rawOutput()).isEmpty();
            assertThat(j.engine()).isEqualTo(engine.identity());
        }
    }

    @Test
    void aRequestTheServerRefusesForItselfIsAnErrorRowWithoutRetrying() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(status(400, fixture("vllm-error-400-context.json")));
             RemoteEngine engine = RemoteEngine.open(quickRetries(server, 4))) {
            Judgement j = engine.judge(request("r", "a very long prompt"));

            assertThat(server.chatCalls()).isEqualTo(1);
            assertThat(errorOf(j)).contains("HTTP 400", "maximum context length is 4096 tokens");
        }
    }

    @Test
    void aBatchGoesOnPastAnErrorRowAndKeepsRequestOrder() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(status(400, fixture("vllm-error-400-context.json")),
                sse(fixture("vllm-stream-reasoning.sse"), 0));
             RemoteEngine engine = RemoteEngine.open(quickRetries(server, 2).withConcurrency(1))) {
            List<Judgement> out = engine.judgeBatch(List.of(request("a", "x"), request("b", "y"), request("c", "z")),
                    JudgeListener.NONE, Cancellation.none());

            assertThat(out).extracting(Judgement::verdict)
                    .containsExactly(Verdict.UNKNOWN, Verdict.UNSAFE, Verdict.UNSAFE);
        }
    }

    @Test
    void garbageInTheStreamIsAnErrorRow() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(sse(fixture("garbage.sse"), 0),
                body("text/event-stream", "this is not an event stream\n\n"));
             RemoteEngine engine = RemoteEngine.open(quickRetries(server, 2))) {
            assertThat(errorOf(engine.judge(request("r", "x")))).contains("not JSON");
            assertThat(errorOf(engine.judge(request("r", "x")))).contains("not an event field");
        }
    }

    @Test
    void aTenMegabyteAnswerIsCutAtTheLimitAndIsAnErrorRowNamingIt() {
        // One event of 10 MB of text, then a whole JSON answer of 10 MB: neither is read past the engine's limits.
        String piece = "x".repeat(10 * 1024 * 1024);
        String event = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + piece + "\"}}]}\n\n";
        String whole = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + piece
                + "\"}}]}";
        try (FakeOpenAiServer server = FakeOpenAiServer.start(body("text/event-stream", event),
                body("application/json", whole));
             RemoteEngine engine = RemoteEngine.open(quickRetries(server, 1))) {
            String streamed = errorOf(engine.judge(request("r", "x")));
            String unstreamed = errorOf(engine.judge(request("r", "x")));

            assertThat(streamed).containsIgnoringCase("limit");
            assertThat(unstreamed).containsIgnoringCase("limit");
        }
    }

    @Test
    void anErrorSentInsideTheStreamIsAnErrorRow() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(sse(fixture("midstream-error.sse"), 0));
             RemoteEngine engine = RemoteEngine.open(quickRetries(server, 2))) {
            assertThat(errorOf(engine.judge(request("r", "x")))).contains("CUDA out of memory while decoding");
        }
    }

    @Test
    void aStreamCutOffBeforeItsEndIsTriedAgain() {
        String cut = "data: {\"model\":\"rsafe-7b\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"<think>\"},"
                + "\"finish_reason\":null}]}\n\n";
        try (FakeOpenAiServer server = FakeOpenAiServer.start(sse(cut, 0),
                sse(fixture("vllm-stream-reasoning.sse"), 0));
             RemoteEngine engine = RemoteEngine.open(quickRetries(server, 3))) {
            assertThat(engine.judge(request("r", "x")).verdict()).isEqualTo(Verdict.UNSAFE);
            assertThat(server.chatCalls()).isEqualTo(2);
        }
    }

    @Test
    void aServerSlowerThanTheReadTimeoutFailsThatRequestInTime() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(after(8_000,
                sse(fixture("vllm-stream-reasoning.sse"), 0)));
             RemoteEngine engine = RemoteEngine.open(quickRetries(server, 3)
                     .withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(2_000)))) {
            long start = System.nanoTime();
            Judgement j = engine.judge(request("r", "x"));
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(errorOf(j)).contains("read timeout");
            assertThat(server.chatCalls()).as("a timeout is not retried").isEqualTo(1);
            assertThat(millis).isBetween(1_900L, 6_000L);
        }
    }

    @Test
    void concurrencyKeepsThatManyRequestsInFlightTogether() {
        // Each answer takes about 6 × 60 ms, so 8 requests one at a time would never overlap.
        try (FakeOpenAiServer server = FakeOpenAiServer.start(sse(fixture("vllm-stream-reasoning.sse"), 60));
             RemoteEngine engine = RemoteEngine.open(quickRetries(server, 2).withConcurrency(4))) {
            assertThat(engine.preferredBatchSize()).isEqualTo(4);
            List<JudgeRequest> requests = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                requests.add(request("row-" + i, "prompt " + i));
            }
            List<Judgement> out = engine.judgeBatch(requests, JudgeListener.NONE, Cancellation.none());

            assertThat(out).hasSize(8).allMatch(j -> j.verdict() == Verdict.UNSAFE);
            assertThat(server.maxInFlight()).isGreaterThanOrEqualTo(4);
            // Results keep request order: each judgement carries its own request's prompt.
            for (int i = 0; i < 8; i++) {
                assertThat(out.get(i).renderedPrompt()).contains("prompt " + i);
            }
        }
    }

    @Test
    void cancellingStopsTheStreamAndClosesTheConnection() throws InterruptedException {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(longStream(300, 20));
             RemoteEngine engine = RemoteEngine.open(quickRetries(server, 1))) {
            Cancellation cancellation = new Cancellation();
            AtomicInteger tokens = new AtomicInteger();
            long start = System.nanoTime();
            assertThatThrownBy(() -> engine.judge(request("r", "x"), new JudgeListener() {
                @Override
                public void onToken(String requestId, String text) {
                    if (tokens.incrementAndGet() == 3) {
                        cancellation.cancel();
                    }
                }
            }, cancellation)).isInstanceOf(CancellationException.class);
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(millis).as("300 chunks would take 6 s").isLessThan(3_000);
            // The server notices at its next write; 100 × 50 ms bounds the wait.
            for (int i = 0; i < 100 && server.streamsLeftEarly() == 0; i++) {
                Thread.sleep(50);
            }
            assertThat(server.streamsLeftEarly()).isEqualTo(1);
        }
    }

    @Test
    void cancellingABatchStopsEveryRequestInFlight() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(longStream(300, 20));
             RemoteEngine engine = RemoteEngine.open(quickRetries(server, 1).withConcurrency(3))) {
            Cancellation cancellation = new Cancellation();
            AtomicInteger tokens = new AtomicInteger();
            long start = System.nanoTime();
            assertThatThrownBy(() -> engine.judgeBatch(List.of(request("a", "x"), request("b", "y"),
                    request("c", "z")), new JudgeListener() {
                        @Override
                        public void onToken(String requestId, String text) {
                            if (tokens.incrementAndGet() == 10) {
                                cancellation.cancel();
                            }
                        }
                    }, cancellation)).isInstanceOf(CancellationException.class);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);
        }
    }

    @Test
    void aRefusedKeyIsOneLineNamingTheKeyVariable() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start().models(401, fixture("openai-error-401.json"))) {
            assertThatThrownBy(() -> RemoteEngine.open(options(server, null).withApiKeyEnv("MY_KEY"),
                    name -> "wrong"))
                    .isInstanceOf(UserException.class)
                    .hasMessageContaining("HTTP 401")
                    .hasMessageContaining("Incorrect API key provided")
                    .hasMessageContaining("MY_KEY")
                    .hasMessageNotContaining("wrong")
                    .hasMessageNotContaining("\n");
            assertThatThrownBy(() -> RemoteEngine.open(options(server, null)))
                    .isInstanceOf(UserException.class)
                    .hasMessageContaining("--api-key-env");
        }
    }

    @Test
    void anUnsetKeyVariableIsAUserError() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            assertThatThrownBy(() -> RemoteEngine.open(options(server, null).withApiKeyEnv("NO_SUCH_KEY"),
                    name -> null))
                    .isInstanceOf(UserException.class)
                    .hasMessageContaining("API key environment variable NO_SUCH_KEY").hasMessageContaining("--api-key-env")
                    .hasMessageContaining("Key variable").hasMessageContaining("not set");
        }
    }

    @Test
    void anUnknownModelIsAUserErrorListingTheServedModels() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            assertThatThrownBy(() -> RemoteEngine.open(options(server, "rsafe-8b")))
                    .isInstanceOf(UserException.class)
                    .hasMessageContaining("does not serve model 'rsafe-8b'")
                    .hasMessageContaining("rsafe-7b");
        }
    }

    @Test
    void aModelTheServerRefusesAtChatTimeIsAUserError() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(status(404, fixture("vllm-error-404-model.json")));
             RemoteEngine engine = RemoteEngine.open(quickRetries(server, 3))) {
            assertThatThrownBy(() -> engine.judge(request("r", "x")))
                    .isInstanceOf(UserException.class)
                    .hasMessageContaining("HTTP 404")
                    .hasMessageContaining("The model `rsafe-8b` does not exist.");
            assertThat(server.chatCalls()).isEqualTo(1);
        }
    }

    @Test
    void aWrongPathIsAUserError() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            URI wrong = URI.create(server.url().replace("/v1", "/api"));
            assertThatThrownBy(() -> RemoteEngine.open(RemoteEngineOptions.of(wrong, null, RemoteEngineTest.PAPER)))
                    .isInstanceOf(UserException.class)
                    .hasMessageContaining("HTTP 404 from GET " + wrong + "/models")
                    .hasMessageContaining("--endpoint");
        }
    }

    @Test
    void aRefusedConnectionIsOneLine() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + port + "/v1");
        assertThatThrownBy(() -> RemoteEngine.open(RemoteEngineOptions.of(url, "m", RemoteEngineTest.PAPER)))
                .isInstanceOf(UserException.class)
                .hasMessageStartingWith("could not connect to GET " + url + "/models")
                .hasMessageContaining("is the server running")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aServerThatGoesAwayMidRunStopsTheRunAfterItsTries() {
        FakeOpenAiServer server = FakeOpenAiServer.start(sse(fixture("vllm-stream-reasoning.sse"), 0));
        try (RemoteEngine engine = RemoteEngine.open(quickRetries(server, 2))) {
            server.close();
            assertThatThrownBy(() -> engine.judge(request("r", "x")))
                    .isInstanceOf(UserException.class)
                    .hasMessageContaining("could not connect")
                    .hasMessageContaining("after 2 tries");
        }
    }
}
