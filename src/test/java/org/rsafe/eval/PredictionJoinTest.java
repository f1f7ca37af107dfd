package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.trace.Verdict;
import org.rsafe.util.UserException;

class PredictionJoinTest {

    @TempDir
    Path dir;

    @Test
    void predictionsFileReadsVerdictsAndFlaggedClausesFromCsvAndJsonl() throws IOException {
        Path csv = TestFiles.write(dir, "p.csv", "id,verdict,flagged_clauses\na,unsafe,U1;U3\nb,safe,\nc,,\nd,\\text{unsafe},\n");
        Path jsonl = TestFiles.write(dir, "p.jsonl", """
                {"id": "a", "prediction": "UNSAFE", "flagged": ["U1", "U3"]}
                {"id": "b", "prediction": 0}
                """);

        List<PredictedRow> fromCsv = PredictionReader.read(csv);
        List<PredictedRow> fromJsonl = PredictionReader.read(jsonl);

        assertThat(fromCsv).extracting(PredictedRow::verdict)
                .containsExactly(Verdict.UNSAFE, Verdict.SAFE, Verdict.UNKNOWN, Verdict.UNKNOWN);
        assertThat(fromCsv.get(0).flaggedClauses()).containsExactly("U1", "U3");
        assertThat(fromJsonl).extracting(PredictedRow::verdict).containsExactly(Verdict.UNSAFE, Verdict.SAFE);
        assertThat(fromJsonl.get(0).flaggedClauses()).containsExactly("U1", "U3");
    }

    @Test
    void repeatedPredictionIdIsAUserErrorAtItsLine() throws IOException {
        Path csv = TestFiles.write(dir, "p.csv", "id,verdict\na,safe\nb,safe\na,unsafe\n");

        assertThatThrownBy(() -> PredictionReader.read(csv)).isInstanceOfSatisfying(UserException.class, e ->
                assertThat(e.lines()).containsExactly(csv + ":4:1: error: [pred-id] id 'a' appears again (first at line 2)"));
    }

    @Test
    void predictionsWithoutAVerdictColumnAreRefused() throws IOException {
        Path csv = TestFiles.write(dir, "p.csv", "id,score\na,0.3\n");

        assertThatThrownBy(() -> PredictionReader.read(csv)).isInstanceOf(UserException.class)
                .hasMessageContaining("needs an 'id' column and a verdict column");
    }

    @Test
    void joinSeparatesMissingPredictionsFromParseFailures() {
        List<LabelledRow> gold = List.of(
                new LabelledRow(1, 2, "a", "p", null, Verdict.UNSAFE, List.of("U1"), null),
                new LabelledRow(2, 3, "b", "p", null, Verdict.SAFE, List.of(), null),
                new LabelledRow(3, 4, "c", "p", null, Verdict.SAFE, List.of(), null),
                new LabelledRow(4, 5, "d", "p", null, null, List.of(), null));
        List<PredictedRow> pred = List.of(
                new PredictedRow(2, "a", Verdict.UNSAFE, List.of("U1")),
                new PredictedRow(3, "b", Verdict.UNKNOWN, List.of()),
                new PredictedRow(4, "zz", Verdict.SAFE, List.of()));

        PredictionJoin.Result j = PredictionJoin.join(gold, pred);

        assertThat(j.predictions()).extracting(Prediction::id).containsExactly("a", "b");
        assertThat(j.predictions().get(0).goldCategories()).containsExactly("U1");
        assertThat(j.predictions().get(1).parseFailure()).isTrue();
        assertThat(j.missingIds()).containsExactly("c");
        assertThat(j.unmatchedIds()).containsExactly("zz");
        assertThat(j.unlabelled()).isEqualTo(1);
    }

    @Test
    void repeatedGoldIdMakesTheJoinAmbiguous() {
        List<LabelledRow> gold = List.of(
                new LabelledRow(1, 2, "a", "p", null, Verdict.UNSAFE, List.of(), null),
                new LabelledRow(2, 3, "a", "q", null, Verdict.SAFE, List.of(), null));

        assertThatThrownBy(() -> PredictionJoin.join(gold, List.of())).isInstanceOf(UserException.class)
                .hasMessageContaining("gold id 'a' appears twice (lines 2 and 3)");
    }
}
