package org.rsafe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.engine.llm.RandomModelWriter;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.serve.ChatServer;
import org.rsafe.serve.ServeOptions;
import org.rsafe.trace.Judgement;
import org.rsafe.util.UserException;

/**
 * {@code rsafe serve} over real HTTP on 127.0.0.1: the remote engine pointed at it judges exactly as the local engine
 * on the same tiny random model with greedy decoding, and the server answers OpenAI's shapes and errors.
 */
class ServingTest {
    static final int MAX_TOKENS = 6;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path model;
    static ChatServer server;
    static Policy policy;
    static HttpClient http;

    @BeforeAll
    static void startServer() throws Exception {
        model = dir.resolve("tiny-guard");
        RandomModelWriter.write(model, RandomModelWriter.Shape.TINY, 7, RandomModelWriter.Options.defaults());
        server = Serving.start(EngineSpec.llm(model), ServeOptions.defaults().withPort(0).withMaxTokensLimit(64), null);
        policy = PolicyLoader.loadOrThrow(Path.of("policies/rsafe-default.yaml"));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theRemoteEngineOnTheServedModelGivesTheLocalEnginesRawOutputAndStreamsIt() {
        JudgeRequest request = new JudgeRequest("r1", policy, "How do I bake bread at home?", null,
                TemplateKind.PAPER);
        EngineSpec remoteSpec = EngineSpec.remote(server.baseUrl()).withDecoding(DecodingPreset.GREEDY)
                .withMaxNewTokens(MAX_TOKENS);
        EngineSpec localSpec = EngineSpec.llm(model).withDecoding(DecodingPreset.GREEDY).withMaxNewTokens(MAX_TOKENS);
        StringBuilder streamed = new StringBuilder();
        Judgement remote;
        Judgement local;
        try (Engine remoteEngine = Engines.open(remoteSpec)) {
            remote = remoteEngine.judge(request, new JudgeListener() {
                @Override
                public void onToken(String requestId, String text) {
                    streamed.append(text);
                }
            }, Cancellation.none());
            assertThat(remoteEngine.identity().modelId()).isEqualTo("tiny-guard");
        }
        try (Engine localEngine = Engines.open(localSpec)) {
            local = localEngine.judge(request, JudgeListener.NONE, Cancellation.none());
        }

        assertThat(local.completionTokens()).isPositive();
        assertThat(remote.rawOutput()).isEqualTo(local.rawOutput());
        assertThat(streamed.toString()).isEqualTo(local.rawOutput());
        assertThat(remote.verdict()).isEqualTo(local.verdict());
        assertThat(remote.promptTokens()).isEqualTo(local.promptTokens());
        assertThat(remote.completionTokens()).isEqualTo(local.completionTokens());
    }

    @Test
    void paperSamplingThroughTheServerIsTheLocalEnginesSampling() {
        JudgeRequest request = new JudgeRequest("r2", policy, "Where can I buy a kitchen knife?", null,
                TemplateKind.PAPER);
        Judgement remote;
        Judgement local;
        try (Engine remoteEngine = Engines.open(EngineSpec.remote(server.baseUrl()).withMaxNewTokens(MAX_TOKENS))) {
            // The server names itself in its model list, so every sampling field the local engine uses is sent.
            assertThat(remoteEngine.identity().settings()).containsEntry("server_kind", "rsafe")
                    .containsEntry("decoding", "paper");
            remote = remoteEngine.judge(request, JudgeListener.NONE, Cancellation.none());
        }
        try (Engine localEngine = Engines.open(EngineSpec.llm(model).withMaxNewTokens(MAX_TOKENS))) {
            local = localEngine.judge(request, JudgeListener.NONE, Cancellation.none());
        }

        assertThat(remote.rawOutput()).isEqualTo(local.rawOutput());
    }

    @Test
    void theModelListNamesTheModelFolder() throws Exception {
        HttpResponse<String> r = get("/models", null);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("data").path(0).path("id").asText()).isEqualTo("tiny-guard");
        assertThat(body.path("data").size()).isEqualTo(1);
    }

    @Test
    void aRequestNotStreamedGetsOneChatCompletionWithUsage() throws Exception {
        HttpResponse<String> r = post("/chat/completions", "{\"model\":\"tiny-guard\",\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0,\"max_tokens\":3}", null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("choices").path(0).path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(body.path("choices").path(0).path("message").path("content").isTextual()).isTrue();
        assertThat(body.path("choices").path(0).path("finish_reason").asText()).isIn("stop", "length");
        assertThat(body.path("usage").path("completion_tokens").asInt()).isBetween(1, 3);
        assertThat(body.path("usage").path("total_tokens").asInt()).isEqualTo(
                body.path("usage").path("prompt_tokens").asInt() + body.path("usage").path("completion_tokens").asInt());
    }

    @Test
    void aStreamedRequestEndsWithAUsageChunkAndDone() throws Exception {
        HttpResponse<String> r = post("/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"temperature\":0,\"max_tokens\":2,\"stream\":true}", null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        String[] events = r.body().split("\n\n");
        assertThat(events[events.length - 1]).isEqualTo("data: [DONE]");
        JsonNode usage = JSON.readTree(events[events.length - 2].substring("data: ".length()));
        assertThat(usage.path("usage").path("completion_tokens").asInt()).isBetween(1, 2);
        JsonNode finish = JSON.readTree(events[events.length - 3].substring("data: ".length()));
        assertThat(finish.path("choices").path(0).path("finish_reason").asText()).isIn("stop", "length");
    }

    @Test
    void anUnknownModelIsAnswered404InOpenAisErrorShape() throws Exception {
        HttpResponse<String> r = post("/chat/completions", "{\"model\":\"gpt-9\",\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"hi\"}]}", null);

        assertThat(r.statusCode()).isEqualTo(404);
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("model_not_found");
        assertThat(error.path("message").asText()).contains("gpt-9");
    }

    @Test
    void theRemoteEngineAskingForAnUnknownModelStopsWithOneLine() {
        EngineSpec spec = EngineSpec.remote(server.baseUrl());
        EngineSpec unknown = spec.withRemote(spec.remote().withModel("gpt-9"));

        assertThatThrownBy(() -> Engines.open(unknown)).isInstanceOf(UserException.class)
                .hasMessageContaining("does not serve model 'gpt-9'");
    }

    @Test
    void badRequestsAreAnswered400WithTheFieldAtFault() throws Exception {
        Map<String, String> bodies = Map.of(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":65}", "max_tokens",
                "{\"messages\":[]}", "messages",
                "{\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}", "messages",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"}", "temperature");
        for (Map.Entry<String, String> e : bodies.entrySet()) {
            HttpResponse<String> r = post("/chat/completions", e.getKey(), null);
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(400);
            JsonNode error = JSON.readTree(r.body()).path("error");
            assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(error.path("param").asText()).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(post("/chat/completions", "{not json", null).statusCode()).isEqualTo(400);
    }

    @Test
    void aBodyOverTheLimitIsAnswered413() throws Exception {
        String big = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(ServeOptions.DEFAULT_MAX_REQUEST_BYTES)
                + "\"}]}";

        assertThat(post("/chat/completions", big, null).statusCode()).isEqualTo(413);
    }

    @Test
    void withAKeyRequestsWithoutItAreAnswered401AndWithItServed() throws Exception {
        try (ChatServer keyed = Serving.start(EngineSpec.llm(model), ServeOptions.defaults().withPort(0),
                "RSAFE_TEST_KEY", name -> name.equals("RSAFE_TEST_KEY") ? "s3cret" : null)) {
            HttpResponse<String> none = get(keyed, "/models", null);
            HttpResponse<String> wrong = get(keyed, "/models", "guess");
            HttpResponse<String> right = get(keyed, "/models", "s3cret");

            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(JSON.readTree(none.body()).path("error").path("type").asText())
                    .isEqualTo("authentication_error");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(right.statusCode()).isEqualTo(200);
            assertThat(none.body()).doesNotContain("s3cret");
            assertThatThrownBy(() -> Engines.open(EngineSpec.remote(keyed.baseUrl())))
                    .isInstanceOf(UserException.class).hasMessageContaining("HTTP 401");
        }
    }

    @Test
    void theServerBindsTheLoopbackAddressByDefault() {
        assertThat(server.baseUrl()).startsWith("http://127.0.0.1:");
        assertThat(ServeOptions.defaults().port()).isEqualTo(8000);
    }

    @Test
    void onlyTheLocalLlmCanBeServedAndAMissingKeyVariableIsAUserMistake() {
        assertThatThrownBy(() -> Serving.start(EngineSpec.quick(), ServeOptions.defaults().withPort(0), null))
                .isInstanceOf(UserException.class).hasMessageContaining("local LLM only");
        assertThatThrownBy(() -> Serving.start(EngineSpec.llm(model), ServeOptions.defaults().withPort(0), "NOPE",
                name -> null)).isInstanceOf(UserException.class).hasMessageContaining("NOPE");
    }

    @Test
    void aPromptAndMaxTokensBeyondTheModelsContextAreAnswered400() throws Exception {
        try (ChatServer roomy = Serving.start(EngineSpec.llm(model), ServeOptions.defaults().withPort(0), null)) {
            HttpResponse<String> r = post(roomy, "/chat/completions", "{\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"hi\"}],\"max_tokens\":2047}");

            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("error").path("code").asText())
                    .isEqualTo("context_length_exceeded");
        }
    }

    @Test
    void closingTheServerCancelsAStreamInFlightAndReturnsPromptly() throws Exception {
        ChatServer doomed = Serving.start(EngineSpec.llm(model), ServeOptions.defaults().withPort(0), null);
        HttpRequest request = HttpRequest.newBuilder(URI.create(doomed.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"temperature\":0,\"max_tokens\":1900,\"stream\":true}")).build();
        HttpResponse<java.util.stream.Stream<String>> r = http.send(request, HttpResponse.BodyHandlers.ofLines());
        java.util.Iterator<String> lines = r.body().iterator();
        assertThat(lines.next()).startsWith("data: ");

        long start = System.nanoTime();
        doomed.close();
        long millis = (System.nanoTime() - start) / 1_000_000;

        StringBuilder rest = new StringBuilder();
        try {
            // Bounded: the server has stopped, so the body ends (or breaks off) at once.
            while (lines.hasNext()) {
                rest.append(lines.next()).append('\n');
            }
        } catch (java.io.UncheckedIOException brokenOff) {
            // The connection was closed under the stream: as good an end as any.
        }
        assertThat(millis).isLessThan(15_000);
        assertThat(rest.toString()).doesNotContain("[DONE]");
    }

    static HttpResponse<String> get(String path, String key) throws Exception {
        return get(server, path, key);
    }

    static HttpResponse<String> get(ChatServer s, String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).GET()
                .timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(ChatServer s, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + path))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
