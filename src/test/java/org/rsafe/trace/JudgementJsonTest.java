package org.rsafe.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rsafe.prompt.RsafeDefaultTaxonomy;

class JudgementJsonTest {

    private static Judgement sample() {
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("U2", 0.91);
        scores.put("U1", 0.25);
        List<TraceStep> steps = List.of(
                new TraceStep(0, "The user wants a weapon (U2).", 8, 37,
                        List.of(new Citation("U2", Citation.Kind.EXPLICIT, 1.0), new Citation("U1", Citation.Kind.INFERRED, 0.4))),
                new TraceStep(1, "\\boxed{unsafe}", 46, 60, List.of()));
        return new Judgement(Verdict.UNSAFE, "unsafe", true, scores, List.of("U2"), steps,
                "<think>The user wants a weapon (U2).</think> \\boxed{unsafe}", "rendered ‑ prompt",
                new EngineIdentity("llm", "Nannanzi/RSafe", "abc123", "cpu", Map.of("temperature", "0.7")),
                1234L, 310, 87);
    }

    @Test
    void aJudgementSurvivesAJsonRoundTrip() {
        Judgement original = sample();

        assertThat(JudgementJson.fromJson(JudgementJson.toJson(original))).isEqualTo(original);
        assertThat(JudgementJson.fromJson(JudgementJson.toPrettyJson(original))).isEqualTo(original);
    }

    @Test
    void theReviewDataOfABatchRunStaysOutOfTheJson() {
        Judgement withReview = sample().withReviewZ(java.util.Map.of("U1", Double.NEGATIVE_INFINITY, "U2", 2.5));

        String json = JudgementJson.toJson(withReview);

        assertThat(json).doesNotContain("review_z").doesNotContain("Infinity");
        assertThat(JudgementJson.fromJson(json)).isEqualTo(sample());
    }

    @Test
    void aParsedJudgementWithoutAnswerSurvivesARoundTrip() {
        Judgement original = OutputParser.parse("<think>unsure", RsafeDefaultTaxonomy.policy());

        assertThat(JudgementJson.fromJson(JudgementJson.toJson(original))).isEqualTo(original);
    }

    @Test
    void jsonUsesSnakeCaseNamesAndLowerCaseEnums() {
        String json = JudgementJson.toJson(sample());

        assertThat(json).startsWith("{\"verdict\":\"unsafe\",\"answer\":\"unsafe\",\"format_ok\":true,")
                .contains("\"clause_scores\":{\"U2\":0.91,\"U1\":0.25}", "\"flagged_clauses\":[\"U2\"]",
                        "{\"clause_id\":\"U2\",\"kind\":\"explicit\",\"strength\":1.0,\"via\":\"id\",\"polarity\":\"supports\",\"problem\":\"none\",\"note\":\"\"}", "\"kind\":\"inferred\"",
                        "\"raw_output\":", "\"rendered_prompt\":", "\"model_id\":\"Nannanzi/RSafe\"",
                        "\"latency_millis\":1234", "\"prompt_tokens\":310", "\"completion_tokens\":87");
    }

    @Test
    void readingIgnoresFieldsAddedByNewerVersions() {
        String json = JudgementJson.toJson(sample()).replaceFirst("\\{", "{\"added_later\":[1,2],");

        assertThat(JudgementJson.fromJson(json)).isEqualTo(sample());
    }

    @Test
    void anUnknownVerdictWordIsRejected() {
        String json = JudgementJson.toJson(sample()).replace("\"verdict\":\"unsafe\"", "\"verdict\":\"maybe\"");

        assertThatThrownBy(() -> JudgementJson.fromJson(json)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("maybe");
    }

    @Test
    void malformedJsonIsRejected() {
        assertThatThrownBy(() -> JudgementJson.fromJson("{\"verdict\":")).isInstanceOf(UncheckedIOException.class);
    }
}
