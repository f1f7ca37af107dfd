package org.rsafe.ui.result;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.rsafe.trace.Citation;
import org.rsafe.ui.style.StyleClasses;

class CitationChipStyleTest {

    @Test
    void invalidAndRuledOutCitationsHaveTheirOwnChipStyles() {
        Citation supports = Citation.named("U2", Citation.Via.TITLE, Citation.Polarity.SUPPORTS);
        Citation ruledOut = Citation.named("U2", Citation.Via.TITLE, Citation.Polarity.RULES_OUT);
        Citation invalid = new Citation("U19", Citation.Kind.EXPLICIT, 1.0, Citation.Via.ID, Citation.Polarity.SUPPORTS,
                Citation.Problem.UNKNOWN_ID, "U19 is not a clause of this policy");
        Citation inferred = new Citation("U1", Citation.Kind.INFERRED, 0.7);

        assertThat(ResultView.chipStyle(supports)).isEqualTo(StyleClasses.CHIP_EXPLICIT);
        assertThat(ResultView.chipStyle(ruledOut)).isEqualTo(StyleClasses.CHIP_RULED_OUT);
        assertThat(ResultView.chipStyle(invalid)).isEqualTo(StyleClasses.CHIP_INVALID);
        assertThat(ResultView.chipStyle(inferred)).isEqualTo(StyleClasses.CHIP_INFERRED);
    }
}
