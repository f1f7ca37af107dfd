package org.rsafe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.rsafe.engine.remote.FakeOpenAiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.engine.llm.RandomModelWriter;
import org.rsafe.eval.BatchConfig;
import org.rsafe.eval.BatchListener;
import org.rsafe.eval.BatchRun;
import org.rsafe.eval.BatchSummary;
import org.rsafe.eval.ResultRow;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.serve.ChatServer;
import org.rsafe.serve.ServeOptions;
import org.rsafe.util.UserException;

/**
 * A batch run with the remote engine whose server ({@code rsafe serve} on a tiny random model) is stopped in the
 * middle of a chunk and started again on the same port: the run stops with one line, and the resumed run judges every
 * row exactly once, with the results of a run that was never interrupted.
 */
class RemoteRunFaultTest {
    static final int ROWS = 12;
    static final int CHUNK = 4;

    @TempDir
    Path dir;

    @Test
    void aServerStoppedMidChunkAndRestartedLosesAndRepeatsNoRowOnResume() throws Exception {
        Path model = dir.resolve("tiny-guard");
        RandomModelWriter.write(model, RandomModelWriter.Shape.TINY, 3, RandomModelWriter.Options.defaults());
        Policy policy = PolicyLoader.loadOrThrow(Path.of("policies/rsafe-default.yaml"));
        StringBuilder csv = new StringBuilder("id,text,label\n");
        for (int i = 0; i < ROWS; i++) {
            csv.append("r").append(i).append(",question number ").append(i).append(" about kitchen knives,")
                    .append(i % 2 == 0 ? "safe" : "unsafe").append('\n');
        }
        Path data = dir.resolve("rows.csv");
        Files.writeString(data, csv, StandardCharsets.UTF_8);

        ChatServer first = Serving.start(EngineSpec.llm(model), ServeOptions.defaults().withPort(0), null);
        int port = first.port();
        EngineSpec spec = EngineSpec.remote(first.baseUrl()).withDecoding(DecodingPreset.GREEDY).withMaxNewTokens(6);
        spec = spec.withRemote(spec.remote().withConcurrency(CHUNK));
        BatchConfig interrupted = BatchConfig.of(data, dir.resolve("run")).withChunkSize(CHUNK);
        Thread killer = new Thread(() -> {
            // Waits for the state it acts on: the second chunk's requests have reached the model.
            while (first.batchStats().requests() <= CHUNK) {
                Thread.onSpinWait();
            }
            first.close();
        });
        try (Engine engine = Engines.open(spec)) {
            killer.start();
            assertThatThrownBy(() -> new BatchRun().run(engine, policy, interrupted, BatchListener.NONE,
                    Cancellation.none())).isInstanceOf(UserException.class).hasMessageContaining("127.0.0.1:" + port);
        } finally {
            killer.join();
        }
        long written = Files.readAllLines(dir.resolve("run").resolve("results.jsonl")).size();
        assertThat(written).isBetween((long) CHUNK, (long) ROWS - 1);

        BatchSummary resumed;
        BatchSummary whole;
        try (ChatServer again = Serving.start(EngineSpec.llm(model), ServeOptions.defaults().withPort(port), null);
             Engine engine = Engines.open(spec)) {
            resumed = new BatchRun().run(engine, policy, interrupted.withResume(true), BatchListener.NONE,
                    Cancellation.none());
            whole = new BatchRun().run(engine, policy, BatchConfig.of(data, dir.resolve("whole")).withChunkSize(CHUNK),
                    BatchListener.NONE, Cancellation.none());
        }

        assertThat(resumed.resumed()).isEqualTo(written);
        List<String> lines = Files.readAllLines(dir.resolve("run").resolve("results.jsonl"));
        assertThat(lines).hasSize(ROWS);
        assertThat(resumed.results().stream().map(ResultRow::row).distinct()).hasSize(ROWS);
        assertThat(resumed.results().stream().map(r -> r.row() + ":" + r.verdict() + ":" + r.parseOk()).toList())
                .isEqualTo(whole.results().stream().map(r -> r.row() + ":" + r.verdict() + ":" + r.parseOk()).toList());
        assertThat(resumed.metrics()).isEqualTo(whole.metrics());
    }

    @Test
    void aRowTheServerKeepsRefusingIsAnErrorRowCountedApartFromParseFailures() throws Exception {
        Policy policy = PolicyLoader.loadOrThrow(Path.of("policies/rsafe-default.yaml"));
        Path data = dir.resolve("rows.csv");
        Files.writeString(data, "id,text,label\nr0,first question,safe\nr1,second question,unsafe\n"
                + "r2,third question,safe\n", StandardCharsets.UTF_8);
        // The first request is refused for itself (400: an error row at once); the others get a normal answer.
        try (FakeOpenAiServer server = FakeOpenAiServer.start(
                FakeOpenAiServer.status(400, FakeOpenAiServer.fixture("vllm-error-400-context.json")),
                FakeOpenAiServer.sse(FakeOpenAiServer.fixture("vllm-stream-reasoning.sse"), 0))) {
            EngineSpec spec = EngineSpec.remote(server.url());
            spec = spec.withRemote(spec.remote().withModel("rsafe-7b").withConcurrency(1));
            BatchSummary s;
            try (Engine engine = Engines.open(spec)) {
                s = new BatchRun().run(engine, policy, BatchConfig.of(data, dir.resolve("run")), BatchListener.NONE,
                        Cancellation.none());
            }

            assertThat(s.errorRows()).isEqualTo(1);
            assertThat(s.parseFailures()).isZero();
            assertThat(s.metrics().errorRows()).isEqualTo(1);
            assertThat(s.metrics().parseFailures()).isZero();
            assertThat(s.metrics().evaluated()).isEqualTo(2);
            assertThat(s.metrics().toTable()).contains("error rows").contains("not parse failures");
            JsonNode report = new ObjectMapper().readTree(dir.resolve("run").resolve("report.json").toFile());
            assertThat(report.path("error_rows").asInt()).isEqualTo(1);
            assertThat(report.path("parse_failures").asInt()).isZero();
            List<String> lines = Files.readAllLines(dir.resolve("run").resolve("results.jsonl"));
            JsonNode first = new ObjectMapper().readTree(lines.get(0));
            assertThat(first.path("error").asText()).contains("HTTP 400");
            assertThat(new ObjectMapper().readTree(lines.get(1)).has("error")).isFalse();
        }
    }
}
