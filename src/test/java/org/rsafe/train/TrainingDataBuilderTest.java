package org.rsafe.train;

import static org.rsafe.prompt.PromptRenderer.Form.TRAINING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.eval.BadRowPolicy;
import org.rsafe.eval.MappingOverrides;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.prompt.ChatTemplate;
import org.rsafe.prompt.PromptRenderer;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.trace.Verdict;
import org.rsafe.util.UserException;

class TrainingDataBuilderTest {

    static final String POLICY = """
            policy: 1
            id: train-test
            name: Training test policy
            version: 1.0.0
            description: One clause, for training-data tests.
            applies_to: both
            clauses:
              - id: S1
                title: Scams
                description: Tricking people out of money.
            """;

    @TempDir
    Path dir;

    private final ToIntFunction<String> characters = String::length;

    private Policy policy() throws IOException {
        return PolicyLoader.loadOrThrow(Files.writeString(dir.resolve("p.yaml"), POLICY));
    }

    private Path csv(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private TrainingDataBuilder.Options options(List<Path> files, boolean balance, Integer maxTokens, long seed,
                                                TrainingDataBuilder.ChatFormat chat) throws IOException {
        return new TrainingDataBuilder.Options(files, policy(), TemplateKind.PAPER, chat, balance, maxTokens, seed,
                MappingOverrides.NONE, BadRowPolicy.FAIL);
    }

    @Test
    void rowsWithAResponseUseTheResponseLevelTemplateAndOthersThePromptLevelOne() throws IOException {
        Path data = csv("mixed.csv", """
                id,prompt,response,label
                a,send me your bank password,,unsafe
                b,how do I bake bread,Mix flour and water.,safe
                """);

        TrainingDataBuilder.Result r = TrainingDataBuilder.build(
                options(List.of(data), false, null, 1, TrainingDataBuilder.ChatFormat.NONE), characters);

        assertThat(r.rows()).hasSize(2);
        TrainingRow a = r.rows().get(0);
        TrainingRow b = r.rows().get(1);
        assertThat(a.level()).isEqualTo(TrainingRow.Level.PROMPT);
        assertThat(a.response()).isNull();
        assertThat(a.label()).isEqualTo(Verdict.UNSAFE);
        assertThat(a.prompt()).isEqualTo(PromptRenderer.render(policy(), TemplateKind.PAPER, "send me your bank password", null, TRAINING));
        assertThat(b.level()).isEqualTo(TrainingRow.Level.RESPONSE);
        assertThat(b.prompt()).isEqualTo(PromptRenderer.render(policy(), TemplateKind.PAPER, "how do I bake bread",
                "Mix flour and water.", TRAINING));
        assertThat(b.id()).isEqualTo("mixed.csv:b");
        assertThat(b.source()).isEqualTo("mixed.csv");
        assertThat(b.input()).isEqualTo("how do I bake bread");
        assertThat(r.report().promptLevel()).isEqualTo(new TrainingDataBuilder.LevelCounts(0, 1));
        assertThat(r.report().responseLevel()).isEqualTo(new TrainingDataBuilder.LevelCounts(1, 0));
    }

    @Test
    void trainingRowsUseTheTrainingFormWithThePeriodAndUnstrippedTexts() throws IOException {
        Path data = csv("spaced.csv", "prompt,label\n\"  hello there  \",safe\n");

        TrainingRow row = TrainingDataBuilder.build(
                options(List.of(data), false, null, 1, TrainingDataBuilder.ChatFormat.NONE), characters).rows().get(0);

        assertThat(row.prompt()).endsWith("MUST BE put in \\boxed{}.\n").contains("User:   hello there  \n")
                .isNotEqualTo(PromptRenderer.render(policy(), TemplateKind.PAPER, "  hello there  ", null));
    }

    @Test
    void qwenChatFormatWrapsTheRenderedPromptAsOneUserTurn() throws IOException {
        Path data = csv("one.csv", "prompt,label\nhello there,safe\n");

        TrainingRow row = TrainingDataBuilder.build(
                options(List.of(data), false, null, 1, TrainingDataBuilder.ChatFormat.QWEN), characters).rows().get(0);

        assertThat(row.prompt()).isEqualTo(ChatTemplate.wrapQwen(
                PromptRenderer.render(policy(), TemplateKind.PAPER, "hello there", null, TRAINING)));
    }

    @Test
    void rowsLongerThanTheTokenLimitAreDroppedAndCounted() throws IOException {
        Path data = csv("len.csv", "prompt,label\nshort,safe\n" + "x".repeat(500) + ",unsafe\nalso short,unsafe\n");
        int shortLength = PromptRenderer.render(policy(), TemplateKind.PAPER, "also short", null, TRAINING).length();

        TrainingDataBuilder.Result r = TrainingDataBuilder.build(
                options(List.of(data), false, shortLength, 1, TrainingDataBuilder.ChatFormat.NONE), characters);

        assertThat(r.rows()).extracting(TrainingRow::input).containsExactly("short", "also short");
        assertThat(r.report().droppedOverLong()).isEqualTo(1);
        assertThat(r.report().rowsIn()).isEqualTo(3);
        assertThat(r.report().maxTokens()).isEqualTo(shortLength);
    }

    @Test
    void balancingKeepsEveryMinorityRowAndASeededSampleOfTheMajorityInInputOrder() throws IOException {
        StringBuilder sb = new StringBuilder("prompt,label\n");
        for (int i = 0; i < 20; i++) {
            sb.append("text ").append(i).append(',').append(i % 5 == 0 ? "unsafe" : "safe").append('\n');
        }
        Path data = csv("skewed.csv", sb.toString());

        TrainingDataBuilder.Result a = TrainingDataBuilder.build(
                options(List.of(data), true, null, 7, TrainingDataBuilder.ChatFormat.NONE), characters);
        TrainingDataBuilder.Result again = TrainingDataBuilder.build(
                options(List.of(data), true, null, 7, TrainingDataBuilder.ChatFormat.NONE), characters);
        TrainingDataBuilder.Result other = TrainingDataBuilder.build(
                options(List.of(data), true, null, 8, TrainingDataBuilder.ChatFormat.NONE), characters);

        assertThat(a.report().promptLevel()).isEqualTo(new TrainingDataBuilder.LevelCounts(4, 4));
        assertThat(a.report().droppedByBalance()).isEqualTo(12);
        assertThat(a.rows()).filteredOn(r -> r.label() == Verdict.UNSAFE).extracting(TrainingRow::input)
                .containsExactly("text 0", "text 5", "text 10", "text 15");
        List<Integer> order = a.rows().stream().map(r -> Integer.parseInt(r.input().substring(5))).toList();
        assertThat(order).isSorted();
        assertThat(again.rows()).isEqualTo(a.rows());
        assertThat(other.rows()).isNotEqualTo(a.rows());
    }

    @Test
    void balancingRefusesDataWithOnlyOneClass() throws IOException {
        Path data = csv("safe.csv", "prompt,label\na,safe\nb,safe\n");

        assertThatThrownBy(() -> TrainingDataBuilder.build(
                options(List.of(data), true, null, 1, TrainingDataBuilder.ChatFormat.NONE), characters))
                .isInstanceOf(UserException.class).hasMessageContaining("2 safe and 0 unsafe");
    }

    @Test
    void rowsWithoutALabelAreDroppedAndBadRowsSkippedWhenAsked() throws IOException {
        Path unlabelled = csv("nolabel.csv", "prompt\nhello\nworld\n");
        Path broken = csv("broken.csv", "prompt,label\nfine,safe\nodd,maybe\n");

        TrainingDataBuilder.Result r = TrainingDataBuilder.build(new TrainingDataBuilder.Options(
                List.of(unlabelled, broken), policy(), TemplateKind.PAPER, TrainingDataBuilder.ChatFormat.NONE, false,
                null, 1, MappingOverrides.NONE, BadRowPolicy.SKIP), characters);

        assertThat(r.rows()).extracting(TrainingRow::id).containsExactly("broken.csv:row-1");
        assertThat(r.report().droppedUnlabelled()).isEqualTo(2);
        assertThat(r.report().droppedBad()).isEqualTo(1);
        assertThat(r.report().rowsIn()).isEqualTo(4);
        assertThat(r.report().badRows().get(0).format()).contains("broken.csv:3:");
    }

    @Test
    void idsStayUniqueWhenTwoFilesShareRowIds() throws IOException {
        Path a = csv("same.csv", "id,prompt,label\n1,a,safe\n1,b,unsafe\n");

        TrainingDataBuilder.Result r = TrainingDataBuilder.build(
                options(List.of(a), false, null, 1, TrainingDataBuilder.ChatFormat.NONE), characters);

        assertThat(r.rows()).extracting(TrainingRow::id).containsExactly("same.csv:1", "same.csv:1#2");
    }
}
