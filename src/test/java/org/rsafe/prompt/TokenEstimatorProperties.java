package org.rsafe.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.NotEmpty;

class TokenEstimatorProperties {

    @Property
    void nonEmptyTextCostsAtLeastOneAndAtMostOneTokenPerChar(@ForAll @NotEmpty String text) {
        assertThat(TokenEstimator.estimate(text)).isBetween(1, text.length());
    }

    @Property
    void joiningTwoTextsCostsAtMostOneTokenMoreThanThePartsAlone(@ForAll String a, @ForAll String b) {
        // Only the pieces at the seam can change, and a long merged word can cost one more.
        assertThat(TokenEstimator.estimate(a + b)).isLessThanOrEqualTo(TokenEstimator.estimate(a) + TokenEstimator.estimate(b) + 1);
    }
}
