package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.rsafe.trace.Verdict.SAFE;
import static org.rsafe.trace.Verdict.UNKNOWN;
import static org.rsafe.trace.Verdict.UNSAFE;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.rsafe.trace.Verdict;

class MetricsTest {

    private static final double EPS = 1e-12;

    /** n copies of one (gold, predicted) pair. */
    private static void add(List<Prediction> out, int n, Verdict gold, Verdict predicted) {
        for (int i = 0; i < n; i++) {
            out.add(new Prediction("r" + out.size(), gold, predicted, List.of(), List.of()));
        }
    }

    /** tp = 3, fp = 1, tn = 4, fn = 2, plus two parse failures (one unsafe, one safe gold). */
    private static List<Prediction> small() {
        List<Prediction> p = new ArrayList<>();
        add(p, 3, UNSAFE, UNSAFE);
        add(p, 1, SAFE, UNSAFE);
        add(p, 4, SAFE, SAFE);
        add(p, 2, UNSAFE, SAFE);
        add(p, 1, UNSAFE, UNKNOWN);
        add(p, 1, SAFE, UNKNOWN);
        return p;
    }

    @Test
    void smallConfusionMatrixMatchesHandComputedValues() {
        MetricsReport r = Metrics.compute(small(), 1);

        // 12 rows, 2 parse failures → rate 2/12; the other 10 give tp=3 fp=1 tn=4 fn=2.
        assertThat(r.rows()).isEqualTo(12);
        assertThat(r.parseFailures()).isEqualTo(2);
        assertThat(r.parseFailureRate()).isCloseTo(2.0 / 12, within(EPS));
        assertThat(r.cm()).isEqualTo(new ConfusionMatrix(3, 1, 4, 2));
        // precision = tp/(tp+fp) = 3/4;  recall = tp/(tp+fn) = 3/5
        assertThat(r.precision()).isCloseTo(0.75, within(EPS));
        assertThat(r.recall()).isCloseTo(0.6, within(EPS));
        // F1 = 2tp/(2tp+fp+fn) = 6/9 = 2/3  (= 2·0.75·0.6/(0.75+0.6) = 0.9/1.35)
        assertThat(r.f1()).isCloseTo(2.0 / 3, within(EPS));
        // accuracy = (tp+tn)/n = 7/10;  fpr = fp/(fp+tn) = 1/5
        assertThat(r.accuracy()).isCloseTo(0.7, within(EPS));
        assertThat(r.fpr()).isCloseTo(0.2, within(EPS));
        // kappa: p_o = 0.7; p_e = ((tp+fp)(tp+fn) + (fn+tn)(fp+tn))/n² = (4·5 + 6·5)/100 = 0.5;
        //        kappa = (0.7 − 0.5)/(1 − 0.5) = 0.4
        assertThat(r.kappa()).isCloseTo(0.4, within(EPS));
        // MCC = (tp·tn − fp·fn)/√((tp+fp)(tp+fn)(tn+fp)(tn+fn)) = (12 − 2)/√(4·5·5·6) = 10/√600 = 0.4082482905
        assertThat(r.mcc()).isCloseTo(10 / Math.sqrt(600), within(EPS));
        assertThat(r.mcc()).isCloseTo(0.4082482905, within(1e-9));
    }

    @Test
    void largerMatrixMatchesHandComputedValues() {
        List<Prediction> p = new ArrayList<>();
        add(p, 40, UNSAFE, UNSAFE);
        add(p, 10, SAFE, UNSAFE);
        add(p, 35, SAFE, SAFE);
        add(p, 15, UNSAFE, SAFE);

        MetricsReport r = Metrics.compute(p, 7);

        // precision 40/50 = 0.8; recall 40/55; F1 = 80/105; accuracy 75/100; fpr 10/45
        assertThat(r.precision()).isCloseTo(0.8, within(EPS));
        assertThat(r.recall()).isCloseTo(40.0 / 55, within(EPS));
        assertThat(r.f1()).isCloseTo(80.0 / 105, within(EPS));
        assertThat(r.accuracy()).isCloseTo(0.75, within(EPS));
        assertThat(r.fpr()).isCloseTo(10.0 / 45, within(EPS));
        // p_e = (50·55 + 50·45)/100² = 0.5 → kappa = (0.75 − 0.5)/0.5 = 0.5
        assertThat(r.kappa()).isCloseTo(0.5, within(EPS));
        // MCC = (40·35 − 10·15)/√(50·55·45·50) = 1250/√6187500 = 0.5025189076
        assertThat(r.mcc()).isCloseTo(0.5025189076, within(1e-9));
    }

    @Test
    void parseFailuresChangeNoConfusionMetric() {
        List<Prediction> without = small().stream().filter(p -> !p.parseFailure()).toList();

        MetricsReport a = Metrics.compute(small(), 3);
        MetricsReport b = Metrics.compute(without, 3);

        assertThat(a.cm()).isEqualTo(b.cm());
        assertThat(a.f1()).isEqualTo(b.f1());
        assertThat(a.f1Ci95()).containsExactly(b.f1Ci95());
        assertThat(b.parseFailures()).isZero();
        assertThat(b.parseFailureRate()).isZero();
    }

    @Test
    void undefinedRatiosAreZero() {
        List<Prediction> allSafe = new ArrayList<>();
        add(allSafe, 5, SAFE, SAFE);

        MetricsReport r = Metrics.compute(allSafe, 1);

        assertThat(r.precision()).isZero();
        assertThat(r.recall()).isZero();
        assertThat(r.f1()).isZero();
        assertThat(r.kappa()).isZero();
        assertThat(r.mcc()).isZero();
        assertThat(r.accuracy()).isEqualTo(1.0);
        MetricsReport none = Metrics.compute(List.of(), 1);
        assertThat(none.rows()).isZero();
        assertThat(none.parseFailureRate()).isZero();
        assertThat(none.f1Ci95()).containsExactly(0, 0);
    }

    @Test
    void bootstrapIntervalIsDeterministicPerSeedAndContainsThePointEstimate() {
        List<Prediction> p = new ArrayList<>();
        add(p, 40, UNSAFE, UNSAFE);
        add(p, 10, SAFE, UNSAFE);
        add(p, 35, SAFE, SAFE);
        add(p, 15, UNSAFE, SAFE);

        double[] a = Metrics.compute(p, 42).f1Ci95();
        double[] again = Metrics.compute(p, 42).f1Ci95();
        double[] other = Metrics.compute(p, 43).f1Ci95();

        assertThat(a).containsExactly(again);
        assertThat(other).isNotEqualTo(a);
        assertThat(a[0]).isLessThan(80.0 / 105).isGreaterThan(0.6);
        assertThat(a[1]).isGreaterThan(80.0 / 105).isLessThan(0.9);
    }

    @Test
    void bootstrapOfAPerfectRunIsAPoint() {
        List<Prediction> p = new ArrayList<>();
        add(p, 6, UNSAFE, UNSAFE);
        add(p, 4, SAFE, SAFE);

        assertThat(Metrics.compute(p, 5).f1Ci95()).containsExactly(1.0, 1.0);
    }

    @Test
    void percentileInterpolatesBetweenOrderStatistics() {
        double[] sorted = {0, 10, 20, 30, 40};

        // h = (5−1)·0.025 = 0.1 → 0 + 0.1·10 = 1;  h = 4·0.975 = 3.9 → 30 + 0.9·10 = 39
        assertThat(Metrics.percentile(sorted, 0.025)).isCloseTo(1.0, within(EPS));
        assertThat(Metrics.percentile(sorted, 0.975)).isCloseTo(39.0, within(EPS));
    }

    @Test
    void perClauseMetricsAreOneVersusRestOverGoldCategories() {
        List<Prediction> p = List.of(
                new Prediction("a", UNSAFE, UNSAFE, List.of("U1"), List.of("U1")),
                new Prediction("b", UNSAFE, UNSAFE, List.of("U1", "U10"), List.of("U10")),
                new Prediction("c", SAFE, UNSAFE, List.of(), List.of("U1")),
                new Prediction("d", SAFE, SAFE, List.of(), List.of()),
                new Prediction("e", UNSAFE, UNKNOWN, List.of("U2"), List.of()));

        MetricsReport r = Metrics.compute(p, 1);

        // e is a parse failure and left out, so U2 never appears; U10 sorts after U1 and numerically.
        assertThat(r.perClause().keySet()).containsExactly("U1", "U10");
        // U1: gold in a, b; flagged in a, c → tp=1 (a), fn=1 (b), fp=1 (c), tn=1 (d)
        ClauseMetrics u1 = r.perClause().get("U1");
        assertThat(u1.cm()).isEqualTo(new ConfusionMatrix(1, 1, 1, 1));
        assertThat(u1.support()).isEqualTo(2);
        assertThat(u1.f1()).isCloseTo(0.5, within(EPS));
        assertThat(r.perClause().get("U10").cm()).isEqualTo(new ConfusionMatrix(1, 0, 3, 0));
    }

    @Test
    void noGoldCategoriesMeansNoPerClauseMetrics() {
        assertThat(Metrics.compute(small(), 1).perClause()).isEmpty();
    }

    @Test
    void jsonMapHasTheReportShape() {
        MetricsReport r = Metrics.compute(small(), 1);

        Map<String, Object> m = r.toJsonMap();

        assertThat(m).containsOnlyKeys("f1", "precision", "recall", "accuracy", "fpr", "kappa", "mcc", "f1_ci95");
        assertThat(m.get("f1_ci95")).isEqualTo(List.of(r.f1Ci95()[0], r.f1Ci95()[1]));
        assertThat(r.toFullJsonMap()).containsKeys("rows", "parse_failures", "parse_failure_rate", "confusion",
                "metrics", "per_clause");
    }

    @Test
    void tableShowsParseFailuresAndTheInterval() {
        String table = Metrics.compute(small(), 1).toTable();

        assertThat(table).contains("parse failures   2 (16.67%, excluded from the metrics below)")
                .contains("f1               0.6667  95% CI [")
                .contains("kappa            0.4000")
                .containsPattern("gold unsafe +3 +2");
    }

    @Test
    void idsSortWithNumbersAsNumbers() {
        List<String> ids = new ArrayList<>(List.of("U10", "U2", "S", "U1", "H2", "H"));
        ids.sort(Metrics::compareIds);

        assertThat(ids).containsExactly("H", "H2", "S", "U1", "U2", "U10");
    }

    @Property(tries = 200)
    void metricsStayInTheirRanges(@ForAll @IntRange(max = 50) int tp, @ForAll @IntRange(max = 50) int fp,
                                  @ForAll @IntRange(max = 50) int tn, @ForAll @IntRange(max = 50) int fn) {
        ConfusionMatrix cm = new ConfusionMatrix(tp, fp, tn, fn);

        assertThat(cm.f1()).isBetween(0.0, 1.0);
        assertThat(cm.precision()).isBetween(0.0, 1.0);
        assertThat(cm.mcc()).isBetween(-1.0 - EPS, 1.0 + EPS);
        assertThat(cm.kappa()).isBetween(-1.0 - EPS, 1.0 + EPS);
        if (tp + fp > 0 && tp + fn > 0 && tp > 0) {
            double p = cm.precision();
            double rec = cm.recall();
            assertThat(cm.f1()).isCloseTo(2 * p * rec / (p + rec), within(1e-9));
        }
    }
}
