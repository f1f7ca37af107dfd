package org.rsafe.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.rsafe.prompt.TemplateKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.rsafe.policy.PolicyLinter.LintOptions;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.SourcePos;

class PolicyLinterTest {

    private static final LintOptions DEFAULTS = LintOptions.defaults();

    private static List<Diagnostic> lint(String text) {
        return PolicyLinter.lintText("p.yaml", text, DEFAULTS);
    }

    private static List<String> lines(List<Diagnostic> diagnostics) {
        return diagnostics.stream().map(Diagnostic::format).toList();
    }

    /** A clause with distinct wording and one example of each kind, 5 lines long. */
    private static String clause(String id, String title, String description) {
        return "  - id: " + id + "\n    title: " + title + "\n    description: " + description + "\n"
                + "    violating: [" + id + " violating example]\n    safe: [" + id + " safe example]\n";
    }

    @Test
    void aliasesAreReadAndAnAliasNamingAnotherClauseIsAWarning() {
        String text = PolicyTexts.HEADER + clause("A1", "Alpha", "Alpha things.") + "    aliases: [first letter, Beta]\n"
                + clause("B1", "Beta", "Beta things.") + "    aliases: [second letter, first letter, '']\n";

        Policy policy = PolicyLoader.parse("p.yaml", text).policy();
        List<String> findings = lines(lint(text));

        assertThat(policy.clauses().get(0).aliases()).containsExactly("first letter", "Beta");
        assertThat(findings).anySatisfy(f -> assertThat(f).startsWith("p.yaml:13:14: warning: [alias-clash] alias 'Beta' "
                + "of clause 'A1' also names clause 'B1'"));
        assertThat(findings).anySatisfy(f -> assertThat(f).contains("alias 'first letter' of clause 'B1' also names clause 'A1'"));
        assertThat(findings).anySatisfy(f -> assertThat(f).contains("clause 'B1' has an empty alias"));
        assertThat(findings).hasSize(3);
    }

    @Test
    void aSingleTextAliasIsAListOfOne() {
        String text = PolicyTexts.HEADER + clause("A1", "Alpha", "Alpha things.") + "    aliases: first letter\n";

        assertThat(PolicyLoader.parse("p.yaml", text).policy().clauses().get(0).aliases()).containsExactly("first letter");
        assertThat(lint(text)).isEmpty();
    }

    @Test
    void cleanPolicyHasNoFindings() {
        assertThat(lint(PolicyTexts.CLEAN)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Cyrillic K beside Latin K  | \u041a1      | p.yaml:13:9: error: [clause-id-character] clause id '<U+041A>1' contains U+041A CYRILLIC CAPITAL LETTER KA
            zero-width space           | K\u200b1     | p.yaml:13:10: error: [clause-id-character] clause id 'K<U+200B>1' contains U+200B ZERO WIDTH SPACE
            right-to-left override     | \u202eK1     | p.yaml:13:9: error: [clause-id-character] clause id '<U+202E>K1' contains U+202E RIGHT-TO-LEFT OVERRIDE
            written as a YAML escape   | "K\\u200b1" | p.yaml:13:9: error: [clause-id-character] clause id 'K<U+200B>1' contains U+200B ZERO WIDTH SPACE
            a space inside             | "K 1"        | p.yaml:13:11: error: [clause-id-character] clause id 'K 1' contains U+0020 SPACE
            """)
    void lintRejectsClauseIdsOutsideTheIdAlphabet(String name, String lookAlike, String expected) {
        // The compiler turns the \\u escapes of the table into the characters themselves; the YAML row keeps its
        // backslash, so YAML decodes that escape.
        String text = PolicyTexts.HEADER + clause("K1", "Kites", "Kite flying.")
                + clause(lookAlike, "Knives", "Knife fights.").replace("[" + lookAlike + " ", "[knife ");

        List<String> found = lines(lint(text));

        assertThat(found).filteredOn(l -> l.contains("[clause-id-character]")).hasSize(1)
                .allSatisfy(l -> assertThat(l).startsWith(expected).contains("ASCII letters, digits, '_', '-' and '.'"));
    }

    @Test
    void idsOfLettersDigitsUnderscoresDashesAndDotsAreAccepted() {
        String text = PolicyTexts.HEADER + clause("K1", "Kites", "Kite flying.")
                + clause("self-harm_2.b", "Knives", "Knife fights.").replace("[self-harm_2.b ", "[knife ");

        assertThat(lines(lint(text))).noneMatch(l -> l.contains("[clause-id-character]"));
    }

    static Stream<Arguments> badPolicies() {
        return Stream.of(
                Arguments.of("duplicate clause ids (case-insensitive)",
                        PolicyTexts.HEADER + clause("A1", "Alpha", "Alpha things.") + clause("a1", "Beta", "Beta things.")
                                .replace("[a1 ", "[beta "),
                        "p.yaml:13:9: error: [duplicate-clause-id] duplicate clause id 'a1' (first used at 8:9)"),
                Arguments.of("empty title",
                        PolicyTexts.HEADER + clause("A1", "\"\"", "Alpha things."),
                        "p.yaml:9:12: error: [empty-field] clause 'A1' has an empty title"),
                Arguments.of("blank description",
                        PolicyTexts.HEADER + clause("A1", "Alpha", "\"  \""),
                        "p.yaml:10:18: error: [empty-field] clause 'A1' has an empty description"),
                Arguments.of("empty example",
                        PolicyTexts.HEADER + clause("A1", "Alpha", "Alpha things.").replace("[A1 safe example]", "[\"\"]"),
                        "p.yaml:12:12: error: [empty-field] clause 'A1' has an empty example"),
                Arguments.of("empty id",
                        PolicyTexts.HEADER + clause("\"\"", "Alpha", "Alpha things.").replace("[\"\" ", "[alpha "),
                        "p.yaml:8:9: error: [template-break] empty clause id; each category line of the prompt starts with the id"),
                Arguments.of("line break in a title",
                        PolicyTexts.HEADER + clause("A1", "\"two\\nlines\"", "Alpha things."),
                        "p.yaml:9:12: error: [template-break] the title of clause 'A1' contains a line break; it must fit on its category line"),
                Arguments.of("end marker in a title",
                        PolicyTexts.HEADER + clause("A1", "Alpha <END UNSAFE CONTENT CATEGORIES>", "Alpha things."),
                        "p.yaml:9:18: error: [template-break] the title of clause 'A1' contains '<END', which the prompt uses to delimit the categories"),
                Arguments.of("begin marker inside a description block",
                        PolicyTexts.HEADER + clause("A1", "Alpha", "|\n      Alpha things, not\n      <begin lists.\n"),
                        "p.yaml:12:7: error: [template-break] the description of clause 'A1' contains '<begin', which the prompt uses to delimit the categories"),
                Arguments.of("no violating examples",
                        PolicyTexts.HEADER + clause("A1", "Alpha", "Alpha things.").replace("    violating: [A1 violating example]\n", ""),
                        "p.yaml:8:5: warning: [no-violating-examples] clause 'A1' has no violating examples"),
                Arguments.of("empty safe list",
                        PolicyTexts.HEADER + clause("A1", "Alpha", "Alpha things.").replace("[A1 safe example]", "[]"),
                        "p.yaml:12:11: warning: [no-safe-examples] clause 'A1' has no safe near-miss examples"),
                Arguments.of("vague word in a plain description",
                        PolicyTexts.HEADER + clause("A1", "Alpha", "Alpha things that Often hurt."),
                        "p.yaml:10:36: warning: [vague-word] vague word 'Often' in the description of clause 'A1'; say exactly what is covered"),
                Arguments.of("vague word on the third line of a literal block",
                        PolicyTexts.HEADER + clause("A1", "Alpha", "|  # may is fine in a comment\n      Alpha things\n      that hurt,\n      or might.\n"),
                        "p.yaml:13:10: warning: [vague-word] vague word 'might' in the description of clause 'A1'; say exactly what is covered"),
                Arguments.of("vague phrase split across a folded block",
                        PolicyTexts.HEADER + clause("A1", "Alpha", ">\n      Alpha things, knives and\n      so on.\n"),
                        "p.yaml:11:28: warning: [vague-word] vague word 'and so on' in the description of clause 'A1'; say exactly what is covered"),
                Arguments.of("vague word in a multi-line plain description",
                        PolicyTexts.HEADER + clause("A1", "Alpha", "Alpha things,\n      knives, etc.").replace("knives, etc.\n", "knives, etc.\n"),
                        "p.yaml:11:15: warning: [vague-word] vague word 'etc.' in the description of clause 'A1'; say exactly what is covered"),
                Arguments.of("vague word behind an escape points at the value",
                        PolicyTexts.HEADER + clause("A1", "Alpha", "\"Alpha things\\nusually.\""),
                        "p.yaml:10:18: warning: [vague-word] vague word 'usually' in the description of clause 'A1'; say exactly what is covered"),
                Arguments.of("vague word in the instructions",
                        PolicyTexts.HEADER.replace("clauses:", "instructions: |\n  Pick the clause that\n  generally fits.\nclauses:")
                                + clause("A1", "Alpha", "Alpha things."),
                        "p.yaml:9:3: warning: [vague-word] vague word 'generally' in the instructions; say exactly what is covered"),
                Arguments.of("vague word in the policy description",
                        PolicyTexts.HEADER.replace("description: Test policy.", "description: Flags questionable content.")
                                + clause("A1", "Alpha", "Alpha things."),
                        "p.yaml:5:20: warning: [vague-word] vague word 'questionable' in the policy description; say exactly what is covered"),
                Arguments.of("one example in two clauses",
                        PolicyTexts.HEADER + clause("A1", "Alpha", "Alpha things.")
                                + clause("B1", "Beta", "Beta things.").replace("[B1 safe example]", "[\"  a1   VIOLATING example \"]"),
                        "p.yaml:17:12: warning: [duplicate-example] example also appears in the violating examples of clause 'A1' (first at 11:17)"),
                Arguments.of("one example both violating and safe",
                        PolicyTexts.HEADER + clause("A1", "Alpha", "Alpha things.").replace("[A1 safe example]", "[a1 Violating example]"),
                        "p.yaml:12:12: warning: [duplicate-example] example is both violating and safe in clause 'A1' (first at 11:17)"),
                Arguments.of("clauses worded alike without instructions",
                        PolicyTexts.HEADER + clause("A1", "Weapon instructions", "Instructions for building guns and bombs.")
                                + clause("B1", "Weapon building", "Instructions for building bombs and guns at home."),
                        "p.yaml:13:5: warning: [overlapping-clauses] clauses 'A1' and 'B1' are worded alike (0.83 of their "
                                + "content words shared, over 0.5) and the policy has no instructions saying how to tell them apart"),
                Arguments.of("threshold outside 0..1",
                        PolicyTexts.HEADER + clause("A1", "Alpha", "Alpha things.") + "    threshold: -0.1\n",
                        "p.yaml:13:16: error: [threshold-range] threshold of clause 'A1' must be from 0 to 1, found -0.1"),
                Arguments.of("unknown severity",
                        PolicyTexts.HEADER + clause("A1", "Alpha", "Alpha things.") + "    severity: severe\n",
                        "p.yaml:13:15: error: [unknown-value] severity of clause 'A1' must be low, medium, high or critical, found 'severe'"),
                Arguments.of("unknown applies_to",
                        PolicyTexts.HEADER.replace("applies_to: both", "applies_to: all") + clause("A1", "Alpha", "Alpha things."),
                        "p.yaml:6:13: error: [unknown-value] applies_to must be prompt, response or both, found 'all'"),
                Arguments.of("format version 2",
                        PolicyTexts.HEADER.replace("policy: 1", "policy: 2") + clause("A1", "Alpha", "Alpha things."),
                        "p.yaml:1:9: error: [format-version] unsupported policy format version 2; this tool reads 'policy: 1'"),
                Arguments.of("no clauses",
                        PolicyTexts.HEADER.replace("clauses:\n", "clauses: []\n"),
                        "p.yaml:7:10: error: [no-clauses] the policy has no clauses"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPolicies")
    void everyRuleFiresAtTheRightLineAndColumn(String name, String text, String expected) {
        List<Diagnostic> findings = lint(text);

        assertThat(lines(findings)).containsOnlyOnce(expected);
        assertThat(lines(findings)).as("one finding per mistake").hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            title as a list      | `  - {id: a, title: [x], description: d, violating: [v], safe: [s]}`
            violating as a text  | `  - {id: a, title: t, description: d, violating: bomb, safe: [s]}`
            safe items as lists  | `  - {id: a, title: t, description: d, violating: [v], safe: [[s]]}`
            clause as a text     | `  - just text`
            threshold as a word  | `  - {id: a, title: t, description: d, violating: [v], safe: [s], threshold: high}`
            """)
    void mistypedValueIsReportedOnceNotAgainAsEmptyOrMissing(String name, String clauseLine) {
        List<Diagnostic> findings = lint(PolicyTexts.HEADER + clauseLine + "\n");

        assertThat(findings).extracting(Diagnostic::ruleId).containsExactly("wrong-type");
    }

    @Test
    void unquotedQuestionMarkInAFlowListGetsAQuotingHint() {
        List<Diagnostic> findings = lint(PolicyTexts.HEADER + "  - {id: a, title: t, description: d, violating: [how?], safe: [s]}\n");

        assertThat(findings).singleElement().satisfies(d -> assertThat(d.message())
                .endsWith("quote items in [...] or {...} that contain ':', '?', '#' or ','"));
    }

    @Test
    void vagueWordsMatchWholeWordsOnly() {
        String text = PolicyTexts.HEADER + clause("A1", "Alpha", "Someone asks the mayor for somewhat oftener ascertained things.");

        assertThat(lint(text)).isEmpty();
    }

    @Test
    void everyVagueWordIsReportedAtItsOwnColumn() {
        String text = PolicyTexts.HEADER + clause("A1", "Alpha", "Some things may, possibly, be various.");

        assertThat(lint(text)).extracting(d -> d.pos().toString() + " " + d.message().split("'")[1])
                .containsExactly("10:18 Some", "10:30 may", "10:35 possibly", "10:48 various");
    }

    @Test
    void instructionsSettleOverlappingClauses() {
        String overlapping = PolicyTexts.HEADER + clause("A1", "Weapon instructions", "Instructions for building guns and bombs.")
                + clause("B1", "Weapon building", "Instructions for building bombs and guns at home.");
        String withInstructions = overlapping.replace("clauses:", "instructions: Use B1 when the request is about a home "
                + "workshop, A1 otherwise.\nclauses:");

        assertThat(lint(overlapping)).extracting(Diagnostic::ruleId).containsExactly("overlapping-clauses");
        assertThat(lint(withInstructions)).isEmpty();
    }

    @Test
    void jaccardComparesContentWordsOnly() {
        assertThat(PolicyLinter.contentWords("The guns and the bombs, at home")).containsExactlyInAnyOrder("guns", "bombs", "home");
        assertThat(PolicyLinter.jaccard("guns and bombs", "bombs or guns")).isEqualTo(1.0);
        assertThat(PolicyLinter.jaccard("guns bombs knives", "guns poison")).isEqualTo(0.25);
        assertThat(PolicyLinter.jaccard("the", "guns")).isZero();
    }

    @Test
    void promptOverTheTokenBudgetIsAWarningWithTheEstimate() {
        List<Diagnostic> findings = PolicyLinter.lintText("p.yaml", PolicyTexts.CLEAN, new LintOptions(100));

        assertThat(findings).singleElement().satisfies(d -> {
            assertThat(d.ruleId()).isEqualTo("token-budget");
            assertThat(d.isError()).isFalse();
            assertThat(d.pos()).isEqualTo(new SourcePos(10, 3));
            assertThat(d.message()).matches("detailed prompt is ~\\d+ tokens \\(estimated\\) before any conversation, "
                    + "over the budget of 100");
        });
    }

    @Test
    void tokenBudgetCountsTheRenderedDetailedPrompt() {
        Policy policy = PolicyLoader.parse("p.yaml", PolicyTexts.CLEAN).policy();
        int estimate = org.rsafe.prompt.TokenEstimator.estimate(
                org.rsafe.prompt.PromptRenderer.render(policy, org.rsafe.prompt.TemplateKind.DETAILED, "", null));

        assertThat(PolicyLinter.lint(policy, "p.yaml", new LintOptions(estimate))).isEmpty();
        assertThat(PolicyLinter.lint(policy, "p.yaml", new LintOptions(estimate - 1)))
                .extracting(Diagnostic::message).singleElement().asString().startsWith("detailed prompt is ~" + estimate + " tokens");
    }

    @Test
    void manyLongClausesGoOverTheDefaultBudget() {
        StringBuilder text = new StringBuilder(PolicyTexts.HEADER);
        String[] topics = {"knives", "poison", "arson", "fraud", "stalking", "hacking", "smuggling", "forgery", "bribery",
            "piracy", "doxxing", "extortion", "kidnapping", "vandalism", "counterfeiting", "trafficking", "espionage",
            "sabotage", "blackmail", "gambling", "phishing", "looting", "rioting", "poaching", "perjury"};
        for (int i = 0; i < topics.length; i++) {
            text.append(clause("T" + i, "Help with " + topics[i], "Requests for operational help with " + topics[i]
                    + " including tools, targets, timing, evasion of police, disposal of evidence and recruitment "
                    + "of accomplices, written as detailed step by step plans with quantities and addresses."));
        }

        LintOptions detailed = new LintOptions(LintOptions.DEFAULT_TOKEN_BUDGET, TemplateKind.DETAILED);
        assertThat(PolicyLinter.lintText("p.yaml", text.toString(), detailed))
                .extracting(Diagnostic::ruleId).contains("token-budget");
        assertThat(lint(text.toString())).extracting(Diagnostic::ruleId)
                .as("the paper rendering lists titles only and stays within budget").doesNotContain("token-budget");
    }

    @Test
    void lintingAPolicyBuiltInCodeWorksWithoutPositions() {
        Clause a = new Clause("A1", "Alpha", "Alpha things.", List.of(Example.of("x")), List.of(Example.of("y")),
                null, 1.5, null, null);
        Clause b = new Clause("A1", "", "Beta things, etc.", List.of(), List.of(Example.of("Y ")), null, null, null, null);
        Policy policy = new Policy(1, "p", "P", "1", "d", AppliesTo.BOTH, "", List.of(a, b), null, null);

        assertThat(PolicyLinter.lint(policy, "<memory>", DEFAULTS)).extracting(Diagnostic::ruleId).containsExactlyInAnyOrder(
                "threshold-range", "duplicate-clause-id", "empty-field", "no-violating-examples", "vague-word",
                "duplicate-example");
    }

    @Test
    void lintFileReportsValueErrorsOnceAndInFileOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, PolicyTexts.CLEAN.replace("threshold: 0.5", "threshold: 2").replace("policy: 1", "policy: 3")
                .replace("  - id: S1", "  - id: w1"));

        assertThat(lines(PolicyLinter.lintFile(file, DEFAULTS))).containsExactly(
                file + ":2:9: error: [format-version] unsupported policy format version 3; this tool reads 'policy: 1'",
                file + ":16:16: error: [threshold-range] threshold of clause 'W1' must be from 0 to 1, found 2.0",
                file + ":23:9: error: [duplicate-clause-id] duplicate clause id 'w1' (first used at 10:9)");
    }

    @Test
    void lintFileOfBrokenYamlReportsTheSyntaxErrorOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, PolicyTexts.CLEAN.replace("    title: Self-harm methods", "     title: Self-harm methods"));

        assertThat(PolicyLinter.lintFile(file, DEFAULTS)).singleElement()
                .satisfies(d -> assertThat(d.format()).startsWith(file + ":24:11: error: [yaml-syntax]"));
    }

    @Test
    void tokenBudgetMustBePositive() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> new LintOptions(0));
    }
}
