package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.trace.JudgementJson;

/**
 * Kills a real {@code rsafe eval} process (SIGKILL, no chance to clean up) while it writes results, resumes it in a
 * new process, and checks that the resumed run equals an uninterrupted one: no row lost, none duplicated.
 */
class EvalKillResumeTest {
    private static final int ROWS = 240;

    @TempDir
    Path dir;

    /**
     * A child JVM running the CLI with the test's class path. Its own home keeps the engine's embedding cache out of
     * the user's; two children that run at the same time get different homes.
     */
    private Process start(Path home, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-Duser.home=" + home,
                "-DDJL_CACHE_DIR=" + djlCache(),
                "-cp", System.getProperty("java.class.path"), "org.rsafe.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + System.nanoTime() + ".log").toFile()).start();
    }

    /** The DJL cache of this JVM, so children reuse the extracted native tokenizer library. */
    private static String djlCache() {
        String configured = System.getProperty("DJL_CACHE_DIR", System.getenv("DJL_CACHE_DIR"));
        return configured != null ? configured : Path.of(System.getProperty("user.home"), ".djl.ai").toString();
    }

    private static int finish(Process p) throws InterruptedException {
        assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("child finished in time").isTrue();
        return p.exitValue();
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var s = Files.lines(file)) {
            return s.count();
        }
    }

    @Test
    void aRunKilledMidwayAndResumedEqualsAnUninterruptedRun() throws Exception {
        Path policy = EvalTestData.writePolicy(dir);
        Path data = EvalTestData.writeCsv(dir.resolve("set.csv"), EvalTestData.rows(ROWS));
        Path home = Files.createDirectories(dir.resolve("home"));
        Path killed = dir.resolve("killed");
        Path whole = dir.resolve("whole");

        Process victim = start(home, "eval", "--policy", policy.toString(), "--data", data.toString(),
                "--out", killed.toString(), "--chunk", "4");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (lines(killed.resolve("results.jsonl")) < 8 && victim.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        victim.destroyForcibly();
        victim.waitFor(30, TimeUnit.SECONDS);
        long atKill = lines(killed.resolve("results.jsonl"));
        assertThat(atKill).as("the run was killed after some rows and before the end").isBetween(1L, ROWS - 1L);
        assertThat(killed.resolve("report.json")).doesNotExist();

        Process resumed = start(home, "eval", "--policy", policy.toString(), "--data", data.toString(),
                "--out", killed.toString(), "--resume", "--chunk", "16");
        Process reference = start(Files.createDirectories(dir.resolve("home2")), "eval", "--policy", policy.toString(), "--data", data.toString(),
                "--out", whole.toString());
        assertThat(finish(resumed)).isZero();
        assertThat(finish(reference)).isZero();

        Map<String, Integer> seen = new HashMap<>();
        for (String line : Files.readAllLines(killed.resolve("results.jsonl"))) {
            seen.merge(JudgementJson.mapper().readTree(line).get("id").asText(), 1, Integer::sum);
        }
        assertThat(seen).hasSize(ROWS);
        assertThat(seen.values()).containsOnly(1);
        JsonNode a = JudgementJson.mapper().readTree(Files.readString(killed.resolve("report.json")));
        JsonNode b = JudgementJson.mapper().readTree(Files.readString(whole.resolve("report.json")));
        assertThat(a.get("rows").asInt()).isEqualTo(ROWS);
        assertThat(a.get("dataset").get("rows").asInt()).isEqualTo(ROWS);
        assertThat(a.get("parse_failures")).isEqualTo(b.get("parse_failures"));
        assertThat(a.get("metrics")).isEqualTo(b.get("metrics"));
        assertThat(a.get("per_clause")).isEqualTo(b.get("per_clause"));
    }
}
