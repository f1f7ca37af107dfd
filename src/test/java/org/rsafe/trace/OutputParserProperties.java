package org.rsafe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class OutputParserProperties {

    private static final Pattern RSAFE_FORMAT = Pattern.compile("<think>.*</think>.*\\\\boxed\\{.*\\}.*", Pattern.DOTALL);

    @Property
    void boxedBalancedContentComesBackStrippedAndLowerCased(@ForAll("balanced") String content,
            @ForAll("plainTail") String tail) {
        String output = "<think>reasoning</think> The answer is \\boxed{" + content + "}" + tail;

        assertThat(OutputParser.extractAnswer(output)).isEqualTo(content.strip().toLowerCase(java.util.Locale.ROOT));
    }

    @Property
    void extractionNeverThrowsAndAlwaysYieldsBalancedBraces(@ForAll("outputish") String output) {
        String answer = OutputParser.extractAnswer(output);

        if (answer != null) {
            int depth = 0;
            for (char c : answer.toCharArray()) {
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                assertThat(depth).isNotNegative();
            }
            assertThat(depth).isZero();
        }
    }

    @Property
    void extractionNeverThrowsOnArbitraryText(@ForAll String output) {
        String answer = OutputParser.extractAnswer(output);

        assertThat(answer == null || output.contains("\\boxed{")).isTrue();
    }

    @Property
    void formatCheckAcceptsExactlyWhatTheRsafeRegexAccepts(@ForAll("outputish") String output) {
        assertThat(OutputParser.formatOk(output)).isEqualTo(RSAFE_FORMAT.matcher(output).matches());
    }

    @Provide
    Arbitrary<String> balanced() {
        return Arbitraries.strings().withChars("abSAFEun {}.,").ofMaxLength(30).map(OutputParserProperties::balance);
    }

    @Provide
    Arbitrary<String> plainTail() {
        return Arbitraries.strings().withChars("ab {}.\n").ofMaxLength(15);
    }

    @Provide
    Arbitrary<String> outputish() {
        Arbitrary<String> piece = Arbitraries.of("<think>", "</think>", "\\boxed{", "{", "}", "safe", "unsafe",
                " ", "\n", "x", "\\", "<think", "boxed");
        return piece.list().ofMaxSize(12).map(parts -> String.join("", parts));
    }

    /** Drops closing braces that close nothing and closes what is left open. */
    private static String balance(String s) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (char c : s.toCharArray()) {
            if (c == '}') {
                if (depth == 0) {
                    continue;
                }
                depth--;
            } else if (c == '{') {
                depth++;
            }
            sb.append(c);
        }
        return sb.append("}".repeat(depth)).toString();
    }
}
