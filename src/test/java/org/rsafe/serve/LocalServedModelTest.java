package org.rsafe.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.DecodingSettings;
import org.rsafe.engine.llm.DeviceChoice;
import org.rsafe.engine.llm.LocalModel;
import org.rsafe.engine.llm.RandomModelWriter;
import org.rsafe.prompt.ChatTemplate;

/** The local model behind the server: a batch of unrelated prompts gives each what it would get alone. */
class LocalServedModelTest {
    @TempDir
    static Path dir;
    static LocalServedModel served;

    @BeforeAll
    static void load() throws Exception {
        Path folder = dir.resolve("sharp");
        // A larger init std makes greedy choices clear-cut rather than near-ties between batch shapes.
        RandomModelWriter.write(folder, RandomModelWriter.Shape.TINY, 11,
                RandomModelWriter.Options.defaults().withInitStd(0.2));
        served = new LocalServedModel(LocalModel.open(folder, null, DeviceChoice.parse("cpu")));
    }

    @AfterAll
    static void close() {
        served.close();
    }

    static int[] prompt(String text) {
        return served.encode(ChatTemplate.qwen(List.of(new ChatTemplate.Turn("user", text))));
    }

    static ServedModel.Prompt greedy(String text, int maxTokens, Cancellation c, StringBuilder sink) {
        return new ServedModel.Prompt(prompt(text), DecodingSettings.greedyPreset().withMaxNewTokens(maxTokens),
                List.of(), sink::append, c);
    }

    @Test
    void promptsWithTheirOwnLimitsAndSettingsInOneBatchGetWhatTheyWouldAlone() {
        List<ServedModel.Prompt> prompts = List.of(
                greedy("Is this allowed?", 5, null, new StringBuilder()),
                greedy("A much longer question about what the policy says of kitchen knives", 9, null,
                        new StringBuilder()),
                new ServedModel.Prompt(prompt("hi"), DecodingSettings.paper().withMaxNewTokens(7).withSeed(3),
                        List.of(), null, null));
        List<ServedModel.Generation> batch = served.generate(prompts);

        assertThat(batch).hasSize(3);
        for (int i = 0; i < prompts.size(); i++) {
            ServedModel.Generation alone = served.generate(List.of(prompts.get(i))).get(0);
            assertThat(batch.get(i)).as("prompt %d", i).isEqualTo(alone);
        }
        assertThat(batch.get(0).completionTokens()).isLessThanOrEqualTo(5);
        assertThat(batch.get(1).completionTokens()).isLessThanOrEqualTo(9);
    }

    @Test
    void cancellingOnePromptEndsItAloneAndTheOthersAreUnhurt() {
        Cancellation doomed = new Cancellation();
        StringBuilder kept = new StringBuilder();
        List<String> cancelledPieces = new ArrayList<>();
        ServedModel.Prompt survivor = greedy("Tell me about bread.", 8, null, kept);
        ServedModel.Prompt victim = new ServedModel.Prompt(prompt("Tell me about knives."),
                DecodingSettings.greedyPreset().withMaxNewTokens(8), List.of(), piece -> {
                    cancelledPieces.add(piece);
                    doomed.cancel();
                }, doomed);
        List<ServedModel.Generation> batch = served.generate(List.of(survivor, victim));
        ServedModel.Generation alone = served.generate(List.of(greedy("Tell me about bread.", 8, null,
                new StringBuilder()))).get(0);

        assertThat(batch.get(1).stopReason()).isEqualTo(ServedModel.StopReason.CANCELLED);
        assertThat(batch.get(1).completionTokens()).isLessThan(8);
        assertThat(batch.get(0)).isEqualTo(alone);
        assertThat(kept.toString()).isEqualTo(alone.text());
    }

    @Test
    void theContextLengthAndIdComeFromTheFolder() {
        assertThat(served.modelId()).isEqualTo("sharp");
        assertThat(served.contextLength()).isPositive();
        assertThat(served.notices()).anyMatch(n -> n.contains("RANDOM"));
    }
}
