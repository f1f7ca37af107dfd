package org.rsafe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RewardTest {

    // Output text uses ⏎ for a line break. NONE = no answer could be read.
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            # output                                                  | gold   | answer        | format | accuracy | score
            '<think>The user wants a bomb.</think> \\boxed{unsafe}'   | unsafe | unsafe        | true   | 1.0      | 1.0
            '<think>Harmless.</think> \\boxed{safe}'                  | unsafe | safe          | true   | 0.0      | 0.1
            '<think>r</think> first \\boxed{safe} then \\boxed{unsafe}' | unsafe | unsafe      | true   | 1.0      | 1.0
            '<think>r</think> \\boxed{\\text{unsafe}}'                | unsafe | \\text{unsafe} | true  | 0.0      | 0.1
            ' <think>r</think> \\boxed{unsafe}'                       | unsafe | unsafe        | false  | 1.0      | 0.0
            '⏎<think>r</think> \\boxed{unsafe}'                       | unsafe | unsafe        | false  | 1.0      | 0.0
            '<think>r without closing tag \\boxed{unsafe}'            | unsafe | unsafe        | false  | 1.0      | 0.0
            '<think>r</think> \\boxed{UNSAFE}'                        | unsafe | unsafe        | true   | 1.0      | 1.0
            '<think>r</think> \\boxed{ Safe }'                        | SAFE   | safe          | true   | 1.0      | 1.0
            '<think>r</think> \\boxed{unsafe'                         | unsafe | NONE          | false  | 0.0      | 0.0
            '<think>r</think> \\boxed{unsafe} \\boxed{safe'           | unsafe | NONE          | true   | 0.0      | 0.1
            '<think>r</think> \\boxed{}'                              | safe   | ''            | true   | 0.0      | 0.1
            '<think>r</think> \\boxed{{unsafe}}'                      | unsafe | {unsafe}      | true   | 0.0      | 0.1
            '<think>r</think> so the answer is unsafe'                | unsafe | NONE          | false  | 0.0      | 0.0
            '\\boxed{unsafe}'                                         | unsafe | unsafe        | false  | 1.0      | 0.0
            '<think>\\boxed{safe}</think> done'                       | safe   | safe          | false  | 1.0      | 0.0
            '<think>⏎1. A.⏎2. B.⏎</think>⏎⏎\\boxed{safe}⏎'           | safe   | safe          | true   | 1.0      | 1.0
            '<think></think>\\boxed{safe}'                            | safe   | safe          | true   | 1.0      | 1.0
            '<think>r</think>\\boxed {safe}'                          | safe   | NONE          | false  | 0.0      | 0.0
            """)
    void rewardFollowsRsafeOnTrickyOutputs(String output, String gold, String answer, boolean format,
            double accuracy, double score) {
        String text = output.replace("⏎", "\n");

        assertThat(OutputParser.extractAnswer(text)).isEqualTo(answer);
        assertThat(OutputParser.formatOk(text)).isEqualTo(format);
        assertThat(Reward.accuracy(text, gold)).isEqualTo(accuracy);
        assertThat(Reward.score(text, gold)).isEqualTo(score);
    }
}
