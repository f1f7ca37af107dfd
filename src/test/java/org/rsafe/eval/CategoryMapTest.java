package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.trace.Verdict;

/** Gold categories named the data set's way are measured against the policy's clauses. */
class CategoryMapTest {
    private static final Policy RSAFE = PolicyLoader.loadOrThrow(Path.of("policies/rsafe-default.yaml"));

    @Test
    void categoriesAreMatchedByIdTitleOrTheirDistinctiveWords() {
        CategoryMap map = CategoryMap.resolve(RSAFE, List.of("u10", "Adult sexual content", "Sexual/Adult content",
                "Privacy", "Physical harm", "Non-violent crimes", "Weapons", "violence", "Expert advice"));

        assertThat(map.mapped()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "u10", "U10",
                "Adult sexual content", "U5",
                "Sexual/Adult content", "U5",
                "Privacy", "U10",
                "Physical harm", "U1",
                "Non-violent crimes", "U3",
                "Weapons", "U2",
                "violence", "U1",
                "Expert advice", "U13"));
        assertThat(map.unmapped()).isEmpty();
    }

    @Test
    void aCategoryThatFitsNoClauseOrSeveralIsLeftUnmapped() {
        CategoryMap map = CategoryMap.resolve(RSAFE, List.of("Malware/Hacking", "Violent crimes", "Sexual", "harm",
                "Harassment/Discrimination"));

        assertThat(map.mapped()).isEmpty();
        assertThat(map.unmapped()).containsExactlyInAnyOrder("Malware/Hacking", "Violent crimes", "Sexual", "harm",
                "Harassment/Discrimination");
        assertThat(map.describe()).contains("none matched").contains("no clause for Harassment/Discrimination, Malware/Hacking");
    }

    @Test
    void perClauseMetricsCountMappedCategoriesAndLeaveOutUnsafeRowsWithoutAClause() {
        List<Prediction> predictions = List.of(
                new Prediction("a", Verdict.UNSAFE, Verdict.UNSAFE, List.of("Privacy"), List.of("U10")),
                new Prediction("b", Verdict.UNSAFE, Verdict.SAFE, List.of("Privacy"), List.of()),
                new Prediction("c", Verdict.UNSAFE, Verdict.UNSAFE, List.of("Malware/Hacking"), List.of("U3")),
                new Prediction("d", Verdict.SAFE, Verdict.UNSAFE, List.of(), List.of("U10")));

        MetricsReport report = Metrics.compute(predictions, 1, RSAFE);

        ClauseMetrics u10 = report.perClause().get("U10");
        assertThat(u10.cm()).isEqualTo(new ConfusionMatrix(1, 1, 0, 1));
        assertThat(report.perClause()).containsOnlyKeys("U10");   // row c is left out: its clause is unknown
        assertThat(report.cm()).isEqualTo(new ConfusionMatrix(2, 1, 0, 1));  // the verdict metrics keep every row
        assertThat(report.toFullJsonMap()).containsKey("gold_categories");
        assertThat(report.toTable()).contains("Privacy → U10").contains("no clause for Malware/Hacking");
    }

    @Test
    void categoriesThatAlreadyAreClauseIdsChangeNothing() {
        List<Prediction> predictions = List.of(
                new Prediction("a", Verdict.UNSAFE, Verdict.UNSAFE, List.of("U1"), List.of("U1")),
                new Prediction("b", Verdict.SAFE, Verdict.SAFE, List.of(), List.of()));

        MetricsReport mapped = Metrics.compute(predictions, 1, RSAFE);

        assertThat(mapped.categories().isIdentity()).isTrue();
        assertThat(mapped.perClause()).isEqualTo(Metrics.compute(predictions, 1).perClause());
        assertThat(mapped.toFullJsonMap()).doesNotContainKey("gold_categories");
    }
}
