package org.rsafe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TraceSegmenterProperties {

    @Property
    void stepsAreOrderedNonEmptyAndTheirSpansHoldExactlyTheirText(@ForAll("outputs") String raw) {
        List<TraceStep> steps = TraceSegmenter.segment(raw);

        int previousEnd = 0;
        for (int i = 0; i < steps.size(); i++) {
            TraceStep step = steps.get(i);
            assertThat(step.index()).isEqualTo(i);
            assertThat(step.text()).isNotBlank().isEqualTo(step.text().strip());
            assertThat(raw.substring(step.start(), step.end())).isEqualTo(step.text());
            assertThat(step.start()).isGreaterThanOrEqualTo(previousEnd);
            previousEnd = step.end();
        }
    }

    @Property
    void segmentingNeverThrows(@ForAll String raw) {
        assertThat(TraceSegmenter.segment(raw)).isNotNull();
    }

    @Provide
    Arbitrary<String> outputs() {
        Arbitrary<String> piece = Arbitraries.of("<think>", "</think>", "\\boxed{safe}", "1.", "2)", "Step 3:",
                "word", " ", "\n", "\n\n", ". ", "? ", "**", "\t", "U3");
        return piece.list().ofMaxSize(20).map(parts -> String.join("", parts));
    }
}
