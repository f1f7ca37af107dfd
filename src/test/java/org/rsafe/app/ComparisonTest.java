package org.rsafe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.eval.BadRowPolicy;
import org.rsafe.eval.ReportWriter;
import org.rsafe.policy.Policy;
import org.rsafe.util.UserException;
import org.rsafe.workspace.Fixtures;
import org.rsafe.workspace.RunStore;
import org.rsafe.workspace.Workspace;
import org.rsafe.workspace.VerdictFlip;

/** The compare use case with the real quick engine on the small garden-club data set, in a temporary workspace. */
class ComparisonTest {
    private static Engine quick;

    @TempDir
    Path dir;

    private Policy a;
    private Policy b;
    private DataSettings data;

    @BeforeAll
    static void openEngine() {
        quick = Engines.open(EngineSpec.quick());
    }

    @AfterAll
    static void closeEngine() {
        quick.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        a = Fixtures.parse(Fixtures.policy(null));
        // B has no clause F: the counterfeit-seed rows A flagged pass under B.
        b = Fixtures.parse(Fixtures.policyWithoutF());
        data = DataSettings.of(Fixtures.writeData(dir.resolve("data.csv")));
    }

    /** The run folders of a workspace whose run finished (its report is written); creates nothing. */
    static List<Path> finishedRuns(Path workspace) throws IOException {
        Path runs = workspace.resolve(Workspace.DATA_DIR).resolve(RunStore.RUNS_DIR);
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        try (Stream<Path> all = Files.list(runs)) {
            return all.filter(r -> Files.isRegularFile(r.resolve(ReportWriter.JSON_NAME))).toList();
        }
    }

    private Comparison.Request request(int traces) {
        return new Comparison.Request(a, b, data, null, dir, traces);
    }

    @Test
    void bothVersionsAreJudgedAndStoredAndTheirVerdictFlipsListed() throws Exception {
        Comparison.Result result = Comparison.run(quick, request(0), Comparison.Listener.NONE, Cancellation.none());

        assertThat(result.comparison().pairedRows()).isEqualTo(12);
        assertThat(result.comparison().flips()).isNotEmpty().allSatisfy(f -> {
            assertThat(f.flaggedA()).containsExactly("F");
            assertThat(f.flaggedB()).isEmpty();
        });
        assertThat(result.comparison().flips(VerdictFlip.Effect.NEW_FALSE_NEGATIVE)).isNotEmpty();
        assertThat(result.comparison().a().reused()).isFalse();
        assertThat(result.comparison().b().reused()).isFalse();
        assertThat(result.traces()).isEmpty();
        assertThat(finishedRuns(dir))
                .containsExactlyInAnyOrder(result.comparison().a().dir(), result.comparison().b().dir());
    }

    @Test
    void aSecondComparisonOfTheSameInputsReusesBothStoredRuns() {
        Comparison.Result first = Comparison.run(quick, request(0), Comparison.Listener.NONE, Cancellation.none());
        Comparison.Result again = Comparison.run(quick, request(0), Comparison.Listener.NONE, Cancellation.none());

        assertThat(again.comparison().a().reused()).isTrue();
        assertThat(again.comparison().b().reused()).isTrue();
        assertThat(again.comparison().a().dir()).isEqualTo(first.comparison().a().dir());
        assertThat(again.comparison().flips()).isEqualTo(first.comparison().flips());
    }

    @Test
    void progressFillsTheFirstHalfWithAAndTheSecondWithBWithoutRunningBackwards() {
        List<Comparison.Progress> seen = new ArrayList<>();

        Comparison.run(quick, request(0), seen::add, Cancellation.none());

        assertThat(seen).extracting(Comparison.Progress::side).startsWith(Comparison.Side.A).endsWith(Comparison.Side.B);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i).done()).isGreaterThanOrEqualTo(seen.get(i - 1).done());
        }
        Comparison.Progress last = seen.get(seen.size() - 1);
        assertThat(last.done()).isEqualTo(last.total()).isEqualTo(24);
        assertThat(seen).filteredOn(p -> p.side() == Comparison.Side.A)
                .allSatisfy(p -> assertThat(p.done()).isLessThanOrEqualTo(12));
    }

    @Test
    void theFirstFlipsAreTracedUnderBothVersionsWhenAsked() {
        Comparison.Result result = Comparison.run(quick, request(1), Comparison.Listener.NONE, Cancellation.none());

        assertThat(result.traces()).hasSize(1);
        var traced = result.traces().get(0);
        assertThat(traced.flip()).isEqualTo(result.comparison().flips().get(0));
        assertThat(traced.a().verdict()).isEqualTo(traced.flip().verdictA());
        assertThat(traced.b().verdict()).isEqualTo(traced.flip().verdictB());
    }

    @Test
    void tracingWithAnEngineOtherThanTheComparisonsIsRefused() {
        Comparison.Result result = Comparison.run(quick, request(0), Comparison.Listener.NONE, Cancellation.none());

        try (Engine stricter = Engines.open(EngineSpec.quick().withThreshold(0.9))) {
            assertThat(Comparison.judgedBy(result.comparison(), stricter)).isFalse();
            assertThatThrownBy(() -> Comparison.trace(stricter, result.comparison(),
                    result.comparison().flips().subList(0, 1), Cancellation.none()))
                    .isInstanceOf(UserException.class)
                    .hasMessageContaining("not the one this comparison ran with");
        }
        assertThat(Comparison.judgedBy(result.comparison(), quick)).isTrue();
    }

    @Test
    void aCancelledComparisonStopsWithoutAResultAndLeavesNoFinishedRun() throws Exception {
        Cancellation cancelled = Cancellation.none();
        cancelled.cancel();

        assertThatThrownBy(() -> Comparison.run(quick, request(0), Comparison.Listener.NONE, cancelled))
                .isInstanceOf(CancellationException.class);
        assertThat(finishedRuns(dir)).isEmpty();
    }

    @Test
    void unusableRowsAreLeftOutOnBothSidesWhenTheDataSettingsSaySo() throws Exception {
        Path withBadRow = dir.resolve("bad.csv");
        Files.writeString(withBadRow, Files.readString(data.data()) + "r13,,unsafe\n");
        DataSettings skipping = DataSettings.of(withBadRow).withBadRows(BadRowPolicy.SKIP);

        Comparison.Result result = Comparison.run(quick, new Comparison.Request(a, b, skipping, null, dir, 0),
                Comparison.Listener.NONE, Cancellation.none());

        assertThat(result.comparison().pairedRows()).isEqualTo(12);
        assertThatThrownBy(() -> Comparison.run(quick, new Comparison.Request(a, b, DataSettings.of(withBadRow), null,
                dir.resolve("other"), 0), Comparison.Listener.NONE, Cancellation.none()))
                .isInstanceOf(UserException.class);
    }
}
