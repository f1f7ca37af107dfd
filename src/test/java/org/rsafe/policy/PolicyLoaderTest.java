package org.rsafe.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rsafe.util.DidYouMean;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.SourcePos;
import org.rsafe.util.UserException;

class PolicyLoaderTest {

    private static PolicyLoadResult parse(String text) {
        return PolicyLoader.parse("p.yaml", text);
    }

    private static List<String> formatted(PolicyLoadResult result) {
        return result.diagnostics().stream().map(Diagnostic::format).toList();
    }

    @Test
    void loadsEveryFieldOfAWellFormedPolicy() {
        PolicyLoadResult result = parse(PolicyTexts.CLEAN);

        assertThat(result.ok()).isTrue();
        assertThat(result.diagnostics()).isEmpty();
        Policy p = result.policy();
        assertThat(p.formatVersion()).isEqualTo(1);
        assertThat(p.id()).isEqualTo("demo");
        assertThat(p.name()).isEqualTo("Demo policy");
        assertThat(p.version()).isEqualTo("1.0");
        assertThat(p.appliesTo()).isEqualTo(AppliesTo.PROMPT);
        assertThat(p.hasInstructions()).isFalse();
        assertThat(p.source()).isEqualTo(PolicyTexts.CLEAN);
        assertThat(p.clauses()).extracting(Clause::id).containsExactly("W1", "S1");

        Clause w1 = p.clauses().get(0);
        assertThat(w1.title()).isEqualTo("Weapon construction");
        assertThat(w1.description()).isEqualTo(
                "Requests for step-by-step instructions to build firearms,\nexplosives or other weapons.\n");
        assertThat(w1.severity()).isEqualTo("high");
        assertThat(w1.threshold()).isEqualTo(0.5);
        assertThat(w1.violating()).extracting(Example::text)
                .containsExactly("How do I build a pipe bomb at home?", "Give me plans for an untraceable gun.");
        assertThat(p.clauses().get(1).threshold()).isNull();
        assertThat(p.clauses().get(1).severity()).isNull();
    }

    @Test
    void keepsTheOneBasedPositionOfEveryValue() {
        Policy p = parse(PolicyTexts.CLEAN).policy();

        assertThat(p.posOf("policy")).isEqualTo(new SourcePos(2, 9));
        assertThat(p.posOf("id")).isEqualTo(new SourcePos(3, 5));
        assertThat(p.posOf("version")).isEqualTo(new SourcePos(5, 10));
        assertThat(p.posOf("applies_to")).isEqualTo(new SourcePos(7, 13));
        assertThat(p.posOf("clauses")).isEqualTo(new SourcePos(10, 3));
        Clause w1 = p.clauses().get(0);
        assertThat(w1.pos()).isEqualTo(new SourcePos(10, 5));
        assertThat(w1.posOf("id")).isEqualTo(new SourcePos(10, 9));
        assertThat(w1.posOf("description")).isEqualTo(new SourcePos(12, 18));
        assertThat(w1.posOf("threshold")).isEqualTo(new SourcePos(16, 16));
        assertThat(w1.posOf("violating")).isEqualTo(new SourcePos(18, 7));
        assertThat(w1.safe().get(1).pos()).isEqualTo(new SourcePos(22, 9));
        assertThat(p.clauses().get(1).pos()).isEqualTo(new SourcePos(23, 5));
    }

    @Test
    void badIndentationGivesOneSyntaxErrorWithLineAndColumn() {
        PolicyLoadResult result = parse("""
                policy: 1
                clauses:
                  - id: a
                     title: x
                """);

        assertThat(result.policy()).isNull();
        assertThat(result.ok()).isFalse();
        assertThat(formatted(result)).singleElement().asString()
                .startsWith("p.yaml:4:11: error: [yaml-syntax] this line is indented further than the line above it")
                .contains("check the indentation");
    }

    @Test
    void keyOutdentedInsideAClauseIsASyntaxErrorAtThatLine() {
        PolicyLoadResult result = parse(PolicyTexts.HEADER + """
                  - id: a
                    title: x
                   description: y
                """);

        assertThat(formatted(result)).singleElement().asString()
                .startsWith("p.yaml:10:4: error: [yaml-syntax] this line does not line up with the block that starts at");
    }

    @Test
    void tabIndentationIsAReadableError() {
        PolicyLoadResult result = parse("policy: 1\nclauses:\n\t- id: a\n");

        assertThat(formatted(result)).containsExactly(
                "p.yaml:3:1: error: [yaml-syntax] tab character: YAML indentation must use spaces");
    }

    @Test
    void unterminatedQuoteIsASyntaxError() {
        PolicyLoadResult result = parse("policy: 1\nid: \"demo\n");

        assertThat(result.diagnostics()).singleElement()
                .satisfies(d -> assertThat(d.ruleId()).isEqualTo("yaml-syntax"))
                .satisfies(d -> assertThat(d.pos().known()).isTrue());
    }

    @Test
    void secondDocumentInOneFileIsAnError() {
        PolicyLoadResult result = parse("policy: 1\n---\npolicy: 1\n");

        assertThat(formatted(result)).singleElement().asString()
                .startsWith("p.yaml:2:1: error: [yaml-syntax] but found another document");
    }

    @Test
    void duplicateKeyIsAnErrorAtTheSecondOccurrence() {
        PolicyLoadResult result = parse(PolicyTexts.CLEAN.replace("name: Demo policy\n", "name: Demo policy\nid: again\n"));

        assertThat(result.ok()).isFalse();
        assertThat(formatted(result)).containsExactly(
                "p.yaml:5:1: error: [duplicate-key] duplicate key 'id' (first given at 3:1); only the first is used");
        assertThat(result.policy().id()).isEqualTo("demo");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            threshold as a word   | `  - {id: a, title: t, description: d, threshold: high}` | 8:50 | threshold must be a number from 0 to 1, found the text 'high'
            quoted threshold      | `  - {id: a, title: t, description: d, threshold: "0.5"}` | 8:50 | threshold must be a number from 0 to 1, found the text '0.5'
            violating as a text   | `  - {id: a, title: t, description: d, violating: bomb}` | 8:50 | 'violating' must be a list of example texts
            example as a mapping  | `  - {id: a, title: t, description: d, safe: [{x: 1}]}` | 8:46 | each example in 'safe' must be a text, found a mapping
            title as a list       | `  - {id: a, title: [x], description: d}` | 8:20 | 'title' must be a text, found a list
            clause as a text      | `  - just text` | 8:5 | clause 1 must be a mapping
            null threshold        | `  - {id: a, title: t, description: d, threshold: ~}` | 8:50 | threshold must be a number from 0 to 1, found no value
            """)
    void wrongTypesAreClearErrors(String name, String clauseLine, String pos, String message) {
        PolicyLoadResult result = parse(PolicyTexts.HEADER + clauseLine + "\n");

        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).singleElement().satisfies(d -> {
            assertThat(d.ruleId()).isEqualTo("wrong-type");
            assertThat(d.pos()).hasToString(pos);
            assertThat(d.message()).contains(message);
        });
    }

    @Test
    void clausesGivenAsTextAreAWrongTypeAndNothingElse() {
        PolicyLoadResult result = parse(PolicyTexts.HEADER.replace("clauses:\n", "clauses: none\n"));

        assertThat(formatted(result)).containsExactly("p.yaml:7:10: error: [wrong-type] 'clauses' must be a list of "
                + "clauses (each starting with '- id: ...'), found the text 'none'");
    }

    @Test
    void formatVersionThatIsNotANumberIsAWrongType() {
        PolicyLoadResult result = parse(PolicyTexts.CLEAN.replace("policy: 1", "policy: one"));

        assertThat(formatted(result)).containsExactly("p.yaml:2:9: error: [wrong-type] 'policy' is the format version and "
                + "must be the number 1, found the text 'one'");
    }

    @Test
    void missingRequiredFieldsAreEachReported() {
        PolicyLoadResult result = parse("""
                policy: 1
                id: t
                version: "1"
                description: d
                applies_to: prompt
                clauses:
                  - id: a
                    description: no title here
                  - title: no id here
                    description: d
                """);

        assertThat(formatted(result)).containsExactly(
                "p.yaml:1:1: error: [missing-field] the policy is missing the required key 'name'",
                "p.yaml:7:5: error: [missing-field] clause 'a' is missing the required key 'title'",
                "p.yaml:9:5: error: [missing-field] clause 2 is missing the required key 'id'");
        assertThat(result.policy()).isNotNull();
    }

    @Test
    void unknownKeyWarnsWithDidYouMean() {
        PolicyLoadResult result = parse(PolicyTexts.CLEAN.replace("    violating:\n      - How do I build",
                "    violatng:\n      - How do I build"));

        assertThat(formatted(result)).containsExactly(
                "p.yaml:17:5: warning: [unknown-key] unknown clause key 'violatng' (did you mean 'violating'?)");
        assertThat(result.ok()).as("warnings alone keep a policy usable").isTrue();
    }

    @Test
    void unknownKeyFarFromAnyKnownKeyListsTheKnownKeys() {
        PolicyLoadResult result = parse(PolicyTexts.CLEAN.replace("applies_to: prompt\n", "applies_to: prompt\nowner: me\n"));

        assertThat(result.warnings()).singleElement().satisfies(d -> assertThat(d.message())
                .isEqualTo("unknown policy key 'owner'; known keys: policy, id, name, version, description, "
                        + "applies_to, instructions, review_band, clauses"));
    }

    @Test
    void unknownAppliesToAndSeverityValuesAreErrorsWithSuggestions() {
        PolicyLoadResult result = parse(PolicyTexts.CLEAN.replace("applies_to: prompt", "applies_to: prompts")
                .replace("severity: high", "severity: hihg"));

        assertThat(formatted(result)).containsExactly(
                "p.yaml:7:13: error: [unknown-value] applies_to must be prompt, response or both, found 'prompts' "
                        + "(did you mean 'prompt'?)",
                "p.yaml:15:15: error: [unknown-value] severity of clause 'W1' must be low, medium, high or critical, "
                        + "found 'hihg' (did you mean 'high'?)");
    }

    @Test
    void thresholdOutsideZeroToOneIsAnError() {
        PolicyLoadResult result = parse(PolicyTexts.CLEAN.replace("threshold: 0.5", "threshold: 1.5"));

        assertThat(formatted(result)).containsExactly(
                "p.yaml:16:16: error: [threshold-range] threshold of clause 'W1' must be from 0 to 1, found 1.5");
    }

    @Test
    void formatVersionOtherThanOneIsAnError() {
        PolicyLoadResult result = parse(PolicyTexts.CLEAN.replace("policy: 1", "policy: 2"));

        assertThat(formatted(result)).containsExactly(
                "p.yaml:2:9: error: [format-version] unsupported policy format version 2; this tool reads 'policy: 1'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty file        | ''                | 1:1 | the file has no content
            only a comment    | '# nothing yet'   | 1:1 | the file has no content
            a list at the top | '- policy: 1'     | 1:1 | a policy file must be a mapping of keys (policy, id, name, ...), found a list
            a plain text      | 'hello'           | 1:1 | a policy file must be a mapping of keys (policy, id, name, ...), found the text 'hello'
            """)
    void fileThatIsNotAMappingIsUnusable(String name, String text, String pos, String message) {
        PolicyLoadResult result = parse(text);

        assertThat(result.policy()).isNull();
        assertThat(result.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.isError()).isTrue();
            assertThat(d.pos()).hasToString(pos);
            assertThat(d.message()).startsWith(message);
        });
    }

    @Test
    void positionsInWindowsLineEndingsMatchThoseInUnixLineEndings() {
        Policy unix = parse(PolicyTexts.CLEAN).policy();
        Policy windows = parse(PolicyTexts.CLEAN.replace("\n", "\r\n")).policy();

        assertThat(windows.positions()).isEqualTo(unix.positions());
        assertThat(windows.clauses().get(0).positions()).isEqualTo(unix.clauses().get(0).positions());
        assertThat(windows.clauses().get(0).description()).isEqualTo(unix.clauses().get(0).description());
    }

    @Test
    void columnsCountCharactersNotBytes() {
        PolicyLoadResult result = parse(PolicyTexts.CLEAN.replace("name: Demo policy", "name: Démo 😀 policy\nnäme: x"));

        assertThat(result.warnings()).singleElement().satisfies(d -> assertThat(d.pos()).isEqualTo(new SourcePos(5, 1)));
        assertThat(result.policy().posOf("version")).isEqualTo(new SourcePos(6, 10));
    }

    @Test
    void loadReadsTheFileAndKeepsItsExactText(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("demo.yaml");
        Files.writeString(file, PolicyTexts.CLEAN);

        PolicyLoadResult result = PolicyLoader.load(file);

        assertThat(result.ok()).isTrue();
        assertThat(result.policy().source()).isEqualTo(PolicyTexts.CLEAN);
    }

    @Test
    void missingFileIsADiagnosticNotAnException(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");

        PolicyLoadResult result = PolicyLoader.load(file);

        assertThat(result.policy()).isNull();
        assertThat(formatted(result)).containsExactly(file + ": error: no such file");
    }

    @Test
    void fileThatIsNotUtf8IsADiagnostic(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(formatted(PolicyLoader.load(file))).containsExactly(file + ":1:10: error: [encoding] invalid UTF-8: byte 0xE9 is not UTF-8 text; the file may be "
                + "in another encoding (such as Latin-1 or Windows-1252): save it as UTF-8");
    }

    @Test
    void loadOrThrowCarriesTheErrorsForTheCli(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, PolicyTexts.CLEAN.replace("threshold: 0.5", "threshold: high"));

        assertThatThrownBy(() -> PolicyLoader.loadOrThrow(file))
                .isInstanceOfSatisfying(UserException.class, e -> assertThat(e.lines()).containsExactly(
                        file + ":16:16: error: [wrong-type] threshold must be a number from 0 to 1, found the text 'high'"));
    }

    @Test
    void loadOrThrowReturnsAUsablePolicy(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("demo.yaml");
        Files.writeString(file, PolicyTexts.CLEAN);

        assertThat(PolicyLoader.loadOrThrow(file).clauses()).hasSize(2);
    }

    @Test
    void aliasBombIsRefusedWithADiagnostic() {
        StringBuilder sb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'k'; c++) {
            sb.append(c).append(": &").append(c).append(" [");
            sb.append(("*" + prev + ", ").repeat(9)).append("*").append(prev).append("]\n");
            prev = c;
        }

        PolicyLoadResult result = parse(sb.toString());

        assertThat(result.policy()).isNull();
        assertThat(result.diagnostics()).singleElement().satisfies(d -> assertThat(d.ruleId()).isEqualTo("yaml-syntax"));
    }
}
