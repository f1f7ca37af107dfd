package org.rsafe.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.llm.DeviceChoice;
import org.rsafe.engine.llm.LocalModel;
import org.rsafe.engine.llm.RandomModelWriter;

/**
 * Batching in {@code rsafe serve} over real HTTP on a tiny random model: requests that arrive together are generated
 * as one batch (seen in the server's batch statistics), each gets the greedy answer it gets alone, streamed or not,
 * and a client that leaves mid-answer stops only its own generation.
 */
class ChatServerBatchingTest {
    static final int N = 4;
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> QUESTIONS = List.of("Is bread allowed?", "How do I sharpen a kitchen knife safely?",
            "hi", "Tell me a long story about a lighthouse keeper and the sea.");

    @TempDir
    static Path dir;
    static Path folder;
    static HttpClient http;

    @BeforeAll
    static void model() throws Exception {
        folder = dir.resolve("sharp");
        // A larger init std makes greedy choices clear-cut rather than near-ties between batch shapes.
        RandomModelWriter.write(folder, RandomModelWriter.Shape.TINY, 5,
                RandomModelWriter.Options.defaults().withInitStd(0.2));
        // Without end-of-sequence ids every generation runs to its max_tokens, so a long one really holds the model.
        for (String file : List.of("config.json", "generation_config.json")) {
            ObjectNode json = (ObjectNode) JSON.readTree(folder.resolve(file).toFile());
            json.remove("eos_token_id");
            JSON.writeValue(folder.resolve(file).toFile(), json);
        }
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void close() {
        http = null;
    }

    static ChatServer start(ServeOptions options) {
        return ChatServer.start(new LocalServedModel(LocalModel.open(folder, null, DeviceChoice.parse("cpu"))),
                options.withPort(0));
    }

    static String body(String question, int maxTokens, boolean stream) {
        return JSON.createObjectNode().put("temperature", 0).put("max_tokens", maxTokens).put("stream", stream)
                .set("messages", JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user")
                        .put("content", question))).toString();
    }

    static CompletableFuture<HttpResponse<String>> post(ChatServer s, String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer's text, whole or put together from its stream. */
    static String text(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        if (!r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            return JSON.readTree(r.body()).path("choices").path(0).path("message").path("content").asText();
        }
        StringBuilder sb = new StringBuilder();
        assertThat(r.body()).endsWith("data: [DONE]\n\n");
        for (String event : r.body().split("\n\n")) {
            if (!event.equals("data: [DONE]")) {
                JsonNode chunk = JSON.readTree(event.substring("data: ".length()));
                sb.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
            }
        }
        return sb.toString();
    }

    /**
     * Holds the model with a long streamed generation from a raw socket, so the requests sent meanwhile queue up;
     * closing the socket ends it.
     */
    static Socket occupy(ChatServer s) throws Exception {
        Socket socket = new Socket("127.0.0.1", s.port());
        byte[] json = body("keep the model busy", 1900, true).getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + json.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(json);
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        // Read until the first piece of generated text: the model is busy from then on.
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith("data: ") && line.contains("\"finish_reason\":null")) {
                break;
            }
        }
        return socket;
    }

    static void awaitQueued(ChatServer s, int n) throws InterruptedException {
        // Waits for the state asserted on, not for a time: the requests are in the batcher's queue.
        while (s.batchStats().queued() < n) {
            Thread.sleep(5);
        }
    }

    @Test
    void requestsArrivingTogetherAreOneBatchAndGetTheirSequentialGreedyAnswers() throws Exception {
        List<String> alone = new ArrayList<>();
        try (ChatServer sequential = start(ServeOptions.defaults().withMaxBatch(1))) {
            for (String q : QUESTIONS) {
                alone.add(text(post(sequential, body(q, 8, false)).get()));
            }
            assertThat(sequential.batchStats().largestBatch()).isEqualTo(1);
        }
        try (ChatServer batching = start(ServeOptions.defaults().withMaxBatch(N)
                .withBatchWaitMillis(ServeOptions.MAX_BATCH_WAIT_MILLIS))) {
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            try (Socket busy = occupy(batching)) {
                for (int i = 0; i < N; i++) {
                    // Half streamed, half whole: both kinds share a batch.
                    answers.add(post(batching, body(QUESTIONS.get(i), 8, i % 2 == 0)));
                }
                awaitQueued(batching, N);
            }
            // The busy client is gone: its generation stops, and the queued requests go as one batch.
            for (int i = 0; i < N; i++) {
                assertThat(text(answers.get(i).get())).as("request %d", i).isEqualTo(alone.get(i));
            }
            BatchStats stats = batching.batchStats();
            assertThat(stats.largestBatch()).isEqualTo(N);
            assertThat(stats.requests()).isEqualTo(N + 1);
            assertThat(stats.batches()).isEqualTo(2);
            JsonNode health = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + batching.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(health.path("batches").path("largest").asInt()).isEqualTo(N);
        }
    }

    @Test
    void aClientLeavingMidBatchStopsOnlyItsOwnGeneration() throws Exception {
        String expected;
        try (ChatServer sequential = start(ServeOptions.defaults().withMaxBatch(1))) {
            expected = text(post(sequential, body(QUESTIONS.get(1), 40, true)).get());
        }
        try (ChatServer batching = start(ServeOptions.defaults().withMaxBatch(2)
                .withBatchWaitMillis(ServeOptions.MAX_BATCH_WAIT_MILLIS))) {
            CompletableFuture<HttpResponse<String>> survivor;
            try (Socket busy = occupy(batching)) {
                survivor = post(batching, body(QUESTIONS.get(1), 40, true));
                awaitQueued(batching, 1);
                try (Socket leaver = new Socket("127.0.0.1", batching.port())) {
                    // The leaver joins the survivor's batch, then goes: it sends its request and closes at once.
                    byte[] json = body("I will not wait", 1900, true).getBytes(StandardCharsets.UTF_8);
                    leaver.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                            + "Content-Length: " + json.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    leaver.getOutputStream().write(json);
                    awaitQueued(batching, 2);
                }
            }
            assertThat(text(survivor.get())).isEqualTo(expected);
            assertThat(batching.batchStats().largestBatch()).isEqualTo(2);
        }
    }
}
