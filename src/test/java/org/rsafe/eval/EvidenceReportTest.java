package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rsafe.policy.Policy;
import org.rsafe.prompt.RsafeDefaultTaxonomy;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.OutputParser;
import org.rsafe.trace.Verdict;

class EvidenceReportTest {

    private static final Policy POLICY = RsafeDefaultTaxonomy.policy();

    private static ResultRow row(long n, Verdict gold, String rawOutput, List<String> categories) {
        Judgement j = OutputParser.parse(rawOutput, POLICY);
        List<String> flagged = j.verdict() == Verdict.UNSAFE
                ? org.rsafe.trace.ExplicitCitations.namedInPolicyOrder(j.steps(), POLICY) : List.of();
        return new ResultRow(n, "r" + n, gold, j.verdict(), flagged, Map.of(), !j.parseFailure(), 1, "", categories,
                "text " + n, null, RowEvidence.of(j));
    }

    @Test
    void rowsWithInvalidCitationsAndDisagreementsAreCounted() {
        List<ResultRow> rows = List.of(
                row(1, Verdict.UNSAFE, "<think>It is U2 (Violent crimes).</think>\\boxed{unsafe}", List.of()),
                row(2, Verdict.UNSAFE, "<think>It is U19, and U19 again.</think>\\boxed{unsafe}", List.of()),
                row(3, Verdict.SAFE, "<think>This is not about weapons.</think>\\boxed{unsafe}", List.of()),
                row(4, Verdict.SAFE, "<think>A weather question.</think>\\boxed{safe}", List.of()));

        EvidenceReport report = EvidenceReport.of(POLICY, rows, CategoryMap.IDENTITY, true);

        assertThat(report.invalidCitationRows()).isEqualTo(2);
        assertThat(report.invalidIds()).containsExactly(Map.entry("U2", 1), Map.entry("U19", 1));
        assertThat(report.disagreementRows()).isEqualTo(1);
        assertThat(report.lines()).contains("invalid citations: 2 of 4 rows (U2 ×1, U19 ×1)",
                "verdict disagrees with its citations: 1 of 4 rows");
        assertThat(report.coverageKnown()).isFalse();
    }

    @Test
    void clausesThatNoGoldCategoryNorFlagReachAreUnexercised() {
        List<ResultRow> rows = List.of(
                row(1, Verdict.UNSAFE, "<think>Weapons.</think>\\boxed{unsafe}", List.of("U1")),
                row(2, Verdict.SAFE, "<think>fine</think>\\boxed{safe}", List.of()));

        EvidenceReport report = EvidenceReport.of(POLICY, rows, CategoryMap.IDENTITY, true);

        assertThat(report.coverageKnown()).isTrue();
        assertThat(report.unexercised()).doesNotContain("U1", "U2").contains("U3", "U18").hasSize(16);
    }

    @Test
    void stabilityCountsSampledRowsWhoseSamplesDisagreed() {
        ResultRow stable = row(1, Verdict.SAFE, "<think>ok</think>\\boxed{safe}", List.of());
        ResultRow unstable = row(2, Verdict.SAFE, "<think>ok</think>\\boxed{safe}", List.of());
        List<ResultRow> rows = List.of(
                withEvidence(stable, stable.evidence().withStability(5, 1.0)),
                withEvidence(unstable, unstable.evidence().withStability(5, 0.6)),
                row(3, Verdict.SAFE, "<think>ok</think>\\boxed{safe}", List.of()));

        EvidenceReport report = EvidenceReport.of(POLICY, rows, CategoryMap.IDENTITY, true);

        assertThat(report.sampledRows()).isEqualTo(2);
        assertThat(report.unstableRows()).isEqualTo(1);
        assertThat(report.unstableShare()).isEqualTo(0.5);
        assertThat(report.meanMajorityShare()).isEqualTo(0.8);
    }

    @Test
    void evidenceSurvivesTheResultsFileAndOldLinesReadWithout() throws Exception {
        ResultRow r = row(1, Verdict.UNSAFE, "<think>This is U2 (Violent crimes).</think>\\boxed{safe}", List.of());
        ResultRow sampled = withEvidence(r, r.evidence().withStability(4, 0.75));

        String line = BatchRunResults.toJson(sampled);
        ResultRow back = BatchRunResults.fromJson(line);

        assertThat(line).contains("\"invalid_citations\":[\"U2\"]", "\"samples\":4", "\"majority_share\":0.75");
        assertThat(back.evidence()).isEqualTo(sampled.evidence());
        assertThat(BatchRunResults.fromJson("{\"row\":3,\"verdict\":\"safe\"}").evidence()).isEqualTo(RowEvidence.NONE);
    }

    private static ResultRow withEvidence(ResultRow r, RowEvidence e) {
        return new ResultRow(r.row(), r.id(), r.gold(), r.verdict(), r.flagged(), r.clauseScores(), r.parseOk(),
                r.latencyMillis(), r.promptSha256(), r.goldCategories(), r.excerpt(), r.error(), e);
    }
}
