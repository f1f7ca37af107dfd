package org.rsafe.engine.quick;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;

/** What a policy's anchors fit at load time, on vectors made up for the test (no encoder needed). */
class PolicyAnchorsTest {

    /** Twenty clauses of five violating and five safe examples each. */
    private static Policy twentyClauses() {
        StringBuilder yaml = new StringBuilder("""
                policy: 1
                id: wide
                name: Wide policy
                version: 1.0.0
                description: Twenty clauses for a load-time measurement.
                applies_to: prompt
                clauses:
                """);
        for (int c = 0; c < 20; c++) {
            yaml.append("  - id: C").append(c).append("\n    title: Clause ").append(c)
                    .append("\n    description: Things of kind ").append(c).append(".\n    violating:\n");
            for (int i = 0; i < 5; i++) {
                yaml.append("      - \"violating ").append(c).append('-').append(i).append("\"\n");
            }
            yaml.append("    safe:\n");
            for (int i = 0; i < 5; i++) {
                yaml.append("      - \"safe ").append(c).append('-').append(i).append("\"\n");
            }
        }
        return PolicyLoader.parse("wide.yaml", yaml.toString()).policy();
    }

    /** A made-up unit vector per text, the same for the same text. */
    private static List<TextEmbedding> embed(List<String> texts) {
        List<TextEmbedding> out = new ArrayList<>();
        for (String t : texts) {
            Random r = new Random(t.hashCode());
            float[] v = new float[SentenceEncoder.DIMENSION];
            for (int d = 0; d < v.length; d++) {
                v[d] = (float) r.nextGaussian();
            }
            Vectors.normalize(v);
            out.add(new TextEmbedding(v, v, new float[0][], false, 8));
        }
        return out;
    }

    @Test
    void fittingAPolicyOfTwentyClausesAndTwoHundredExamplesTakesWellUnderASecond() {
        Policy policy = twentyClauses();
        QuickEngineOptions o = QuickEngineOptions.defaults().withCacheDir(null);
        Map<String, TextEmbedding> vectors = new java.util.HashMap<>();
        List<String> texts = PolicyAnchors.drafts(policy, true).stream().map(PolicyAnchors.Draft::text).toList();
        List<TextEmbedding> embedded = embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            vectors.put(texts.get(i), embedded.get(i));
        }
        // The built-in policy's titles and descriptions (matched for borrowing) are embedded on the first build.
        PolicyAnchors.Embedder lookup = ts -> ts.stream()
                .map(t -> vectors.computeIfAbsent(t, k -> embed(List.of(k)).get(0))).toList();
        PolicyAnchors.build(policy, o, lookup);   // the first build also loads the classes and warms the JIT

        long start = System.nanoTime();
        PolicyAnchors anchors = PolicyAnchors.build(policy, o, lookup);
        double seconds = (System.nanoTime() - start) / 1e9;

        System.out.printf(java.util.Locale.ROOT, "fit of 20 clauses x 10 examples + %d built-in texts: %.4f s%n",
                NearMisses.all().size(), seconds);
        assertThat(seconds).isLessThan(1.0);
        assertThat(anchors.clauseIds()).hasSize(20);
        for (int c = 0; c < 20; c++) {
            assertThat(anchors.violatingOf(c)).hasSize(5);
            assertThat(anchors.safeOf(c)).hasSize(5);
        }
    }

    @Test
    void theExampleRadiusIsTheNearestAnAllowedOrBackgroundTextComesToAViolatingExample() {
        Policy policy = twentyClauses();
        PolicyAnchors anchors = PolicyAnchors.build(policy, QuickEngineOptions.defaults().withCacheDir(null),
                PolicyAnchorsTest::embed);
        List<String> ordinary = new ArrayList<>();
        for (PolicyAnchors.Draft d : PolicyAnchors.drafts(policy, true)) {
            // the intent contrast's requests and uses fit only the contrast, not the radius
            if (!d.kind().positive() && !d.kind().responseOnly() && d.kind() != Anchor.Kind.REQUEST
                    && d.kind() != Anchor.Kind.USE) {
                ordinary.add(d.text());
            }
        }
        List<TextEmbedding> o = embed(ordinary);
        double expected = 0;
        for (int i : anchors.violatingOf(3)) {
            for (TextEmbedding e : o) {
                expected = Math.max(expected, Vectors.dot(anchors.positive(i).mean(), e.mean()));
            }
        }
        assertThat(anchors.exampleRadius(3)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void theIntentContrastReadsTheAverageBuiltInRequestAsPlusOneAndTheAverageHarmlessUseAsMinusOne() {
        Policy policy = twentyClauses();
        PolicyAnchors anchors = PolicyAnchors.build(policy, QuickEngineOptions.defaults().withCacheDir(null),
                PolicyAnchorsTest::embed);
        List<String> requests = new ArrayList<>();
        List<String> uses = new ArrayList<>();
        for (PolicyAnchors.Draft d : PolicyAnchors.drafts(policy, true)) {
            if (d.kind() == Anchor.Kind.REQUEST) {
                requests.add(d.text());
            } else if (d.kind() == Anchor.Kind.USE) {
                uses.add(d.text());
            }
        }
        assertThat(requests).hasSizeGreaterThanOrEqualTo(30);
        assertThat(uses).hasSizeGreaterThanOrEqualTo(30);
        double r = embed(requests).stream().mapToDouble(e -> anchors.intent(e.mean())).average().orElseThrow();
        double u = embed(uses).stream().mapToDouble(e -> anchors.intent(e.mean())).average().orElseThrow();
        assertThat(r).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(u).isCloseTo(-1.0, org.assertj.core.data.Offset.offset(1e-4));
        // Neither side is ever an allowed text.
        for (int i = 0; i < anchors.negativeCount(); i++) {
            assertThat(anchors.negative(i).kind()).isNotIn(Anchor.Kind.REQUEST, Anchor.Kind.USE);
        }
    }
}
