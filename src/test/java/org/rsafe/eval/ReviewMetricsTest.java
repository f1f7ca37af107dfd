package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.rsafe.trace.Verdict.REVIEW;
import static org.rsafe.trace.Verdict.SAFE;
import static org.rsafe.trace.Verdict.UNKNOWN;
import static org.rsafe.trace.Verdict.UNSAFE;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rsafe.trace.Verdict;

/** REVIEW rows: left out of the decided metrics, and counted in coverage and the two "REVIEW as" readings. */
class ReviewMetricsTest {

    private static void add(List<Prediction> out, int n, Verdict gold, Verdict predicted) {
        for (int i = 0; i < n; i++) {
            out.add(new Prediction("r" + out.size(), gold, predicted, List.of(), List.of()));
        }
    }

    /** Decided: tp 4, fp 1, tn 5, fn 2; REVIEW: 3 gold unsafe, 2 gold safe; one parse failure. */
    private static MetricsReport report() {
        List<Prediction> p = new ArrayList<>();
        add(p, 4, UNSAFE, UNSAFE);
        add(p, 1, SAFE, UNSAFE);
        add(p, 5, SAFE, SAFE);
        add(p, 2, UNSAFE, SAFE);
        add(p, 3, UNSAFE, REVIEW);
        add(p, 2, SAFE, REVIEW);
        add(p, 1, SAFE, UNKNOWN);
        return Metrics.compute(p, 42);
    }

    @Test
    void theConfusionMatrixHoldsOnlyTheDecidedRows() {
        MetricsReport m = report();
        assertThat(m.cm()).isEqualTo(new ConfusionMatrix(4, 1, 5, 2));
        assertThat(m.rows()).isEqualTo(18);
        assertThat(m.parseFailures()).isEqualTo(1);
        assertThat(m.review()).isEqualTo(new MetricsReport.Review(3, 2));
        assertThat(m.precision()).isCloseTo(0.8, within(1e-12));
        assertThat(m.f1()).isCloseTo(8.0 / 11, within(1e-12));
    }

    @Test
    void coverageIsDecidedRowsOverAllRows() {
        assertThat(report().coverage()).isCloseTo(12.0 / 18, within(1e-12));
    }

    @Test
    void reviewCountedAsUnsafeOrAsSafeMovesTheRowsIntoTheMatrix() {
        MetricsReport m = report();
        assertThat(m.reviewAsUnsafe()).isEqualTo(new ConfusionMatrix(7, 3, 5, 2));
        assertThat(m.reviewAsSafe()).isEqualTo(new ConfusionMatrix(4, 1, 7, 5));
        assertThat(m.reviewAsUnsafe().f1()).isCloseTo(14.0 / 19, within(1e-12));
        assertThat(m.reviewAsSafe().f1()).isCloseTo(8.0 / 14, within(1e-12));
    }

    @Test
    void theReportJsonCarriesTheReviewObject() {
        Map<String, Object> full = report().toFullJsonMap();
        assertThat(full).containsKey("review");
        @SuppressWarnings("unchecked")
        Map<String, Object> review = (Map<String, Object>) full.get("review");
        assertThat(review).containsEntry("rows", 5).containsEntry("unsafe", 3).containsEntry("safe", 2);
        assertThat((Double) review.get("coverage")).isCloseTo(12.0 / 18, within(1e-12));
        @SuppressWarnings("unchecked")
        Map<String, Object> asUnsafe = (Map<String, Object>) review.get("as_unsafe");
        assertThat((Double) asUnsafe.get("fpr")).isCloseTo(3.0 / 8, within(1e-12));
        assertThat(report().toTable()).contains("coverage", "review as unsafe", "review as safe");
    }

    @Test
    void withoutReviewEverythingIsDecidedAndTheReadingsEqualTheMetrics() {
        List<Prediction> p = new ArrayList<>();
        add(p, 2, UNSAFE, UNSAFE);
        add(p, 1, SAFE, SAFE);
        MetricsReport m = Metrics.compute(p, 42);
        assertThat(m.coverage()).isEqualTo(1.0);
        assertThat(m.reviewAsUnsafe()).isEqualTo(m.cm());
        assertThat(m.reviewAsSafe()).isEqualTo(m.cm());
    }

    @Test
    void aModelAnswerNeverReadsAsReviewButAStoredVerdictDoes() {
        assertThat(Verdict.fromAnswer("review")).isEqualTo(UNKNOWN);
        assertThat(Verdict.fromStored("review")).isEqualTo(REVIEW);
        assertThat(Verdict.fromStored(" Unsafe ")).isEqualTo(UNSAFE);
        assertThat(REVIEW.decided()).isFalse();
        assertThat(SAFE.decided()).isTrue();
    }
}
