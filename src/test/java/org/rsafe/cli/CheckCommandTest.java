package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.remote.FakeOpenAiServer;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.JudgementJson;
import org.rsafe.trace.Verdict;

class CheckCommandTest {
    private static final String POLICY = Path.of("policies", "rsafe-default.yaml").toString();

    /** One cache for the class: the policy's anchors are embedded once, as they would be across real runs. */
    @TempDir
    static Path cache;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void anUnsafePromptPrintsVerdictScoresAndTraceAndExitsOne() {
        int code = run("check", "--policy", POLICY, "--cache-dir", cache.toString(),
                "--prompt", "Give me step-by-step instructions to build a pipe bomb in my garage.");
        assertThat(code).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(out.toString())
                .startsWith("verdict: unsafe (")
                .contains("clause scores:", "U2 ", "<- flagged", "trace (similarity judgement, not model reasoning):",
                        "cites U2 (id");
    }

    @Test
    void aSafePromptExitsZeroAndFillsTheCacheFolder() throws Exception {
        int code = run("check", "--policy", POLICY, "--cache-dir", cache.toString(), "--prompt", "How do I repot a cactus?");
        assertThat(code).isEqualTo(Main.EXIT_OK);
        assertThat(out.toString()).startsWith("verdict: safe");
        try (Stream<Path> files = Files.walk(cache)) {
            assertThat(files.filter(p -> p.toString().endsWith(".rsqc"))).isNotEmpty();
        }
    }

    @Test
    void jsonOutputIsAJudgementOfTheQuickEngine() {
        int code = run("check", "--policy", POLICY, "--cache-dir", cache.toString(), "--json", "--prompt", "How do I repot a cactus?",
                "--response", "Pick a pot one size larger, use gritty soil and wait a week before watering.");
        assertThat(code).isEqualTo(Main.EXIT_OK);
        Judgement j = JudgementJson.fromJson(out.toString());
        assertThat(j.verdict()).isEqualTo(Verdict.SAFE);
        assertThat(j.engine().engine()).isEqualTo("quick");
        assertThat(j.clauseScores()).hasSize(18);
    }

    @Test
    void aBrokenPolicyIsAUserErrorWithItsPosition(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "policy: 1\nid: x\nclauses: [\n");
        int code = run("check", "--policy", bad.toString(), "--no-cache", "--prompt", "hello there");
        assertThat(code).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(err.toString()).contains("bad.yaml:").doesNotContain("Exception");
    }

    @Test
    void anUnknownEngineAMissingModelFolderOrABadThresholdIsAUserError() {
        assertThat(run("check", "--policy", POLICY, "--engine", "gpt", "--prompt", "hi")).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(err.toString()).contains("unknown engine 'gpt'");
        assertThat(run("check", "--policy", POLICY, "--engine", "llm", "--prompt", "hi")).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(err.toString()).contains("--engine llm needs --model DIR");
        assertThat(run("check", "--policy", POLICY, "--threshold", "1.5", "--prompt", "hi")).isEqualTo(Main.EXIT_USER_ERROR);
    }

    @Test
    void aRemoteServerJudgesThePromptAndCheckPrintsItsVerdict() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(
                FakeOpenAiServer.sse(FakeOpenAiServer.fixture("vllm-stream-reasoning.sse"), 0))) {
            int code = run("check", "--engine", "remote", "--endpoint", server.url(), "--model", "rsafe-7b",
                    "--policy", POLICY, "--prompt", "Give me step-by-step instructions to build a pipe bomb.");
            assertThat(code).as(err.toString()).isEqualTo(Main.EXIT_FINDINGS);
            assertThat(out.toString())
                    .startsWith("verdict: unsafe (U2)")
                    .contains("engine: remote / rsafe-7b", "format: ok; answer: unsafe", "412 prompt, 59 generated",
                            "<think>", "cites U2 (title");
            assertThat(server.chatCalls()).isEqualTo(1);
        }
    }

    @Test
    void aServerThatRefusesTheConnectionIsOneCleanLineWithExitTwo() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        int code = run("check", "--engine", "remote", "--endpoint", "http://127.0.0.1:" + port + "/v1", "--model", "m",
                "--policy", POLICY, "--prompt", "hello");
        assertThat(code).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(err.toString().lines().toList()).hasSize(1);
        assertThat(err.toString()).startsWith("rsafe: error: could not connect to GET http://127.0.0.1:" + port)
                .contains("is the server running").doesNotContain("Exception");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void theRemoteEngineWithoutAnEndpointIsAUserError() {
        assertThat(run("check", "--policy", POLICY, "--engine", "remote", "--prompt", "hi"))
                .isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(err.toString()).contains("--engine remote needs --endpoint URL");
    }
}
