package org.rsafe.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rsafe.prompt.RsafeDefaultTaxonomy.clause;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rsafe.policy.Policy;
import org.rsafe.prompt.RsafeDefaultTaxonomy;

class ExplicitCitationsTest {

    private static final Policy DEFAULT = RsafeDefaultTaxonomy.policy();

    // A taxonomy in the style of OpenAI's moderation categories: short titles nested in longer ones.
    private static final Policy MODERATION = RsafeDefaultTaxonomy.policy(List.of(
            clause("S", "Sexual"), clause("H", "Hate"), clause("H2", "Hate/threatening"),
            clause("S3", "Sexual/minors"), clause("SH", "Self-harm")), "");

    private static List<String> cited(String text, Policy policy) {
        return ExplicitCitations.find(text, policy).stream().map(Citation::clauseId).toList();
    }

    private static List<String> ids(String column) {
        return column == null ? List.of() : Arrays.asList(column.split(" "));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            # step text                                              | cited, in order of mention
            This falls under U3.                                     | U3
            Per (u3), it is fraud.                                   | U3
            U30 is not a category and neither is XU3                 | U30
            U12 first, then U3                                       | U12 U3
            U3 - Non‑violent Crime & Fraud; again U3                 | U3
            It is non-violent crime and fraud.                       | U3
            It is Non - violent   crime & fraud.                     | U3
            It is nonviolent crime.                                  | NONE
            It is nonviolent crime and fraud.                        | U3
            mentions self‑harm & suicide, then privacy & pii         | U9 U10
            SELF-HARM AND SUICIDE                                    | U9
            violence & physical harm                                 | U1
            child abuse (non-sexual) is covered                      | U15
            manipulation and coercion / human trafficking            | U17
            national-security espionage                              | U18
            """)
    void findsDefaultCategoriesByIdOrTitle(String text, String expected) {
        assertThat(cited(text, DEFAULT)).containsExactlyElementsOf(ids(expected));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            # step text                                              | cited, in order of mention
            this is hate/threatening language                        | H2
            this is hate, plain and simple                           | H
            hateful, but not hate speech? it is hate speech          | H
            asexual and non-sexual and bisexual                      | NONE
            sexual/minors applies, and it is sexual                  | S3 S
            self harm is discussed                                   | NONE
            self-harm is discussed                                   | SH
            self ‑ harm is discussed                                 | SH
            the letter s is not category S3 or s                     | S3
            category S applies                                       | S
            H2 and hate                                              | H2 H
            """)
    void shortTitlesMatchOnlyAsWholeWords(String text, String expected) {
        assertThat(cited(text, MODERATION)).containsExactlyElementsOf(ids(expected));
    }

    @Test
    void aTitleInsideALongerTitleOfAnotherClauseIsNotCited() {
        Policy policy = RsafeDefaultTaxonomy.policy(List.of(clause("H", "Hate"), clause("U7", "Hate Speech & Discrimination")), "");

        assertThat(cited("This is hate speech and discrimination.", policy)).containsExactly("U7");
    }

    @Test
    void citationsAreExplicitWithFullStrength() {
        assertThat(ExplicitCitations.find("U1 and U2", DEFAULT)).containsExactly(
                new Citation("U1", Citation.Kind.EXPLICIT, 1.0), new Citation("U2", Citation.Kind.EXPLICIT, 1.0));
    }
}
