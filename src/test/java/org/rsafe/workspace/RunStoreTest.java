package org.rsafe.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.Cancellation;
import org.rsafe.eval.BatchConfig;
import org.rsafe.policy.Policy;

/** The results store: same inputs reuse stored results, other inputs get their own run, interrupted runs continue. */
class RunStoreTest {

    @TempDir
    Path dir;

    @Test
    void aSecondRunWithTheSameInputsReusesTheStoredResults() throws IOException {
        Path data = Fixtures.writeData(dir.resolve("data.csv"));
        Policy policy = Fixtures.parse(Fixtures.policy(null));
        KeywordTestEngine engine = new KeywordTestEngine();
        RunStore store = RunStore.of(dir);

        StoredRun first = store.run(engine, policy, BatchConfig.of(data, dir), null, Cancellation.none());
        StoredRun second = store.run(engine, policy, BatchConfig.of(data, dir), null, Cancellation.none());

        assertThat(first.reused()).isFalse();
        assertThat(second.reused()).isTrue();
        assertThat(engine.judgedCount()).isEqualTo(12);
        assertThat(second.dir()).isEqualTo(first.dir());
        assertThat(second.results()).isEqualTo(first.results());
        assertThat(second.metrics()).isEqualTo(first.metrics());
        assertThat(first.dir().getParent()).isEqualTo(dir.resolve(".rsafe").resolve("runs").toAbsolutePath());
    }

    @Test
    void anotherPolicyTextOrDataFileGetsItsOwnRun() throws IOException {
        Path data = Fixtures.writeData(dir.resolve("data.csv"));
        KeywordTestEngine engine = new KeywordTestEngine();
        RunStore store = RunStore.of(dir);

        StoredRun a = store.run(engine, Fixtures.parse(Fixtures.policy(null)), BatchConfig.of(data, dir), null,
                Cancellation.none());
        StoredRun b = store.run(engine, Fixtures.parse(Fixtures.policy(0.6)), BatchConfig.of(data, dir), null,
                Cancellation.none());
        Files.writeString(data, Files.readString(data) + "r13,a thirteenth safe row about roses,safe\n");
        StoredRun c = store.run(engine, Fixtures.parse(Fixtures.policy(null)), BatchConfig.of(data, dir), null,
                Cancellation.none());

        assertThat(List.of(a.dir(), b.dir(), c.dir())).doesNotHaveDuplicates();
        assertThat(List.of(a.reused(), b.reused(), c.reused())).containsOnly(false);
        assertThat(c.results()).hasSize(13);
    }

    @Test
    void anInterruptedRunIsContinuedNotRestarted() throws IOException {
        Path data = Fixtures.writeData(dir.resolve("data.csv"));
        Policy policy = Fixtures.parse(Fixtures.policy(null));
        RunStore store = RunStore.of(dir);
        StoredRun full = store.run(new KeywordTestEngine(), policy, BatchConfig.of(data, dir), null, Cancellation.none());
        // Simulate a kill after 5 rows: keep the first five result lines and no report.
        Path results = full.dir().resolve("results.jsonl");
        List<String> lines = Files.readAllLines(results);
        Files.write(results, lines.subList(0, 5));
        Files.delete(full.dir().resolve("report.json"));
        KeywordTestEngine engine = new KeywordTestEngine();

        StoredRun resumed = store.run(engine, policy, BatchConfig.of(data, dir), null, Cancellation.none());

        assertThat(engine.judgedCount()).isEqualTo(7);
        assertThat(resumed.results()).isEqualTo(full.results());
    }
}
