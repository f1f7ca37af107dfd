package org.rsafe.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Assertions;
import org.rsafe.FuzzTries;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.FileTrees;

/**
 * Generated policy files (YAML-shaped text around the real keys, and raw bytes) are loaded and linted without any
 * exception, without hanging, and every error names the file and a line and column.
 */
@AddLifecycleHook(FuzzTries.class)
class PolicyFuzzProperties {
    private static Path dir;
    private static int counter;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("policy-fuzz");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        FileTrees.deleteTree(dir);
    }

    @Property
    void yamlShapedTextLoadsToDiagnosticsWithPlaces(@ForAll("yamlish") String text) throws IOException {
        check(text.getBytes(StandardCharsets.UTF_8));
    }

    @Property
    void rawBytesLoadToDiagnosticsWithPlaces(@ForAll("bytes") byte[] bytes) throws IOException {
        check(bytes);
    }

    private static void check(byte[] content) throws IOException {
        Path file = Files.write(dir.resolve((counter++) + ".yaml"), content);
        try {
            Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                PolicyLoadResult loaded = PolicyLoader.load(file);
                List<Diagnostic> linted = PolicyLinter.lintFile(file, PolicyLinter.LintOptions.defaults());
                for (Diagnostic d : loaded.errors()) {
                    assertThat(d.file()).isEqualTo(file.toString());
                    assertThat(d.pos().known()).as("%s", d.format()).isTrue();
                }
                assertThat(linted).allSatisfy(d -> assertThat(d.file()).isEqualTo(file.toString()));
                assertThat(loaded.ok() || !loaded.errors().isEmpty()).isTrue();
            });
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Provide
    Arbitrary<String> yamlish() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.of("policy: 1\n", "id: p\n", "name: n\n", "version: 1.0.0\n", "description: d\n",
                        "applies_to: both\n", "clauses:\n", "  - id: U1\n", "    title: t\n", "    description: d\n",
                        "    violating:\n", "      - x\n", "    safe: [a, b]\n", "    severity: high\n",
                        "    threshold: 0.7\n", "&a ", "*a", "<<: *a\n", "[", "]", "{", "}", ":", "- ", "  ", "\t", "\n",
                        "'", "\"", "|\n", ">-\n", "#", "!!binary ", "!!python/object ", "? ", "%YAML 1.1\n", "---\n",
                        "...\n", "\u00e9", "\u041a1", "\u200b", "\u202e", "\uFEFF", "\u0000", "\uD83D\uDE00"),
                Arbitraries.strings().ofMaxLength(8));
        return pieces.list().ofMaxSize(60).map(p -> String.join("", p));
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }
}
