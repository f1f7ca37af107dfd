package org.rsafe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.junit.jupiter.api.Assertions;
import org.rsafe.FuzzTries;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;

/**
 * Generated model outputs (RSafe-shaped fragments: think blocks, boxed answers, clause citations, and arbitrary text)
 * are parsed into a judgement without any exception and without hanging.
 */
@AddLifecycleHook(FuzzTries.class)
class OutputParserFuzzProperties {
    private static final Policy POLICY = PolicyLoader.parse("fuzz.yaml", """
            policy: 1
            id: fuzz
            name: Fuzz
            version: 1.0.0
            description: A policy for the parser's fuzzing.
            applies_to: both
            clauses:
              - id: U1
                title: Threats
                description: Threatening someone.
              - id: U2
                title: Fraud
                description: Helping with fraud.
            """).policy();

    @Property
    void anyOutputParsesToAJudgement(@ForAll("outputs") String output) {
        Judgement j = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> OutputParser.parse(output, POLICY));

        assertThat(j).isNotNull();
        assertThat(j.verdict()).isNotNull();
    }

    @Provide
    Arbitrary<String> outputs() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.of("<think>", "</think>", "\\boxed{", "}", "{", "safe", "unsafe", "Safe", "UNSAFE", "U1", "U2",
                        "U99", "[U1]", "(U2)", "clause U1", "violates", "step 1:", "\n", " ", "\\", "\\\\boxed{unsafe}",
                        "\u00e9", "\u041a1", "\u200b", "\uD83D\uDE00", "\uD800", "Human user:", "AI assistant:"),
                Arbitraries.strings().ofMaxLength(12));
        return pieces.list().ofMaxSize(80).map(p -> String.join("", p));
    }
}
