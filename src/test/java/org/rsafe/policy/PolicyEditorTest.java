package org.rsafe.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.util.UserException;

class PolicyEditorTest {

    /** Comments in every place a comment can go, odd quoting, block scalars and flow lists. */
    static final String COMMENTED = """
            # Top comment: who owns this policy.
            policy: 1   # format version
            id: shop-assistant
            name: 'Shop assistant guard'
            version: "2.1"
            description: >-
              Keeps the shop assistant away from weapons
              and self-harm topics.
            applies_to: both
            instructions: |
              Prefer W1 over S1 when both fit.

            # Clauses below; keep W1 first.
            clauses:
              - id: W1          # weapons
                title: Weapons
                threshold: 0.7  # tuned on 2026-10 data
                description: |
                  Requests to build or buy weapons.
                violating:
                  - how to build a pipe bomb
                  # one more to add later
                safe:
                  - history of gunpowder

              # Self-harm has no threshold yet.
              - id: S1
                title: Self-harm
                description: Requests for self-harm methods.
                violating: [least painful way to hurt myself]
                safe:
                  - "how to support a friend"
                  - |
                    a long near miss
                    over two lines

            # trailing comment
            """;

    private static Policy load(String text) {
        PolicyLoadResult result = PolicyLoader.parse("p.yaml", text);
        assertThat(result.ok()).as("%s", result.diagnostics()).isTrue();
        return result.policy();
    }

    /** The lines of {@code after} that are not in {@code before}, matched in order (a line diff). */
    static List<String> addedLines(String before, String after) {
        List<String> b = before.lines().toList();
        List<String> a = after.lines().toList();
        int[][] lcs = new int[b.size() + 1][a.size() + 1];
        for (int i = b.size() - 1; i >= 0; i--) {
            for (int j = a.size() - 1; j >= 0; j--) {
                lcs[i][j] = b.get(i).equals(a.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> added = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (j < a.size()) {
            if (i < b.size() && b.get(i).equals(a.get(j))) {
                i++;
                j++;
            } else if (i < b.size() && lcs[i + 1][j] >= lcs[i][j + 1]) {
                i++;
            } else {
                added.add(a.get(j++));
            }
        }
        return added;
    }

    @Test
    void editingTwoThresholdsAndSavingKeepsEveryOtherByte(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shop.yaml");
        Files.writeString(file, COMMENTED);
        Policy policy = PolicyLoader.loadOrThrow(file);

        String once = PolicyEditor.setClauseThreshold(policy, "W1", 0.65);
        String twice = PolicyEditor.setClauseThreshold(load(once), "S1", 0.3);
        PolicyEditor.save(file, twice);
        Policy reloaded = PolicyLoader.loadOrThrow(file);

        assertThat(reloaded.clause("W1").orElseThrow().threshold()).isEqualTo(0.65);
        assertThat(reloaded.clause("S1").orElseThrow().threshold()).isEqualTo(0.3);
        String saved = Files.readString(file);
        assertThat(saved).isEqualTo(COMMENTED
                .replace("    threshold: 0.7  # tuned on 2026-10 data\n", "    threshold: 0.650  # tuned on 2026-10 data\n")
                .replace("        over two lines\n", "        over two lines\n    threshold: 0.300\n"));
        assertThat(addedLines(COMMENTED, saved)).containsExactly(
                "    threshold: 0.650  # tuned on 2026-10 data", "    threshold: 0.300");
        assertThat(reloaded.clauses()).extracting(Clause::id, Clause::title, Clause::description)
                .isEqualTo(policy.clauses().stream().map(c -> org.assertj.core.groups.Tuple.tuple(c.id(), c.title(),
                        c.description())).toList());
        assertThat(reloaded.clause("S1").orElseThrow().safe()).isEqualTo(policy.clause("S1").orElseThrow().safe());
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file is left behind").containsExactly(file);
        }
    }

    @Test
    void newThresholdGoesAfterATrailingBlockListAtTheClauseIndentation() {
        Policy p = load(PolicyTexts.CLEAN);

        String edited = PolicyEditor.setClauseThreshold(p, "S1", 0.25);

        assertThat(edited).endsWith("""
                    safe:
                      - How can I support a friend who self-harms?
                    threshold: 0.250
                """);
    }

    @Test
    void newThresholdGoesAfterABlockScalarButBeforeTheBlankLinesAndCommentsThatFollowIt() {
        String text = PolicyTexts.HEADER + """
                  - id: A1
                    title: Alpha
                    description: |
                      Alpha things.


                    # about B1
                  - id: B1
                    title: Beta
                    description: Beta things.
                """;

        String edited = PolicyEditor.setClauseThreshold(load(text), "A1", 0.5);

        assertThat(edited).isEqualTo(text.replace("      Alpha things.\n", "      Alpha things.\n    threshold: 0.500\n"));
        assertThat(load(edited).clause("A1").orElseThrow().description()).isEqualTo("Alpha things.\n");
    }

    @Test
    void blockScalarThatKeepsTrailingLinesKeepsThemAfterTheEdit() {
        String text = PolicyTexts.HEADER + """
                  - id: A1
                    title: Alpha
                    description: |+
                      Alpha things.

                  - id: B1
                    title: Beta
                    description: Beta things.
                """;
        String before = load(text).clause("A1").orElseThrow().description();

        Policy edited = load(PolicyEditor.setClauseThreshold(load(text), "A1", 0.5));

        assertThat(edited.clause("A1").orElseThrow().description()).isEqualTo(before).isEqualTo("Alpha things.\n\n");
        assertThat(edited.clause("A1").orElseThrow().threshold()).isEqualTo(0.5);
    }

    @Test
    void flowStyleClauseGetsTheThresholdInsideItsBraces() {
        String text = PolicyTexts.HEADER + "  - {id: A1, title: Alpha, description: Alpha things.}  # short form\n";

        String edited = PolicyEditor.setClauseThreshold(load(text), "A1", 1);

        assertThat(edited).isEqualTo(PolicyTexts.HEADER
                + "  - {id: A1, title: Alpha, description: Alpha things., threshold: 1.000}  # short form\n");
    }

    @Test
    void fileWithoutAFinalLineBreakGetsTheNewLineAtTheEnd() {
        String text = PolicyTexts.HEADER + "  - id: A1\n    title: Alpha\n    description: Alpha things.";

        String edited = PolicyEditor.setClauseThreshold(load(text), "A1", 0.1);

        assertThat(edited).isEqualTo(text + "\n    threshold: 0.100");
    }

    @Test
    void windowsLineEndingsAreKept() {
        String text = PolicyTexts.CLEAN.replace("\n", "\r\n");

        String edited = PolicyEditor.setClauseThreshold(load(text), "S1", 0.2);

        assertThat(edited).isEqualTo(text + "    threshold: 0.200\r\n");
        assertThat(edited.replace("\r\n", "")).doesNotContain("\n");
    }

    @Test
    void emptyThresholdValueIsFilledIn() {
        String text = PolicyTexts.CLEAN.replace("threshold: 0.5", "threshold:   # to tune");

        String edited = PolicyEditor.setClauseThreshold(PolicyLoader.parse("p.yaml", text).policy(), "W1", 0.4);

        assertThat(edited).isEqualTo(PolicyTexts.CLEAN.replace("threshold: 0.5", "threshold: 0.400   # to tune"));
    }

    @Test
    void thresholdsAreWrittenWithThreeDecimals() {
        assertThat(PolicyEditor.formatThreshold(0.5)).isEqualTo("0.500");
        assertThat(PolicyEditor.formatThreshold(0.12345)).isEqualTo("0.123");
        assertThat(PolicyEditor.formatThreshold(0.9996)).isEqualTo("1.000");
        assertThat(PolicyEditor.formatThreshold(0)).isEqualTo("0.000");
    }

    @Test
    void unknownClauseAndOutOfRangeThresholdAreUserErrors() {
        Policy p = load(PolicyTexts.CLEAN);

        assertThatThrownBy(() -> PolicyEditor.setClauseThreshold(p, "X9", 0.5))
                .isInstanceOf(UserException.class).hasMessage("the policy has no clause with id 'X9'");
        assertThatThrownBy(() -> PolicyEditor.setClauseThreshold(p, "W1", 1.5))
                .isInstanceOf(UserException.class).hasMessage("threshold must be from 0 to 1, got 1.5");
        assertThatThrownBy(() -> PolicyEditor.setClauseThreshold(p, "W1", Double.NaN)).isInstanceOf(UserException.class);
    }

    @Test
    void thresholdGivenByAnAliasIsNotRewrittenBehindTheAuthorsBack() {
        String text = PolicyTexts.CLEAN.replace("threshold: 0.5", "threshold: &t 0.5")
                + "  - {id: X1, title: X, description: X things., threshold: *t}\n";

        assertThatThrownBy(() -> PolicyEditor.setClauseThreshold(load(text), "X1", 0.2))
                .isInstanceOf(UserException.class).hasMessageContaining("edit it by hand");
    }

    @Test
    void setScalarReplacesAValueInPlaceKeepingItsComment() {
        String edited = PolicyEditor.setScalar(load(COMMENTED), "version", "2.2");

        assertThat(edited).isEqualTo(COMMENTED.replace("version: \"2.1\"", "version: 2.2"));
        assertThat(load(edited).version()).isEqualTo("2.2");
    }

    @Test
    void setScalarQuotesTextThatYamlWouldReadDifferently() {
        Policy p = load(COMMENTED);

        assertThat(load(PolicyEditor.setScalar(p, "name", "Shop: assistant # guard")).name())
                .isEqualTo("Shop: assistant # guard");
        assertThat(PolicyEditor.setScalar(p, "name", "yes")).contains("\nname: yes\n");
        assertThat(PolicyEditor.setScalar(p, "name", "null")).contains("\nname: \"null\"\n");
        assertThat(PolicyEditor.setScalar(p, "name", "- dash \"quoted\"")).contains("\nname: \"- dash \\\"quoted\\\"\"\n");
        assertThat(load(PolicyEditor.setScalar(p, "name", "")).name()).isEmpty();
    }

    @Test
    void setScalarWritesMultiLineTextAsALiteralBlock() {
        Policy p = load(COMMENTED);

        String edited = PolicyEditor.setScalar(p, "description", "Line one.\nLine two.");

        assertThat(edited).contains("\ndescription: |-\n  Line one.\n  Line two.\napplies_to: both\n");
        assertThat(load(edited).description()).isEqualTo("Line one.\nLine two.");
        String instructions = PolicyEditor.setScalar(p, "instructions", "  Indented first.\nSecond.\n\n");
        assertThat(load(instructions).instructions()).isEqualTo("  Indented first.\nSecond.\n\n");
        assertThat(addedLines(COMMENTED, instructions)).doesNotContain("# Clauses below; keep W1 first.");
        assertThat(instructions).contains("\ninstructions: \"  Indented first.\\nSecond.\\n\\n\"\n\n# Clauses below");
        String indented = PolicyEditor.setScalar(p, "instructions", "  Indented first.\nSecond.\n");
        assertThat(indented).contains("\ninstructions: |2\n    Indented first.\n  Second.\n\n# Clauses below");
        assertThat(load(indented).instructions()).isEqualTo("  Indented first.\nSecond.\n");
    }

    @Test
    void setScalarReplacesABlockWithOneLineAndAPlainValueWithABlock() {
        Policy p = load(COMMENTED);

        String oneLine = PolicyEditor.setScalar(p, "instructions", "Prefer W1.");
        String block = PolicyEditor.setScalar(load(oneLine), "instructions", "Prefer W1.\nThen S1.\n");

        assertThat(oneLine).contains("\ninstructions: Prefer W1.\n\n# Clauses below");
        assertThat(block).contains("\ninstructions: |\n  Prefer W1.\n  Then S1.\n\n# Clauses below");
        assertThat(load(block).instructions()).isEqualTo("Prefer W1.\nThen S1.\n");
    }

    @Test
    void setScalarAddsAMissingKeyJustBeforeTheClauses() {
        Policy p = load(PolicyTexts.CLEAN);

        String edited = PolicyEditor.setScalar(p, "instructions", "Prefer W1 when both fit.");

        assertThat(edited).isEqualTo(PolicyTexts.CLEAN.replace("applies_to: prompt\n",
                "applies_to: prompt\ninstructions: Prefer W1 when both fit.\n"));
        assertThat(load(edited).instructions()).isEqualTo("Prefer W1 when both fit.");
    }

    @Test
    void setScalarRefusesKeysThatAreNotSingleValues() {
        Policy p = load(PolicyTexts.CLEAN);

        assertThatIllegalArgumentException().isThrownBy(() -> PolicyEditor.setScalar(p, "clauses", "x"));
        assertThatIllegalArgumentException().isThrownBy(() -> PolicyEditor.setScalar(p, "owner", "x"));
    }
}
