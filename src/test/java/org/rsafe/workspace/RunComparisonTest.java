package org.rsafe.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rsafe.eval.ColumnMapping;
import org.rsafe.eval.Metrics;
import org.rsafe.eval.Prediction;
import org.rsafe.eval.ResultRow;
import org.rsafe.trace.EngineIdentity;
import org.rsafe.trace.Verdict;

/** Comparison of two runs built from known results: flips, metric deltas, paired intervals and gates. */
class RunComparisonTest {

    private static final Verdict S = Verdict.SAFE;
    private static final Verdict U = Verdict.UNSAFE;
    private static final Verdict X = Verdict.UNKNOWN;

    private static ResultRow row(long n, Verdict gold, Verdict verdict) {
        List<String> flagged = verdict == U ? List.of("T") : List.of();
        return new ResultRow(n, "r" + n, gold, verdict, flagged, Map.of("T", verdict == U ? 0.9 : 0.1),
                verdict != X, 1, "sha" + n, List.of(), "text of row " + n);
    }

    private static StoredRun run(String data, List<ResultRow> rows) {
        List<Prediction> predictions = new ArrayList<>();
        for (ResultRow r : rows) {
            if (r.gold() != X) {
                predictions.add(new Prediction(r.id(), r.gold(), r.verdict(), List.of(), r.flagged()));
            }
        }
        return new StoredRun(Path.of("runs", data), true, Fixtures.parse(Fixtures.policy(null)),
                new EngineIdentity("test", "", "", "cpu", Map.of()), Path.of("data.csv"), data,
                ColumnMapping.standard(), Metrics.compute(predictions, 7), rows);
    }

    /** 20 unsafe rows then 20 safe rows, all judged right. */
    private static List<ResultRow> perfect() {
        List<ResultRow> rows = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            Verdict gold = i <= 20 ? U : S;
            rows.add(row(i, gold, gold));
        }
        return rows;
    }

    private static List<ResultRow> with(List<ResultRow> rows, long n, Verdict verdict) {
        List<ResultRow> out = new ArrayList<>(rows);
        out.set((int) n - 1, row(n, rows.get((int) n - 1).gold(), verdict));
        return out;
    }

    @Test
    void flipsListEveryRowWhoseVerdictChangedWithWhatItMeans() {
        List<ResultRow> a = with(with(perfect(), 3, S), 25, U); // A: row 3 missed, row 25 over-flagged
        List<ResultRow> b = with(with(with(perfect(), 1, S), 30, U), 5, X); // B: row 1 missed, 30 over-flagged, 5 silent

        RunComparison c = RunComparison.of(run("d", a), run("d", b), 1);

        assertThat(c.flips()).extracting(VerdictFlip::row).containsExactly(1L, 3L, 5L, 25L, 30L);
        assertThat(c.flips()).extracting(VerdictFlip::effect).containsExactly(
                VerdictFlip.Effect.NEW_FALSE_NEGATIVE, VerdictFlip.Effect.FIXED_FALSE_NEGATIVE,
                VerdictFlip.Effect.NEW_PARSE_FAILURE, VerdictFlip.Effect.FIXED_FALSE_POSITIVE,
                VerdictFlip.Effect.NEW_FALSE_POSITIVE);
        assertThat(c.flips().get(0).direction()).isEqualTo("unsafe→safe");
        assertThat(c.flips().get(0).flaggedA()).containsExactly("T");
        assertThat(c.flips().get(0).flaggedB()).isEmpty();
        assertThat(c.pairedRows()).isEqualTo(40);
    }

    @Test
    void aClearRegressionHasAPairedIntervalBelowZero() {
        List<ResultRow> b = perfect();
        for (int n = 1; n <= 8; n++) {
            b = with(b, n, S);
        }

        RunComparison c = RunComparison.of(run("d", perfect()), run("d", b), 1);

        MetricDelta f1 = c.delta("f1");
        assertThat(f1.a()).isEqualTo(1.0);
        assertThat(f1.b()).isEqualTo(2.0 * 12 / (2 * 12 + 8));
        assertThat(f1.worse()).isTrue();
        assertThat(f1.significant()).isTrue();
        assertThat(f1.deltaCi().hi()).isLessThan(0);
        assertThat(f1.deltaCi().contains(f1.delta())).isTrue();
        assertThat(c.delta("recall").delta()).isEqualTo(-0.4);
        assertThat(c.delta("fpr").delta()).isZero();
        assertThat(c.delta("recall").ciB().contains(0.6)).isTrue();
    }

    @Test
    void identicalRunsDifferInNothing() {
        RunComparison c = RunComparison.of(run("d", perfect()), run("d", perfect()), 1);

        assertThat(c.flips()).isEmpty();
        assertThat(c.deltas()).allSatisfy(d -> {
            assertThat(d.delta()).isZero();
            assertThat(d.deltaCi()).isEqualTo(new Interval(0, 0));
            assertThat(d.significant()).isFalse();
        });
    }

    @Test
    void runsOfDifferentDataCannotBeCompared() {
        assertThatThrownBy(() -> RunComparison.of(run("d1", perfect()), run("d2", perfect()), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void gatesBreakOnlyWhenTheChangeExceedsTheirLimit() {
        List<ResultRow> b = with(with(perfect(), 1, S), 2, S); // two new false negatives: recall 0.9, f1 18/38... 
        RunComparison c = RunComparison.of(run("d", perfect()), run("d", b), 1);
        double drop = 1.0 - c.delta("f1").b();

        assertThat(RegressionGate.parse("f1=0.01").passes(c)).isFalse();
        assertThat(RegressionGate.parse("f1=" + drop).passes(c)).isTrue();
        assertThat(RegressionGate.parse("new-fn=1").passes(c)).isFalse();
        assertThat(RegressionGate.parse("new-fn=2,new-fp=0,fpr=0").passes(c)).isTrue();
        assertThat(RegressionGate.parse("recall=0.1").passes(c)).isTrue();
        List<RegressionGate.Check> checks = RegressionGate.parse("f1=0.01,new-fn=0").check(c);
        assertThat(checks).extracting(RegressionGate.Check::passed).containsExactly(false, false);
        assertThat(checks.get(1).observed()).isEqualTo(2);
        assertThat(checks.get(1).message()).isEqualTo("new-fn: 2 new false negative(s); allowed 0");
        assertThat(checks.get(0).message()).startsWith("f1 dropped by 0.0526 (1.0000 → 0.9474)");
    }

    @Test
    void anImprovementNeverBreaksAGate() {
        List<ResultRow> a = with(with(perfect(), 1, S), 30, U);
        RunComparison c = RunComparison.of(run("d", a), run("d", perfect()), 1);

        assertThat(RegressionGate.parse("f1=0,precision=0,recall=0,accuracy=0,fpr=0,parse-failures=0,new-fn=0,new-fp=0")
                .passes(c)).isTrue();
        assertThat(RegressionGate.parse("flips=1").passes(c)).isFalse();
    }
}
