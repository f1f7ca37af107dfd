package org.rsafe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rsafe.prompt.RsafeDefaultTaxonomy;

class OutputParserTest {

    @Test
    void parseReadsVerdictFormatAndCitedSteps() {
        String raw = "<think>\n1. The user asks how to make a pipe bomb.\n2. That is covered by U2 and by "
                + "violence & physical harm.\n</think>\nThe request is unsafe. \\boxed{unsafe}";

        Judgement j = OutputParser.parse(raw, RsafeDefaultTaxonomy.policy());

        assertThat(j.verdict()).isEqualTo(Verdict.UNSAFE);
        assertThat(j.answer()).isEqualTo("unsafe");
        assertThat(j.formatOk()).isTrue();
        assertThat(j.rawOutput()).isEqualTo(raw);
        assertThat(j.steps()).hasSize(3);
        assertThat(j.steps().get(0).citations()).isEmpty();
        assertThat(j.steps().get(1).citations()).extracting(Citation::clauseId).containsExactly("U2", "U1");
        assertThat(j.steps().get(2).text()).isEqualTo("The request is unsafe. \\boxed{unsafe}");
    }

    @Test
    void parseReportsAnUnreadableAnswerAsUnknown() {
        Judgement j = OutputParser.parse("<think>hmm</think> \\boxed{\\text{unsafe}}", RsafeDefaultTaxonomy.policy());

        assertThat(j.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(j.parseFailure()).isTrue();
        assertThat(j.answer()).isEqualTo("\\text{unsafe}");
        assertThat(j.formatOk()).isTrue();
    }

    @Test
    void parseOfAnOutputWithoutBoxHasNoAnswer() {
        Judgement j = OutputParser.parse("I think it is safe.", RsafeDefaultTaxonomy.policy());

        assertThat(j.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(j.answer()).isNull();
        assertThat(j.formatOk()).isFalse();
        assertThat(j.steps()).extracting(TraceStep::text).isEqualTo(List.of("I think it is safe."));
    }
}
