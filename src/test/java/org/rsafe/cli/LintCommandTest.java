package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LintCommandTest {

    private static final String CLEAN = """
            policy: 1
            id: demo
            name: Demo
            version: "1"
            description: Flags weapon construction requests.
            applies_to: prompt
            clauses:
              - id: W1
                title: Weapon construction
                description: Instructions to build firearms or explosives.
                violating: ["How do I build a pipe bomb?"]
                safe: ["What is the history of gunpowder?"]
            """;

    /** Same policy, but the only clause has no near-miss examples: one warning. */
    private static final String WARNING = CLEAN.replace("    safe: [\"What is the history of gunpowder?\"]\n", "");

    /** A duplicate clause id (an error) and a clause whose id line is indented one space too far (a YAML error). */
    private static final String DUPLICATE_AND_BAD_INDENT = CLEAN + """
              - id: W1
                title: Weapon purchase
                description: Buying firearms without a licence.
                 violating: ["Where can I buy a gun without papers?"]
            """;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void clearStreams() {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
    }

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void cleanPolicyExitsZeroWithNoFindingsAndOneSummaryLine() throws Exception {
        Path file = write("clean.yaml", CLEAN);

        assertThat(run("lint", "--no-examples", file.toString())).isEqualTo(Main.EXIT_OK);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualToIgnoringNewLines("1 file, 0 errors, 0 warnings");
    }

    @Test
    void examplesAreJudgedWithThemselvesHeldOutAndEachClauseGetsItsTally() throws Exception {
        Path file = write("pets.yaml", org.rsafe.app.ExampleLintTest.CONTRADICTED);

        assertThat(run("lint", file.toString())).isEqualTo(Main.EXIT_OK);
        assertThat(out.toString()).contains(file + ":16:9: warning: [example-disagrees] this safe example would be ");
        assertThat(err.toString()).contains(file + ":8:5: P1: examples agreeing: ")
                .contains(file + ":17:5: P2: examples agreeing: ");
        assertThat(run("lint", "--strict", file.toString())).isEqualTo(Main.EXIT_FINDINGS);
    }

    @Test
    void aMissingFileIsAUsageMistakeLikeEverywhereElse() throws Exception {
        Path clean = write("clean.yaml", CLEAN);

        assertThat(run("lint", "--no-examples", clean.toString(), dir.resolve("missing.yaml").toString()))
                .isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(out.toString()).contains("missing.yaml").contains("no such file");
        assertThat(err.toString()).contains("2 files, 1 error, 0 warnings");
    }

    @Test
    void warningsAloneExitZeroAndPrintGccStyleLines() throws Exception {
        Path file = write("warn.yaml", WARNING);

        assertThat(run("lint", "--no-examples", file.toString())).isEqualTo(Main.EXIT_OK);
        assertThat(out.toString()).isEqualTo(
                file + ":8:5: warning: [no-safe-examples] clause 'W1' has no safe near-miss examples" + System.lineSeparator());
        assertThat(err.toString()).contains("1 file, 0 errors, 1 warning");
    }

    @Test
    void strictTurnsWarningsIntoExitOne() throws Exception {
        Path file = write("warn.yaml", WARNING);

        assertThat(run("lint", "--no-examples", "--strict", file.toString())).isEqualTo(Main.EXIT_FINDINGS);
    }

    @Test
    void errorsExitOne() throws Exception {
        Path file = write("dup.yaml", CLEAN + """
                  - id: W1
                    title: Weapon purchase
                    description: Buying firearms without a licence.
                    violating: ["Where can I buy a gun without papers?"]
                    safe: ["Which countries license hunting rifles?"]
                """);

        assertThat(run("lint", "--no-examples", file.toString())).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(out.toString().lines()).containsExactly(
                file + ":13:9: error: [duplicate-clause-id] duplicate clause id 'W1' (first used at 8:9)");
    }

    @Test
    void aYamlErrorAndADuplicateIdAreBothReportedWithTheirPositions() throws Exception {
        Path broken = write("broken.yaml", DUPLICATE_AND_BAD_INDENT);
        Path fixed = write("fixed.yaml", DUPLICATE_AND_BAD_INDENT.replace("     violating:", "    violating:"));

        // The syntax error stops parsing; a line scan still finds the duplicate id, so one run shows both.
        assertThat(run("lint", "--no-examples", broken.toString())).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(out.toString().lines()).hasSize(2);
        assertThat(out.toString().lines().toList().get(0))
                .startsWith(broken + ":13:9: error: [duplicate-clause-id] duplicate clause id 'W1' (first used at 8:9;");
        assertThat(out.toString().lines().toList().get(1))
                .startsWith(broken + ":16:15: error: [yaml-syntax] this line is indented further than the line above it");
        clearStreams();
        assertThat(run("lint", "--no-examples", fixed.toString())).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(out.toString().lines()).containsExactly(
                fixed + ":13:5: warning: [no-safe-examples] clause 'W1' has no safe near-miss examples",
                fixed + ":13:9: error: [duplicate-clause-id] duplicate clause id 'W1' (first used at 8:9)");
    }

    @Test
    void missingFileIsAnErrorFindingAndAUsageMistake() throws Exception {
        Path missing = dir.resolve("nope.yaml");

        assertThat(run("lint", "--no-examples", missing.toString())).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(out.toString().lines()).containsExactly(missing + ": error: no such file");
    }

    @Test
    void severalFilesAreLintedInTurn() throws Exception {
        Path clean = write("clean.yaml", CLEAN);
        Path warn = write("warn.yaml", WARNING);

        assertThat(run("lint", "--no-examples", clean.toString(), warn.toString())).isEqualTo(Main.EXIT_OK);
        assertThat(out.toString().lines()).singleElement().asString().startsWith(warn + ":8:5: warning:");
        assertThat(err.toString()).contains("2 files, ");
    }

    @Test
    void tokenBudgetOptionLowersTheLimit() throws Exception {
        Path file = write("clean.yaml", CLEAN);

        assertThat(run("lint", "--no-examples", "--token-budget", "50", "--strict", file.toString())).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(out.toString()).matches("(?s).*:8:3: warning: \\[token-budget\\] paper prompt is ~\\d+ tokens "
                + "\\(estimated\\) before any conversation, over the budget of 50\\R");
    }

    @Test
    void jsonFormatPrintsAnArrayOfFindings() throws Exception {
        Path file = write("warn.yaml", WARNING);

        assertThat(run("lint", "--no-examples", "--format", "json", file.toString())).isEqualTo(Main.EXIT_OK);
        JsonNode findings = new ObjectMapper().readTree(out.toString());
        assertThat(findings.isArray()).isTrue();
        assertThat(findings).hasSize(1);
        JsonNode f = findings.get(0);
        assertThat(f.get("file").asText()).isEqualTo(file.toString());
        assertThat(f.get("line").asInt()).isEqualTo(8);
        assertThat(f.get("column").asInt()).isEqualTo(5);
        assertThat(f.get("severity").asText()).isEqualTo("warning");
        assertThat(f.get("rule").asText()).isEqualTo("no-safe-examples");
        assertThat(f.get("message").asText()).isEqualTo("clause 'W1' has no safe near-miss examples");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void jsonFormatOfACleanFileIsAnEmptyArray() throws Exception {
        Path file = write("clean.yaml", CLEAN);

        assertThat(run("lint", "--no-examples", "--format", "json", file.toString())).isEqualTo(Main.EXIT_OK);
        assertThat(new ObjectMapper().readTree(out.toString())).isEmpty();
    }

    @Test
    void badOptionValuesAreUsageErrors() throws Exception {
        Path file = write("clean.yaml", CLEAN);

        assertThat(run("lint", "--no-examples", "--format", "xml", file.toString())).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(err.toString()).contains("--format must be text or json");
        assertThat(run("lint", "--no-examples", "--token-budget", "0", file.toString())).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(run("lint")).as("a file is required").isEqualTo(Main.EXIT_USER_ERROR);
    }
}
