package org.rsafe.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.UserException;

/** The policy's top-level {@code review_band}: read, checked, carried in the digest and written in place. */
class ReviewBandSettingTest {

    private static String withBand(String value) {
        return PolicyTexts.CLEAN.replace("applies_to: prompt\n", "applies_to: prompt\nreview_band: " + value + "\n");
    }

    private static List<String> formatted(PolicyLoadResult result) {
        return result.diagnostics().stream().map(Diagnostic::format).toList();
    }

    @Test
    void aNumberIsReadWithItsPosition() {
        PolicyLoadResult result = PolicyLoader.parse("p.yaml", withBand("0.4"));

        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.policy().reviewBand()).isEqualTo(0.4);
        assertThat(result.policy().posOf("review_band").toString()).isEqualTo("8:14");
        assertThat(PolicyLoader.parse("p.yaml", withBand("0")).policy().reviewBand()).isEqualTo(0.0);
    }

    @Test
    void aPolicyWithoutTheKeySetsNoBand() {
        Policy p = PolicyLoader.parse("p.yaml", PolicyTexts.CLEAN).policy();

        assertThat(p.reviewBand()).isNull();
        assertThat(p.reviewBandSetting()).isEmpty();
    }

    @Test
    void aValueThatIsNotANumberIsAnErrorAtItsLineAndColumn() {
        PolicyLoadResult result = PolicyLoader.parse("p.yaml", withBand("wide"));

        assertThat(result.ok()).isFalse();
        assertThat(formatted(result)).singleElement().asString().startsWith(
                "p.yaml:8:14: error: [wrong-type] review_band must be a number of standard deviations from 0 to 3.0, found");
    }

    @Test
    void aBandOutsideZeroToThreeIsALintError() {
        assertThat(formatted(PolicyLoader.parse("p.yaml", withBand("3.5")))).containsExactly(
                "p.yaml:8:14: error: [review-band-range] review_band must be from 0 to 3.0 standard deviations "
                        + "(0 turns REVIEW off), found 3.5");
        assertThat(formatted(PolicyLoader.parse("p.yaml", withBand("-0.1")))).containsExactly(
                "p.yaml:8:14: error: [review-band-range] review_band must be from 0 to 3.0 standard deviations "
                        + "(0 turns REVIEW off), found -0.1");
    }

    @Test
    void theBandIsPartOfThePolicyDigestSoResultsGoStaleWhenItChanges() {
        String a = PolicyLoader.parse("p.yaml", withBand("0.25")).policy().sha256();
        String b = PolicyLoader.parse("p.yaml", withBand("0.4")).policy().sha256();

        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void theEditorAddsTheKeyAboveTheClausesAndReplacesItInPlace() {
        Policy clean = PolicyLoader.parse("p.yaml", PolicyTexts.CLEAN).policy();

        String added = PolicyEditor.setReviewBand(clean, 0.35);
        assertThat(added).isEqualTo(withBand("0.350"));

        Policy reread = PolicyLoader.parse("p.yaml", added).policy();
        String replaced = PolicyEditor.setReviewBand(reread, 0.1);
        assertThat(replaced).isEqualTo(withBand("0.100"));
        assertThat(replaced).contains("# Weapons first: the most common case.");
        assertThatThrownBy(() -> PolicyEditor.setReviewBand(clean, 4)).isInstanceOf(UserException.class);
    }
}
