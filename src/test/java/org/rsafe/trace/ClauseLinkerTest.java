package org.rsafe.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rsafe.engine.quick.EncoderClauseRelevance;
import org.rsafe.engine.quick.SentenceEncoder;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;

class ClauseLinkerTest {
    static Policy policy;
    static SentenceEncoder sentenceEncoder;
    static ClauseRelevance encoder;

    @BeforeAll
    static void start() {
        policy = PolicyLoader.loadOrThrow(Path.of("policies/rsafe-default.yaml"));
        sentenceEncoder = SentenceEncoder.open(2);
        encoder = new EncoderClauseRelevance(sentenceEncoder);
    }

    @AfterAll
    static void stop() {
        sentenceEncoder.close();
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

    @Test
    void atMostThreeInferredCitationsAreKeptStrongestFirstAndClampedToOne() {
        // Scores chosen by hand: U1 is under the bar, U3 and U4 tie, U5 is over 1.
        ClauseRelevance fixed = (texts, p) -> texts.stream().map(t -> {
            java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
            m.put("U1", 0.4);
            m.put("U3", 0.7);
            m.put("U4", 0.7);
            m.put("U5", 1.2);
            m.put("U6", 0.6);
            return m;
        }).toList();

        List<TraceStep> linked = ClauseLinker.link(List.of(step(0, "A step of several plain words.")), policy, fixed, 0.5);

        assertThat(linked.get(0).citations()).containsExactly(
                new Citation("U5", Citation.Kind.INFERRED, 1.0),
                new Citation("U3", Citation.Kind.INFERRED, 0.7),
                new Citation("U4", Citation.Kind.INFERRED, 0.7));
    }
}
