package org.rsafe.engine.llm;

import org.rsafe.engine.DecodingSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.rsafe.engine.Cancellation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batched generation, stopping rules, streaming, seeding and cancellation on a tiny random model. */
class TextGeneratorTest {
    static final List<String> PROMPTS = List.of(
            "Tell me a story.",
            "<|im_start|>user\nWhat is the capital of France, and why is it famous?<|im_end|>\n<|im_start|>assistant\n",
            "hello there, how are you doing on this fine and sunny morning in the park?");

    @TempDir
    static Path dir;
    static LocalModel local;

    @BeforeAll
    static void load() {
        TinyTorch.singleThreaded();
        // A larger init std than the default makes the random model's next-token distribution less flat, so
        // greedy choices are clear-cut rather than near-ties.
        Path folder = TinyModels.custom(dir, "sharp", RandomModelWriter.Options.defaults().withInitStd(0.2));
        local = LocalModel.open(folder, null, Device.cpu(), DataType.FLOAT32);
    }

    @AfterAll
    static void close() {
        local.close();
    }

    /** A generator that never stops at an end-of-sequence id, so lengths are predictable. */
    static TextGenerator noEos() {
        return new TextGenerator(local.model(), local.tokenizer(), Set.of());
    }

    static DecodingSettings greedy(int maxNew) {
        return DecodingSettings.greedyPreset().withMaxNewTokens(maxNew);
    }

    @Test
    void batchedGreedyGenerationOfPromptsOfDifferentLengthsEqualsOneByOne() {
        TextGenerator gen = local.generator();
        List<TextGenerator.Generation> batched = gen.generate(PROMPTS, greedy(24), List.of(),
                TextGenerator.Listener.NONE, Cancellation.none());
        assertThat(batched.stream().map(TextGenerator.Generation::promptTokens).distinct()).hasSize(3);
        for (int i = 0; i < PROMPTS.size(); i++) {
            TextGenerator.Generation alone = gen.generate(List.of(PROMPTS.get(i)), greedy(24), List.of(),
                    TextGenerator.Listener.NONE, Cancellation.none()).get(0);
            assertThat(batched.get(i).tokenIds()).as("prompt %d", i).containsExactly(alone.tokenIds());
            assertThat(batched.get(i).text()).isEqualTo(alone.text());
            assertThat(batched.get(i).stopReason()).isEqualTo(alone.stopReason());
        }
    }

    @Test
    void batchedSamplingGivesEachPromptWhatItWouldGetAlone() {
        TextGenerator gen = noEos();
        DecodingSettings paper = DecodingSettings.paper().withMaxNewTokens(16).withSeed(11);
        List<TextGenerator.Generation> batched = gen.generate(PROMPTS, paper, List.of(),
                TextGenerator.Listener.NONE, Cancellation.none());
        for (int i = 0; i < PROMPTS.size(); i++) {
            TextGenerator.Generation alone = gen.generate(List.of(PROMPTS.get(i)), paper, List.of(),
                    TextGenerator.Listener.NONE, Cancellation.none()).get(0);
            assertThat(batched.get(i).tokenIds()).containsExactly(alone.tokenIds());
        }
    }

    @Test
    void seededSamplingIsReproducibleAndTheSeedMatters() {
        TextGenerator gen = noEos();
        DecodingSettings paper = DecodingSettings.paper().withMaxNewTokens(20);
        int[] first = generate(gen, PROMPTS.get(0), paper.withSeed(5)).tokenIds();
        assertThat(generate(gen, PROMPTS.get(0), paper.withSeed(5)).tokenIds()).containsExactly(first);
        assertThat(generate(gen, PROMPTS.get(0), paper.withSeed(6)).tokenIds()).isNotEqualTo(first);
    }

    @Test
    void generationStopsAfterMaxNewTokens() {
        TextGenerator.Generation g = generate(noEos(), PROMPTS.get(1), greedy(7));
        assertThat(g.tokenIds()).hasSize(7);
        assertThat(g.stopReason()).isEqualTo(TextGenerator.StopReason.MAX_NEW_TOKENS);
        assertThat(g.text()).isEqualTo(local.tokenizer().decode(g.tokenIds()));
    }

    @Test
    void generationStopsAtAnEndOfSequenceIdWhichCountsAsATokenButAddsNoText() {
        int[] free = generate(noEos(), PROMPTS.get(0), greedy(12)).tokenIds();
        int eos = free[5];
        int firstAt = indexOf(free, eos);
        TextGenerator withEos = new TextGenerator(local.model(), local.tokenizer(), Set.of(eos));
        TextGenerator.Generation g = generate(withEos, PROMPTS.get(0), greedy(12));
        assertThat(g.stopReason()).isEqualTo(TextGenerator.StopReason.EOS);
        assertThat(g.tokenIds()).hasSize(firstAt + 1).endsWith(eos);
        assertThat(g.text()).isEqualTo(local.tokenizer().decode(java.util.Arrays.copyOf(free, firstAt)));
    }

    @Test
    void generationStopsAtAStopStringAndStreamsNothingOfIt() {
        TextGenerator.Generation free = generate(noEos(), PROMPTS.get(2), greedy(30));
        String text = free.text();
        assertThat(text.length()).isGreaterThan(12);
        String stop = text.substring(8, 11);
        int cut = text.indexOf(stop);
        List<String> deltas = new ArrayList<>();
        TextGenerator.Generation g = noEos().generate(List.of(PROMPTS.get(2)), greedy(30), List.of("never", stop),
                (row, delta) -> deltas.add(delta), Cancellation.none()).get(0);
        assertThat(g.stopReason()).isEqualTo(TextGenerator.StopReason.STOP_STRING);
        assertThat(g.text()).isEqualTo(text.substring(0, cut));
        assertThat(String.join("", deltas)).isEqualTo(g.text());
        assertThat(g.tokenIds().length).isLessThan(free.tokenIds().length);
    }

    @Test
    void streamedDeltasOfEveryRowAddUpToItsFinalText() {
        List<StringBuilder> streamed = List.of(new StringBuilder(), new StringBuilder(), new StringBuilder());
        List<TextGenerator.Generation> out = noEos().generate(PROMPTS, DecodingSettings.paper().withMaxNewTokens(25),
                List.of(), (row, delta) -> {
                    assertThat(delta).isNotEmpty();
                    streamed.get(row).append(delta);
                }, Cancellation.none());
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertThat(streamed.get(i).toString()).isEqualTo(out.get(i).text());
        }
    }

    @Test
    void cancellationStopsGenerationWithinATokenAndFreesTheCache() {
        int before = local.model().liveWeightArrays();
        Cancellation cancel = new Cancellation();
        int[] deltas = {0};
        assertThatThrownBy(() -> noEos().generate(List.of(PROMPTS.get(0)), greedy(500), List.of(),
                (row, delta) -> {
                    if (++deltas[0] == 3) {
                        cancel.cancel();
                    }
                }, cancel)).isInstanceOf(CancellationException.class);
        assertThat(deltas[0]).isEqualTo(3);
        assertThat(local.model().liveWeightArrays()).isEqualTo(before);
    }

    @Test
    void anEmptyPromptIsAUserMistake() {
        assertThatThrownBy(() -> generate(noEos(), "", greedy(3)))
                .isInstanceOf(org.rsafe.util.UserException.class).hasMessageContaining("empty prompt");
    }

    /**
     * Native memory over 1,000 generated tokens: the arrays attached to the model's long-lived manager are
     * counted after the first token, after the last, and after the generation; the process's resident memory
     * is printed before and after (after a short warm-up, so class loading and JIT are not counted).
     */
    @Test
    void generatingAThousandTokensLeavesNoNativeArraysBehind() {
        Qwen2Model model = local.model();
        int baseline = model.liveWeightArrays();
        generate(noEos(), PROMPTS.get(0), greedy(50));
        long rssBefore = NativeMemory.residentBytes();
        int[] seen = new int[2];   // live arrays after the first token and after the last
        int[] calls = {0};
        TextGenerator.Generation g = noEos().generate(List.of(PROMPTS.get(0)), DecodingSettings.paper()
                .withMaxNewTokens(1000), List.of(), (row, delta) -> {
                    // The listener runs between decode steps, when only the weights and the cache are alive.
                    if (calls[0]++ == 0) {
                        seen[0] = model.liveWeightArrays();
                    }
                    seen[1] = model.liveWeightArrays();
                }, Cancellation.none()).get(0);
        long rssAfter = NativeMemory.residentBytes();
        int cacheArrays = 2 * model.config().numLayers();
        System.err.printf("native memory over %d generated tokens: live arrays in the model's manager: %d before, "
                        + "%d after the first token, %d after the last, %d after the generation; "
                        + "RSS %.1f MiB -> %.1f MiB%n", g.completionTokens(), baseline, seen[0], seen[1],
                model.liveWeightArrays(), rssBefore / 1048576.0, rssAfter / 1048576.0);
        assertThat(g.tokenIds()).hasSize(1000);
        assertThat(calls[0]).isGreaterThan(100);
        assertThat(seen[0]).isEqualTo(baseline + cacheArrays);
        assertThat(seen[1]).isEqualTo(seen[0]);
        assertThat(model.liveWeightArrays()).isEqualTo(baseline);
    }

    static TextGenerator.Generation generate(TextGenerator gen, String prompt, DecodingSettings s) {
        return gen.generate(List.of(prompt), s, List.of(), TextGenerator.Listener.NONE, Cancellation.none()).get(0);
    }

    static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
