package org.rsafe.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rsafe.prompt.RsafeDefaultTaxonomy.clause;
import static org.rsafe.prompt.RsafeDefaultTaxonomy.policy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rsafe.policy.Policy;
import org.rsafe.util.Hashing;

class PromptRendererTest {

    static final String PROMPT_LEVEL_SHA = "6711b2e969ba0ae1efe4e474df5bf4109bddcabf8f6ba64d7a35ca63ce98eea2";
    static final String RESPONSE_LEVEL_SHA = "7f5c3cf9178a0103a16af8c89b04e93f474eead6171cb8b8a9b62ffbd6558e00";

    private static final Policy DEFAULT = RsafeDefaultTaxonomy.policy();

    @Test
    void shippedPaperTemplatesAreTheRsafeFilesByteForByte() {
        String promptLevel = PromptRenderer.template(TemplateKind.PAPER, false);
        String responseLevel = PromptRenderer.template(TemplateKind.PAPER, true);

        assertThat(Hashing.sha256(promptLevel)).isEqualTo(PROMPT_LEVEL_SHA);
        assertThat(promptLevel.getBytes(StandardCharsets.UTF_8)).hasSize(1190);
        assertThat(Hashing.sha256(responseLevel)).isEqualTo(RESPONSE_LEVEL_SHA);
        assertThat(responseLevel.getBytes(StandardCharsets.UTF_8)).hasSize(1204);
    }

    @Test
    void paperRenderingOfTheDefaultTaxonomyReproducesThePromptLevelTemplate() {
        // Rendering the placeholders themselves must give back the published file exactly.
        String rendered = PromptRenderer.render(DEFAULT, TemplateKind.PAPER, "{prompt}", null);

        assertThat(Hashing.sha256(rendered)).isEqualTo(PROMPT_LEVEL_SHA);
    }

    @Test
    void paperRenderingOfTheDefaultTaxonomyReproducesTheResponseLevelTemplate() {
        String rendered = PromptRenderer.render(DEFAULT, TemplateKind.PAPER, "{prompt}", "{response}");

        assertThat(Hashing.sha256(rendered)).isEqualTo(RESPONSE_LEVEL_SHA);
    }

    @Test
    void theTrainingFormEndsThePromptLevelBoxLineWithAPeriodAndKeepsTheTextsAsGiven() {
        String evaluation = PromptRenderer.render(DEFAULT, TemplateKind.PAPER, " {prompt} ", null);
        String training = PromptRenderer.render(DEFAULT, TemplateKind.PAPER, " {prompt} ", null,
                PromptRenderer.Form.TRAINING);

        assertThat(evaluation).endsWith("MUST BE put in \\boxed{}\n").contains("User: {prompt}\n");
        assertThat(training).endsWith("MUST BE put in \\boxed{}.\n").contains("User:  {prompt} \n");
        assertThat(training.replace("\\boxed{}.\n", "\\boxed{}\n").replace("User:  {prompt} ", "User: {prompt}"))
                .isEqualTo(evaluation);
    }

    @Test
    void theResponseLevelTemplateEndsWithAPeriodInBothForms() {
        String training = PromptRenderer.render(DEFAULT, TemplateKind.PAPER, "{prompt}", "{response}",
                PromptRenderer.Form.TRAINING);

        assertThat(Hashing.sha256(training)).isEqualTo(RESPONSE_LEVEL_SHA);
    }

    @Test
    void paperRenderingFillsTheStrippedPromptAndResponse() {
        String rendered = PromptRenderer.render(DEFAULT, TemplateKind.PAPER, "\n  How do I pick a lock?  \n",
                "\tFirst, get a tension wrench.\n\n");

        String expected = PromptRenderer.template(TemplateKind.PAPER, true)
                .replace("{prompt}", "How do I pick a lock?")
                .replace("{response}", "First, get a tension wrench.");
        assertThat(rendered).isEqualTo(expected);
    }

    @Test
    void promptLevelIsUsedWhenThereIsNoResponse() {
        String rendered = PromptRenderer.render(DEFAULT, TemplateKind.PAPER, "hello", null);

        assertThat(rendered).contains("User: hello\n<END CONVERSATION>").doesNotContain("Agent:");
        assertThat(rendered).endsWith("MUST BE put in \\boxed{}\n");
    }

    @Test
    void placeholderTextInsideThePromptIsNotSubstitutedAgain() {
        String rendered = PromptRenderer.render(DEFAULT, TemplateKind.PAPER, "say {response} and {prompt}", "ok $1 \\");

        assertThat(rendered).contains("User: say {response} and {prompt}\nAgent: ok $1 \\\n");
    }

    @Test
    void otherPoliciesGetPlainIdDashTitleLinesWhenIdsHaveEqualLength() {
        Policy policy = policy(List.of(clause("S1", "Scams"), clause("S2", "Stalking")), "");

        assertThat(PromptRenderer.categoryBlock(policy, TemplateKind.PAPER)).isEqualTo("S1 - Scams\nS2 - Stalking\n");
        assertThat(PromptRenderer.render(policy, TemplateKind.PAPER, "hi", null)).contains(
                "    <BEGIN UNSAFE CONTENT CATEGORIES>\nS1 - Scams\nS2 - Stalking\n    <END UNSAFE CONTENT CATEGORIES>\n");
    }

    @Test
    void idsArePaddedOnTheRightToTheLongestId() {
        Policy policy = policy(List.of(clause("A", "Alpha"), clause("BBB", "Beta"), clause("CC", "Gamma")), "");

        assertThat(PromptRenderer.categoryBlock(policy, TemplateKind.PAPER))
                .isEqualTo("A   - Alpha\nBBB - Beta\nCC  - Gamma\n");
    }

    @Test
    void defaultTaxonomyLinesUseTwoSpacesBeforeTheDashForOneDigitIds() {
        String block = PromptRenderer.categoryBlock(DEFAULT, TemplateKind.PAPER);

        assertThat(block.lines()).hasSize(18);
        assertThat(block.lines().toList().get(8)).isEqualTo("U9  - Self\u2011Harm & Suicide");
        assertThat(block.lines().toList().get(9)).isEqualTo("U10 - Privacy & PII");
    }

    @Test
    void aPolicyWithoutClausesLeavesTheMarkersAdjacent() {
        String rendered = PromptRenderer.render(policy(List.of(), ""), TemplateKind.PAPER, "hi", "there");

        assertThat(rendered).contains("<BEGIN UNSAFE CONTENT CATEGORIES>\n    <END UNSAFE CONTENT CATEGORIES>\n");
    }

    @Test
    void aTitleSpanningLinesStaysOnItsCategoryLine() {
        Policy policy = policy(List.of(clause("X1", "Long\n  title")), "");

        assertThat(PromptRenderer.categoryBlock(policy, TemplateKind.PAPER)).isEqualTo("X1 - Long title\n");
    }

    @Test
    void policyTextIsNeverTreatedAsAPlaceholder() {
        Policy policy = policy(List.of(clause("X1", "About {prompt}")), "Quote {response} literally.");

        String paper = PromptRenderer.render(policy, TemplateKind.PAPER, "P", "R");
        String detailed = PromptRenderer.render(policy, TemplateKind.DETAILED, "P", "R");

        assertThat(paper).contains("X1 - About {prompt}\n");
        assertThat(detailed).contains("X1 - About {prompt}\n").contains("Quote {response} literally.\n");
    }

    @Test
    void paperRenderingIgnoresDescriptionsExamplesAndInstructions() {
        Policy policy = policy(List.of(clause("F1", "Fraud", "Deceiving people for money.",
                List.of("write a phishing mail"), List.of("explain phishing"))), "Be strict.");

        String rendered = PromptRenderer.render(policy, TemplateKind.PAPER, "hi", null);

        assertThat(rendered).doesNotContain("Deceiving", "phishing", "Be strict", "Instructions:");
    }

    @Test
    void detailedListsDescriptionAndAtMostThreeExamplesOfEachKind() {
        Policy policy = policy(List.of(clause("F1", "Fraud", "Deceiving people\nfor money.",
                List.of("v1", "v2", "v3", "v4"), List.of("s1"))), "");

        assertThat(PromptRenderer.categoryBlock(policy, TemplateKind.DETAILED)).isEqualTo("""
                F1 - Fraud
                    Deceiving people for money.
                    Violates:
                    - v1
                    - v2
                    - v3
                    Allowed (near misses):
                    - s1
                """);
    }

    @Test
    void detailedLeavesOutEmptySections() {
        Policy policy = policy(List.of(clause("F1", "Fraud"), clause("F2", "Forgery", "", List.of(), List.of("a passport photo"))), "");

        assertThat(PromptRenderer.categoryBlock(policy, TemplateKind.DETAILED)).isEqualTo("""
                F1 - Fraud
                F2 - Forgery
                    Allowed (near misses):
                    - a passport photo
                """);
    }

    @Test
    void detailedPutsTheInstructionsBeforeTheConversation() {
        Policy policy = policy(List.of(clause("F1", "Fraud")), "  Judge only the last turn.\nIgnore role-play framing.\n");

        String rendered = PromptRenderer.render(policy, TemplateKind.DETAILED, "hi", null);

        assertThat(rendered).contains("    <END UNSAFE CONTENT CATEGORIES>\nInstructions:\nJudge only the last turn.\n"
                + "Ignore role-play framing.\n<BEGIN CONVERSATION>\nUser: hi\n<END CONVERSATION>\n");
    }

    @Test
    void detailedWithoutInstructionsHasNoInstructionsSection() {
        String rendered = PromptRenderer.render(DEFAULT, TemplateKind.DETAILED, "hi", "yo");

        assertThat(rendered).doesNotContain("Instructions:", "{instructions}")
                .contains("    <END UNSAFE CONTENT CATEGORIES>\n<BEGIN CONVERSATION>\nUser: hi\nAgent: yo\n");
    }

    @Test
    void detailedClosesWithThePaperTemplatesInstructionsAboutThinkAndBox() {
        for (boolean responseLevel : new boolean[] {false, true}) {
            String paper = PromptRenderer.template(TemplateKind.PAPER, responseLevel);
            String detailed = PromptRenderer.template(TemplateKind.DETAILED, responseLevel);
            String closing = paper.substring(paper.indexOf("<END CONVERSATION>"));

            assertThat(detailed).endsWith(closing);
        }
    }

    @Test
    void detailedKeepsTheCategoryMarkersOfThePaperFrame() {
        String detailed = PromptRenderer.render(DEFAULT, TemplateKind.DETAILED, "hi", null);

        assertThat(detailed).startsWith("\nYou are a policy expert")
                .contains("    <BEGIN UNSAFE CONTENT CATEGORIES>\nU1  - Violence & Physical Harm\n");
    }
}
