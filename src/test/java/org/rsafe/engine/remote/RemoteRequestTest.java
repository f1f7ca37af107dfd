package org.rsafe.engine.remote;

import org.rsafe.engine.DecodingSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.rsafe.engine.remote.FakeOpenAiServer.fixture;
import static org.rsafe.engine.remote.FakeOpenAiServer.sse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rsafe.util.UserException;

/** What the remote engine sends: the RSafe prompt as one user message, and the decoding fields each server takes. */
class RemoteRequestTest {
    static final DecodingSettings GREEDY = DecodingSettings.greedyPreset().withMaxNewTokens(256);

    @BeforeAll
    static void loadPolicy() {
        RemoteEngineTest.loadPolicy();
    }

    static JsonNode sentFor(ServerKind kind, DecodingSettings decoding) throws Exception {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(sse(fixture("vllm-stream-reasoning.sse"), 0));
             RemoteEngine engine = RemoteEngine.open(RemoteEngineOptions.of(URI.create(server.url()), null, decoding)
                     .withServerKind(kind))) {
            engine.judge(RemoteEngineTest.request("r", RemoteEngineTest.BOMB));
            return new ObjectMapper().readTree(server.chatBodies().get(0));
        }
    }

    @Test
    void theRsafePromptIsSentAsOneUserMessageWithNoSystemTurn() throws Exception {
        JsonNode body = sentFor(ServerKind.VLLM, RemoteEngineTest.PAPER);

        assertThat(body.get("model").asText()).isEqualTo("rsafe-7b");
        assertThat(body.get("messages")).hasSize(1);
        assertThat(body.at("/messages/0/role").asText()).isEqualTo("user");
        assertThat(body.at("/messages/0/content").asText())
                .isEqualTo(RemoteEngine.userMessage(RemoteEngineTest.request("r", RemoteEngineTest.BOMB)))
                .doesNotContain("<|im_start|>");
        assertThat(body.get("stream").asBoolean()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            vllm     | temperature=0.7 top_p=0.8 top_k=-1 repetition_penalty=1.05 max_tokens=512 seed=42 | true
            sglang   | temperature=0.7 top_p=0.8 top_k=-1 repetition_penalty=1.05 max_tokens=512 seed=42 | true
            ollama   | temperature=0.7 top_p=0.8 max_tokens=512 seed=42                                   | true
            llamacpp | temperature=0.7 top_p=0.8 top_k=0 repeat_penalty=1.05 max_tokens=512 seed=42      | false
            generic  | temperature=0.7 top_p=0.8 max_tokens=512 seed=42                                   | false
            """)
    void thePaperPresetIsSentAsTheFieldsEachServerKindTakes(String kind, String fields, boolean usage)
            throws Exception {
        JsonNode body = sentFor(ServerKind.parse(kind), RemoteEngineTest.PAPER);

        assertThat(decodingFields(body)).isEqualTo(fields);
        assertThat(body.has("stream_options")).isEqualTo(usage);
    }

    @Test
    void greedyIsTemperatureZeroWithNeutralFiltersAndNoSeed() throws Exception {
        assertThat(decodingFields(sentFor(ServerKind.VLLM, GREEDY)))
                .isEqualTo("temperature=0.0 top_p=1.0 top_k=-1 repetition_penalty=1.0 max_tokens=256");
    }

    /** The decoding fields of a request body, in order, as {@code name=value} words. */
    static String decodingFields(JsonNode body) {
        StringBuilder s = new StringBuilder();
        body.fields().forEachRemaining(e -> {
            if (!List.of("model", "messages", "stream", "stream_options").contains(e.getKey())) {
                s.append(s.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue().asText());
            }
        });
        return s.toString();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            http://127.0.0.1:8000/v1                     | http://127.0.0.1:8000/v1
            http://127.0.0.1:8000                        | http://127.0.0.1:8000/v1
            http://127.0.0.1:8000/                       | http://127.0.0.1:8000/v1
            https://gpu-box.example/v1/                  | https://gpu-box.example/v1
            http://localhost:11434/v1/chat/completions   | http://localhost:11434/v1
            HTTP://Example.org:30000/openai/v1           | http://Example.org:30000/openai/v1
            """)
    void anEndpointIsNormalisedToTheApiBaseUrl(String typed, String base) {
        assertThat(RemoteEngineOptions.endpoint(typed)).hasToString(base);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ftp://127.0.0.1/v1               | must start with http:// or https://
            127.0.0.1:8000                   | must start with http:// or https://
            http://user:secret@host:8000/v1  | no user name, query or fragment
            http://host:8000/v1?key=abc      | no user name, query or fragment
            http:///v1                       | no host name
            'http://bad host/v1'             | not a URL
            """)
    void aMalformedEndpointIsAUserMistake(String typed, String message) {
        assertThatThrownBy(() -> RemoteEngineOptions.endpoint(typed)).isInstanceOf(UserException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "owned_by={0}, port {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            vllm     | 8000  | VLLM
            sglang   | 30000 | SGLANG
            llamacpp | 8080  | LLAMACPP
            library  | 80    | OLLAMA
            ''       | 11434 | OLLAMA
            openai   | 443   | GENERIC
            ''       | 8000  | GENERIC
            """)
    void theServerKindIsDetectedFromTheModelListOrThePort(String ownedBy, int port, ServerKind kind) {
        assertThat(ServerKind.detect(ownedBy, port)).isEqualTo(kind);
    }

    @Test
    void retryAfterIsReadInSecondsOrAsADateAndCapped() {
        assertThat(ServerErrors.retryAfter(headers("Retry-After", "3"))).contains(Duration.ofSeconds(3));
        assertThat(ServerErrors.retryAfter(headers("Retry-After", "3600"))).contains(ServerErrors.MAX_RETRY_AFTER);
        assertThat(ServerErrors.retryAfter(headers("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")))
                .contains(Duration.ZERO);
        assertThat(ServerErrors.retryAfter(headers("Retry-After", "soon"))).isEmpty();
        assertThat(ServerErrors.retryAfter(headers("X-Other", "1"))).isEmpty();
    }

    @Test
    void errorBodiesOfEachShapeGiveTheirMessage() {
        assertThat(ServerErrors.fromBody(fixture("openai-error-401.json"))).isEqualTo("Incorrect API key provided.");
        assertThat(ServerErrors.fromBody(fixture("vllm-error-404-model.json")))
                .isEqualTo("The model `rsafe-8b` does not exist.");
        assertThat(ServerErrors.fromBody("{\"error\":\"model 'x' not found\"}")).isEqualTo("model 'x' not found");
        assertThat(ServerErrors.fromBody("{\"detail\":\"Not Found\"}")).isEqualTo("Not Found");
        assertThat(ServerErrors.fromBody("<html>\n<body>Bad Gateway</body>\n</html>"))
                .isEqualTo("<html> <body>Bad Gateway</body> </html>");
    }

    @Test
    void backoffDoublesWithJitterUpToItsCapAndRetryAfterWins() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start();
             RemoteEngine engine = RemoteEngine.open(RemoteEngineOptions.of(URI.create(server.url()), null,
                     RemoteEngineTest.PAPER).withRetries(4, Duration.ofMillis(1000)))) {
            assertThat(engine.backoff(1, null).toMillis()).isBetween(750L, 1250L);
            assertThat(engine.backoff(3, null).toMillis()).isBetween(3000L, 5000L);
            assertThat(engine.backoff(12, null)).isLessThanOrEqualTo(RemoteEngine.MAX_BACKOFF.multipliedBy(5)
                    .dividedBy(4));
            assertThat(engine.backoff(2, Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        }
    }

    private static HttpHeaders headers(String name, String value) {
        return HttpHeaders.of(Map.of(name, List.of(value)), (a, b) -> true);
    }
}
