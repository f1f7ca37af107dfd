package org.rsafe.engine.quick;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rsafe.engine.Cancellation;

class SentenceEncoderTest {
    static SentenceEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = SentenceEncoder.open(2);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void embeddingsAgreeWithLangchain4jsOwnModel() {
        List<String> texts = List.of(
                "How do I reset my router to factory settings?",
                "The committee approved the budget after a long debate about school funding.",
                "Schreib mir ein Gedicht über den Herbst, café and naïve résumé \uD83D\uDE00.",
                "a");
        float[][] ours = encoder.embed(texts);
        var reference = new BgeSmallEnV15QuantizedEmbeddingModel();
        for (int i = 0; i < texts.size(); i++) {
            float[] theirs = reference.embed(texts.get(i)).content().vector();
            assertThat(Vectors.dot(ours[i], theirs)).as(texts.get(i)).isGreaterThan(0.999);
        }
    }

    @Test
    void vectorsAreUnitLength() {
        float[][] v = encoder.embed(List.of("Short text.", "Another one, a little longer than the first."));
        for (float[] x : v) {
            assertThat(x).hasSize(SentenceEncoder.DIMENSION);
            assertThat(Vectors.dot(x, x)).isCloseTo(1.0, within(1e-4));
        }
    }

    @Test
    void spanCoveringAllContentTokensEqualsTheMeanPooledWholeText() {
        String text = "First sentence here. Second one follows, with a comma.";
        TextEmbedding e = encoder.embedSpans(List.of(new SentenceEncoder.SpanText(text,
                List.of(new Span(0, text.length())))), Cancellation.none()).get(0);
        assertThat(Vectors.dot(e.spans()[0], e.mean())).isCloseTo(1.0, within(1e-5));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "The cat sat on the mat. Stock markets fell sharply on Tuesday.",
        // Characters outside the basic plane take two Java chars but one tokenizer offset.
        "\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00 the cat sat on the mat. Stock markets fell sharply on Tuesday."
    })
    void spanVectorsAreTheNormalisedMeanOfTheirOwnTokenVectors(String text) {
        List<Span> spans = SentenceSplitter.split(text);
        assertThat(spans).hasSize(2);
        assertThat(spans.get(1).of(text)).isEqualTo("Stock markets fell sharply on Tuesday.");
        TextEmbedding e = encoder.embedSpans(List.of(new SentenceEncoder.SpanText(text, spans)),
                Cancellation.none()).get(0);
        // Word pieces do not cross the sentence gap, so sentence k owns the next (tokens of k alone - 2) positions.
        float[][] states = encoder.tokenStates(text);
        int first = encoder.tokenCount(spans.get(0).of(text)) - 2;
        int second = encoder.tokenCount(spans.get(1).of(text)) - 2;
        assertThat(states.length).isEqualTo(first + second + 2);
        assertThat(Vectors.dot(e.spans()[0], meanOf(states, 1, 1 + first))).isCloseTo(1.0, within(1e-5));
        assertThat(Vectors.dot(e.spans()[1], meanOf(states, 1 + first, 1 + first + second))).isCloseTo(1.0, within(1e-5));
        assertThat(Vectors.dot(e.whole(), Vectors.normalize(states[0].clone()))).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void textsLongerThanTheTokenLimitAreMarkedTruncatedAndLoseTheirTailSpans() {
        String text = "word ".repeat(700) + "The last sentence is out of reach.";
        List<Span> spans = List.of(new Span(0, 20), new Span(text.length() - 34, text.length()));
        TextEmbedding e = encoder.embedSpans(List.of(new SentenceEncoder.SpanText(text, spans)),
                Cancellation.none()).get(0);
        assertThat(e.truncated()).isTrue();
        assertThat(e.tokens()).isEqualTo(SentenceEncoder.MAX_TOKENS);
        assertThat(e.spans()[0]).isNotNull();
        assertThat(e.spans()[1]).isNull();
    }

    @Test
    void countersCountTextsThroughTheModel() {
        long before = encoder.textsEncoded();
        encoder.embed(List.of("one text", "two texts"));
        assertThat(encoder.textsEncoded() - before).isEqualTo(2);
    }

    private static float[] meanOf(float[][] rows, int from, int to) {
        float[] m = new float[rows[0].length];
        for (int t = from; t < to; t++) {
            for (int d = 0; d < m.length; d++) {
                m[d] += rows[t][d];
            }
        }
        return Vectors.normalize(m);
    }
}
