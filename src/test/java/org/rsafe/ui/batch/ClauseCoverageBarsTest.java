package org.rsafe.ui.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rsafe.eval.Metrics;
import org.rsafe.eval.MetricsReport;
import org.rsafe.eval.ResultRow;
import org.rsafe.policy.Policy;
import org.rsafe.prompt.RsafeDefaultTaxonomy;
import org.rsafe.trace.Verdict;

class ClauseCoverageBarsTest {

    @Test
    void theChartListsClausesNoRowExercisesWithoutABar() {
        Policy policy = RsafeDefaultTaxonomy.policy(List.of(RsafeDefaultTaxonomy.clause("U1", "Violence"),
                RsafeDefaultTaxonomy.clause("U2", "Weapons"), RsafeDefaultTaxonomy.clause("U3", "Fraud")), "");
        List<ResultRow> rows = List.of(
                new ResultRow(1, "a", Verdict.UNSAFE, Verdict.UNSAFE, List.of("U2"), Map.of(), true, 1, "", List.of("U1"), "x"),
                new ResultRow(2, "b", Verdict.SAFE, Verdict.SAFE, List.of(), Map.of(), true, 1, "", List.of(), "y"));
        MetricsReport report = Metrics.compute(Metrics.predictions(rows), 42, policy);

        List<BatchViewModel.ClauseCount> bars = BatchViewModel.clauseBarsOf(report, rows, policy);

        assertThat(bars).filteredOn(BatchViewModel.ClauseCount::unexercised).extracting(BatchViewModel.ClauseCount::clauseId)
                .containsExactly("U3");
        assertThat(bars).filteredOn(b -> !b.unexercised()).extracting(BatchViewModel.ClauseCount::clauseId)
                .containsExactly("U1", "U2");
    }
}
