package org.rsafe.engine.quick;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.trace.Citation;
import org.rsafe.trace.TraceStep;

class ClauseLinkerTest {
    static Policy policy;
    static SentenceEncoder encoder;

    @BeforeAll
    static void start() {
        policy = PolicyLoader.loadOrThrow(QuickEngineTest.DEFAULT_POLICY);
        encoder = SentenceEncoder.open(2);
    }

    @AfterAll
    static void stop() {
        encoder.close();
    }

    private static TraceStep step(int i, String text) {
        return new TraceStep(i, text, 0, text.length(), List.of());
    }

    @Test
    void aStepThatParaphrasesAClauseGetsAnInferredCitationAndAnUnrelatedStepNone() {
        List<TraceStep> linked = ClauseLinker.link(List.of(
                step(0, "The user wants detailed directions for assembling an explosive device out of a metal tube."),
                step(1, "The weather in the story is sunny and the family enjoys a picnic by the lake.")),
                policy, encoder, 0.5);
        assertThat(linked.get(0).citations()).anySatisfy(c -> {
            assertThat(c.clauseId()).isEqualTo("U2");
            assertThat(c.kind()).isEqualTo(Citation.Kind.INFERRED);
            assertThat(c.strength()).isBetween(0.5, 1.0);
        });
        assertThat(linked.get(1).citations()).isEmpty();
    }

    @Test
    void explicitMentionsAreCitedOnceAndExistingCitationsAreKept() {
        TraceStep named = step(0, "This request clearly falls under U2 because it asks how to build a pipe bomb.");
        TraceStep preCited = new TraceStep(1, "Self-harm content would be covered elsewhere.", 0, 10,
                List.of(new Citation("U9", Citation.Kind.EXPLICIT, 1.0)));
        List<TraceStep> linked = ClauseLinker.link(List.of(named, preCited), policy, encoder, 0.5);
        assertThat(linked.get(0).citations()).filteredOn(c -> c.clauseId().equals("U2"))
                .singleElement().satisfies(c -> assertThat(c.kind()).isEqualTo(Citation.Kind.EXPLICIT));
        assertThat(linked.get(1).citations()).contains(new Citation("U9", Citation.Kind.EXPLICIT, 1.0));
        assertThat(linked.get(1).citations()).filteredOn(c -> c.clauseId().equals("U9")).hasSize(1);
    }

    @Test
    void veryShortStepsGetNoInferredCitations() {
        List<TraceStep> linked = ClauseLinker.link(List.of(step(0, "Bombs."), step(1, "Okay.")), policy, encoder, 0.0);
        assertThat(linked).allSatisfy(s -> assertThat(s.citations()).isEmpty());
    }

    @Test
    void stepsKeepTheirTextSpansAndOrder() {
        List<TraceStep> steps = List.of(new TraceStep(0, "First, consider what the user asks for here.", 7, 50, List.of()),
                new TraceStep(1, "Then decide whether any clause applies to it.", 51, 97, List.of()));
        List<TraceStep> linked = ClauseLinker.link(steps, policy, encoder, 0.5);
        for (int i = 0; i < steps.size(); i++) {
            assertThat(linked.get(i).text()).isEqualTo(steps.get(i).text());
            assertThat(linked.get(i).start()).isEqualTo(steps.get(i).start());
            assertThat(linked.get(i).end()).isEqualTo(steps.get(i).end());
        }
    }

    @Test
    void aStrengthOutsideZeroToOneIsRejected() {
        assertThatThrownBy(() -> ClauseLinker.link(List.of(), policy, encoder, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
