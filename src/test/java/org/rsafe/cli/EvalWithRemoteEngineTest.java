package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.remote.FakeOpenAiServer;
import org.rsafe.trace.JudgementJson;

/** A batch evaluation through the remote engine: many requests in flight, an error row kept, every row once. */
class EvalWithRemoteEngineTest {
    @TempDir
    Path dir;

    @Test
    void everyRowIsJudgedOnceAndARefusedRequestIsAnErrorRowNotACrash() throws IOException {
        Path policy = EvalTestData.writePolicy(dir);
        Path data = EvalTestData.writeCsv(dir.resolve("set.csv"), EvalTestData.rows(12));
        Path out = dir.resolve("run");
        try (FakeOpenAiServer server = FakeOpenAiServer.start(
                FakeOpenAiServer.status(400, FakeOpenAiServer.fixture("vllm-error-400-context.json")),
                FakeOpenAiServer.sse(FakeOpenAiServer.fixture("vllm-stream-reasoning.sse"), 20))) {
            EvalTestData.Run run = EvalTestData.cli("eval", "--policy", policy.toString(), "--data", data.toString(),
                    "--out", out.toString(), "--engine", "remote", "--endpoint", server.url(), "--concurrency", "4");

            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(server.chatCalls()).isEqualTo(12);
            assertThat(server.maxInFlight()).isGreaterThan(1);
        }
        List<String> ids = new ArrayList<>();
        int unparsed = 0;
        int errors = 0;
        for (String line : Files.readAllLines(out.resolve("results.jsonl"))) {
            JsonNode r = JudgementJson.mapper().readTree(line);
            ids.add(r.get("id").asText());
            unparsed += r.get("parse_ok").asBoolean() ? 0 : 1;
            errors += r.hasNonNull("error") ? 1 : 0;
        }
        assertThat(ids).hasSize(12).doesNotHaveDuplicates();
        assertThat(unparsed).isEqualTo(1);
        assertThat(errors).isEqualTo(1);
        JsonNode report = JudgementJson.mapper().readTree(Files.readString(out.resolve("report.json")));
        assertThat(report.get("engine").get("engine").asText()).isEqualTo("remote");
        // The refused request is an error row, counted apart from the parse failures.
        assertThat(report.get("parse_failures").asInt()).isZero();
        assertThat(report.get("error_rows").asInt()).isEqualTo(1);
    }
}
