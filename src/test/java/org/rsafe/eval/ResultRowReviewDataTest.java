package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rsafe.trace.Verdict;

/** The per-clause REVIEW data of a result row as {@code results.jsonl} keeps it. */
class ResultRowReviewDataTest {

    private static ResultRow row(Map<String, Double> reviewZ) {
        return new ResultRow(3, "r3", Verdict.UNSAFE, Verdict.REVIEW, List.of(), Map.of("A", 0.61, "B", 0.2, "C", 0.7),
                true, 5, "abc", List.of(), "text", null, RowEvidence.NONE, reviewZ);
    }

    @Test
    void numbersAndTheTwoMarkersSurviveALine() throws JsonProcessingException {
        Map<String, Double> z = new LinkedHashMap<>();
        z.put("A", 2.41);
        z.put("B", Double.NEGATIVE_INFINITY);
        z.put("C", Double.POSITIVE_INFINITY);

        String line = BatchRunResults.toJson(row(z));

        assertThat(line).contains("\"review_z\":{\"A\":2.41,\"B\":\"always\",\"C\":\"never\"}");
        ResultRow back = BatchRunResults.fromJson(line);
        assertThat(back.reviewZ()).containsExactlyEntriesOf(z);
        assertThat(CalibrationRow.of(back).reviewZ("B")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(CalibrationRow.of(back).hasReviewData(List.of("A", "B", "C"))).isTrue();
    }

    @Test
    void aRowWithoutReviewDataWritesNoFieldAndReadsBackEmpty() throws JsonProcessingException {
        String line = BatchRunResults.toJson(row(Map.of()));

        assertThat(line).doesNotContain("review_z");
        assertThat(BatchRunResults.fromJson(line).reviewZ()).isEmpty();
        assertThat(CalibrationRow.of(BatchRunResults.fromJson(line)).hasReviewData(List.of("A"))).isFalse();
    }
}
