package org.rsafe.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rsafe.policy.PolicyLinter.LintOptions;
import org.rsafe.util.Diagnostic;

/** The policies shipped in policies/ are examples users copy: they must load and lint without a finding. */
class ShippedPoliciesTest {

    static Stream<Path> shippedPolicies() throws IOException {
        Path dir = Path.of("policies");
        List<Path> files = List.of();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> list = Files.list(dir)) {
                files = list.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
            }
        }
        Assumptions.assumeFalse(files.isEmpty(), "no shipped policies in " + dir.toAbsolutePath());
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shippedPolicies")
    void shippedPolicyLintsClean(Path file) {
        List<String> findings = PolicyLinter.lintFile(file, LintOptions.defaults()).stream().map(Diagnostic::format).toList();

        assertThat(findings).isEmpty();
    }
}
