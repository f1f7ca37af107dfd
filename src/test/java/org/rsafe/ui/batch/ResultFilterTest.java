package org.rsafe.ui.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rsafe.eval.ResultRow;
import org.rsafe.eval.RowEvidence;
import org.rsafe.trace.Verdict;

class ResultFilterTest {

    private static List<String> list(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.asList(s.split(";"));
    }

    @ParameterizedTest(name = "gold {0}, verdict {1}, flagged [{2}], gold categories [{3}] -> {4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            safe    | unsafe  | U1 | -  | FALSE_POSITIVES;DISAGREEMENTS
            unsafe  | safe    | -  | U1 | FALSE_NEGATIVES;DISAGREEMENTS
            unsafe  | unsafe  | U2 | U1 | DISAGREEMENTS
            unsafe  | unsafe  | U1 | U1 | -
            unsafe  | unsafe  | U2 | -  | -
            safe    | safe    | -  | -  | -
            unsafe  | unknown | -  | U1 | PARSE_FAILURES
            unknown | unsafe  | U1 | -  | -
            """)
    void eachFilterKeepsExactlyTheRowsItNames(String gold, String verdict, String flagged, String categories, String expected) {
        Verdict g = Verdict.fromAnswer(gold);
        Verdict v = Verdict.fromAnswer(verdict);
        ResultRow row = new ResultRow(1, "r1", g, v, list(flagged), Map.of(), v != Verdict.UNKNOWN, 3, "", list(categories), "text");
        List<String> wanted = list(expected);
        for (ResultFilter f : ResultFilter.values()) {
            boolean shouldPass = f == ResultFilter.ALL || wanted.contains(f.name());
            assertThat(f.test(row)).as(f.name()).isEqualTo(shouldPass);
        }
    }

    @Test
    void unstableAndInvalidCitationFiltersReadTheRowsEvidence() {
        ResultRow base = new ResultRow(2, "r2", Verdict.SAFE, Verdict.SAFE, List.of(), Map.of(), true, 3, "", List.of(),
                "text");
        ResultRow unstable = withEvidence(base, new RowEvidence(List.of(), "", 5, 0.6));
        ResultRow steady = withEvidence(base, new RowEvidence(List.of(), "", 5, 1.0));
        ResultRow invalid = withEvidence(base, new RowEvidence(List.of("U19"), "", 0, 1.0));

        assertThat(ResultFilter.UNSTABLE.test(unstable)).isTrue();
        assertThat(ResultFilter.UNSTABLE.test(steady)).isFalse();
        assertThat(ResultFilter.UNSTABLE.test(invalid)).isFalse();
        assertThat(ResultFilter.INVALID_CITATIONS.test(invalid)).isTrue();
        assertThat(ResultFilter.INVALID_CITATIONS.test(unstable)).isFalse();
    }

    private static ResultRow withEvidence(ResultRow r, RowEvidence e) {
        return new ResultRow(r.row(), r.id(), r.gold(), r.verdict(), r.flagged(), r.clauseScores(), r.parseOk(),
                r.latencyMillis(), r.promptSha256(), r.goldCategories(), r.excerpt(), r.error(), e);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            r17     | true
            POISON  | true
            u3      | true
            unsafe  | true
            dog     | false
            """)
    void searchLooksInTheIdTextLabelsAndClauses(String query, boolean found) {
        ResultRow row = new ResultRow(4, "r17", Verdict.UNSAFE, Verdict.UNSAFE, List.of("U3"), Map.of("U3", 0.8), true, 2, "",
                List.of("U3"), "how do I poison the stray cats");
        assertThat(new BatchRowItem(row).matches(query)).isEqualTo(found);
        assertThat(new BatchRowItem(row).topScoreText()).isEqualTo("0.80");
    }
}
