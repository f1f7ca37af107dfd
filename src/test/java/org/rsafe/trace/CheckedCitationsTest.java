package org.rsafe.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rsafe.prompt.RsafeDefaultTaxonomy.clause;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Policy;
import org.rsafe.prompt.RsafeDefaultTaxonomy;
import org.rsafe.trace.Citation.Polarity;
import org.rsafe.trace.Citation.Problem;
import org.rsafe.trace.Citation.Via;

/** The measured list of issue 14, section 1: each bullet as a check on RSafe-style outputs and the default taxonomy. */
class CheckedCitationsTest {

    private static final Policy DEFAULT = RsafeDefaultTaxonomy.policy();

    private static Citation only(String text, Policy policy) {
        List<Citation> found = ExplicitCitations.find(text, policy);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @Test
    void anIdNamedAsAnotherClauseIsKeptAndFlaggedAsAMismatch() {
        Citation c = only("This is U2 (Violent crimes).", DEFAULT);

        assertThat(c.clauseId()).isEqualTo("U2");
        assertThat(c.problem()).isEqualTo(Problem.NAME_MISMATCH);
        assertThat(c.invalid()).isTrue();
        assertThat(c.note()).contains("U2 is 'Weapons & Illegal Tactics'", "'Violent crimes'", "U1");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            This is U2 (Weapons).                       | U2
            U2 - weapons and illegal tactics apply.      | U2
            U9: self-harm, clearly.                      | U9
            U1 (violent threats) is the closest.         | U1
            """)
    void anIdNamedAsItsOwnClauseIsValid(String text, String id) {
        Citation c = only(text, DEFAULT);

        assertThat(c.clauseId()).isEqualTo(id);
        assertThat(c.problem()).isEqualTo(Problem.NONE);
    }

    @Test
    void idsThePolicyDoesNotHaveAreKeptAndFlagged() {
        List<Citation> found = ExplicitCitations.find("It falls under U19, or S1 (Violent Crimes) in another taxonomy.",
                DEFAULT);

        assertThat(found).extracting(Citation::clauseId).containsExactly("U19", "S1");
        assertThat(found).allSatisfy(c -> assertThat(c.problem()).isEqualTo(Problem.UNKNOWN_ID));
        assertThat(found.get(1).note()).contains("S1 is not a clause of this policy", "Violent Crimes");
    }

    @Test
    void idShapedWordsWithoutAnyCueAreNotCitations() {
        assertThat(ExplicitCitations.find("Version H2 of the MP3 spec came out in 1999.", DEFAULT)).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            The prompt is hate speech.                         | U7
            It mentions self-harm or suicide.                  | U9
            This is Manipulation & Coercion of a worker.       | U17
            manipulation and coercion                          | U17
            It reads as discrimination.                        | U7
            The user wants weapons.                            | U2
            a weapon is involved                               | U2
            it involves human trafficking                      | U17
            this is child abuse                                | U15
            """)
    void partsOfTitlesAreFound(String text, String id) {
        Citation c = only(text, DEFAULT);

        assertThat(c.clauseId()).isEqualTo(id);
        assertThat(c.via()).isEqualTo(Via.TITLE);
    }

    @Test
    void aPartSharedByTwoTitlesCitesNeither() {
        // "Manipulation" is in U12 (Misinformation & Manipulation) and U17 (Manipulation & Coercion / ...).
        assertThat(ExplicitCitations.find("This is manipulation.", DEFAULT)).isEmpty();
    }

    @Test
    void aRangeCitesEveryIdInIt() {
        List<Citation> found = ExplicitCitations.find("None of U1-U18 apply here.", DEFAULT);

        assertThat(found).extracting(Citation::clauseId)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 18).mapToObj(i -> "U" + i).toList());
        assertThat(found).allSatisfy(c -> assertThat(c.polarity()).isEqualTo(Polarity.RULES_OUT));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            U3 to U5 are the candidates.       | U3 U4 U5
            Categories U16–U18 fit.            | U16 U17 U18
            It matches U17-18.                 | U17 U18
            U17-U20 could apply.               | U17 U18 U19 U20
            """)
    void rangesExpandInTheirWrittenForms(String text, String ids) {
        assertThat(ExplicitCitations.find(text, DEFAULT)).extracting(Citation::clauseId)
                .containsExactly(ids.split(" "));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            This is not about weapons.                                  | U2 | RULES_OUT
            There is no hate speech here.                               | U7 | RULES_OUT
            U2 does not apply.                                          | U2 | RULES_OUT
            U1: not relevant.                                           | U1 | RULES_OUT
            The user isn't asking about fraud.                          | U3 | RULES_OUT
            It is not about drugs, weapons or fraud.                    | U2 | RULES_OUT
            This is about weapons.                                      | U2 | SUPPORTS
            It is not safe because it explains weapons.                 | U2 | SUPPORTS
            Not a joke: it explains how to build weapons.               | U2 | SUPPORTS
            It is not fiction, so U2 applies.                           | U2 | SUPPORTS
            """)
    void negatedMentionsRuleTheClauseOut(String text, String id, Polarity polarity) {
        Citation c = ExplicitCitations.find(text, DEFAULT).stream().filter(x -> x.clauseId().equals(id)).findFirst()
                .orElseThrow();

        assertThat(c.polarity()).isEqualTo(polarity);
    }

    @Test
    void aClauseAffirmedAfterANegationSupports() {
        List<Citation> found = ExplicitCitations.find("U2 applies, not U3.", DEFAULT);

        assertThat(found).extracting(Citation::clauseId, Citation::polarity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("U2", Polarity.SUPPORTS),
                        org.assertj.core.groups.Tuple.tuple("U3", Polarity.RULES_OUT));
    }

    @Test
    void aliasesFromThePolicyAreFoundAsAliases() {
        Clause withAliases = new Clause("U9", "Self-Harm & Suicide", "", List.of(), List.of(), null, null, null, null,
                List.of("self-injury", "eating disorders"));
        Policy policy = RsafeDefaultTaxonomy.policy(List.of(clause("U1", "Violence"), withAliases), "");

        Citation c = only("The user describes an eating disorder and self-injury.", policy);

        assertThat(c.clauseId()).isEqualTo("U9");
        assertThat(c.via()).isEqualTo(Via.ALIAS);
    }

    @Test
    void withoutAnOpeningThinkTheClosingTagAndBoxFormAnAnswerStep() {
        String raw = "The user asks how to make a weapon.\n\nThat is U2.\n</think>\n\\boxed{unsafe}";

        List<TraceStep> steps = TraceSegmenter.segment(raw);

        assertThat(steps).extracting(TraceStep::text)
                .containsExactly("The user asks how to make a weapon.", "That is U2.", "\\boxed{unsafe}");
    }

    @Test
    void withNoTagsAtAllTheLineOfTheBoxIsTheAnswerStep() {
        String raw = "The user asks about the weather. Nothing harmful.\nFinal: \\boxed{safe}";

        assertThat(TraceSegmenter.segment(raw)).extracting(TraceStep::text)
                .containsExactly("The user asks about the weather.", "Nothing harmful.", "Final: \\boxed{safe}");
    }

    @Test
    void flaggedClausesAreTheSupportedValidOnes() {
        Judgement j = OutputParser.parse("<think>This is not about weapons. It is U1 (violence). Also U19.</think>"
                + "\\boxed{unsafe}", DEFAULT);

        assertThat(ExplicitCitations.namedInPolicyOrder(j.steps(), DEFAULT)).containsExactly("U1");
    }

    @Test
    void anUnsafeVerdictThatOnlyRulesClausesOutDisagrees() {
        Judgement j = OutputParser.parse("<think>This is not about weapons, and U1 does not apply.</think>"
                + "\\boxed{unsafe}", DEFAULT);

        CitationAudit audit = CitationAudit.of(j);

        assertThat(audit.agreement()).isEqualTo(CitationAudit.Agreement.UNSAFE_BUT_ONLY_RULED_OUT);
        assertThat(audit.ruledOut()).containsExactly("U2", "U1");
        assertThat(audit.summary()).contains("only rules out U2, U1");
    }

    @Test
    void aSafeVerdictThatArguesForAClauseDisagrees() {
        Judgement j = OutputParser.parse("<think>The text gives instructions for weapons (U2).</think>\\boxed{safe}",
                DEFAULT);

        assertThat(CitationAudit.of(j).agreement()).isEqualTo(CitationAudit.Agreement.SAFE_BUT_CITES_SUPPORT);
    }

    @Test
    void agreeingVerdictsAndInvalidCitationsAreReported() {
        Judgement j = OutputParser.parse("<think>It asks for weapons, U2 (Violent crimes), and category S1.</think>"
                + "\\boxed{unsafe}", DEFAULT);

        CitationAudit audit = CitationAudit.of(j);

        assertThat(audit.agreement()).isEqualTo(CitationAudit.Agreement.AGREES);
        assertThat(audit.invalid()).extracting(Citation::clauseId).containsExactly("U2", "S1");
        assertThat(audit.summary()).startsWith("2 invalid citations:");
    }

    @Test
    void scoredJudgementsAreNotCheckedForAgreement() {
        Judgement scored = new Judgement(Verdict.SAFE, "safe", true, java.util.Map.of("U2", 0.2), List.of(),
                List.of(new TraceStep(0, "weapons", 0, 7, List.of(Citation.named("U2", Via.TITLE, Polarity.SUPPORTS)))),
                "", "", null, 0, 0, 0);

        assertThat(CitationAudit.of(scored).agreement()).isEqualTo(CitationAudit.Agreement.NOT_CHECKED);
    }
}
