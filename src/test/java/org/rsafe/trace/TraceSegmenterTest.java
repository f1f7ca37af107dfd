package org.rsafe.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TraceSegmenterTest {

    private static List<String> texts(String raw) {
        return TraceSegmenter.segment(raw).stream().map(TraceStep::text).toList();
    }

    @Test
    void numberedItemsBecomeStepsAndTheAnswerIsTheLastStep() {
        String raw = "<think>\nLet me check.\n1. The user asks for a weapon.\n   It is detailed.\n2) That is U2.\n</think>\n\\boxed{unsafe}";

        assertThat(texts(raw)).containsExactly("Let me check.", "1. The user asks for a weapon.\n   It is detailed.",
                "2) That is U2.", "\\boxed{unsafe}");
    }

    @Test
    void stepHeadingsCountAsNumberedItems() {
        String raw = "<think>**Step 1:** Read it. Carefully.\n\n**Step 2:** Compare. Decide.</think> \\boxed{safe}";

        assertThat(texts(raw)).containsExactly("**Step 1:** Read it. Carefully.", "**Step 2:** Compare. Decide.",
                "\\boxed{safe}");
    }

    @Test
    void paragraphsAreStepsWhenNothingIsNumbered() {
        String raw = "<think>The user wants a recipe. It is for bread.\n\nNothing here is harmful.</think>\\boxed{safe}";

        assertThat(texts(raw)).containsExactly("The user wants a recipe. It is for bread.", "Nothing here is harmful.",
                "\\boxed{safe}");
    }

    @Test
    void sentencesAreStepsInASingleParagraph() {
        String raw = "<think> The user asks about 1.5 million people. Is that harmful? No! </think> \\boxed{safe}";

        assertThat(texts(raw)).containsExactly("The user asks about 1.5 million people.", "Is that harmful?", "No!",
                "\\boxed{safe}");
    }

    @Test
    void aSingleNumberedLineIsNotAList() {
        String raw = "<think>1. Only one point. It is fine.</think>\\boxed{safe}";

        assertThat(texts(raw)).containsExactly("1. Only one point.", "It is fine.", "\\boxed{safe}");
    }

    @Test
    void anUnclosedThinkBlockRunsToTheEndWithoutAnAnswerStep() {
        String raw = "<think>First thought. Second thought \\boxed{unsafe}";

        assertThat(texts(raw)).containsExactly("First thought.", "Second thought \\boxed{unsafe}");
    }

    @Test
    void withoutAThinkTagTheWholeOutputIsReasoning() {
        assertThat(texts("It is fine. \\boxed{safe}")).containsExactly("It is fine.", "\\boxed{safe}");
    }

    @Test
    void emptyPartsAreDropped() {
        assertThat(TraceSegmenter.segment("<think>  \n\n </think>  ")).isEmpty();
        assertThat(texts("<think></think>\\boxed{safe}")).containsExactly("\\boxed{safe}");
    }

    @Test
    void onlyTheFirstThinkBlockIsReasoning() {
        String raw = "<think>A.</think> <think>B.</think> \\boxed{safe}";

        assertThat(texts(raw)).containsExactly("A.", "<think>B.</think> \\boxed{safe}");
    }

    @Test
    void spansPointAtTheStepTextInTheRawOutput() {
        String raw = "<think>\n1. One.\n2. Two.\n</think>\n\\boxed{safe}\n";

        List<TraceStep> steps = TraceSegmenter.segment(raw);

        assertThat(steps).extracting(TraceStep::index).containsExactly(0, 1, 2);
        assertThat(steps.get(1).start()).isEqualTo(raw.indexOf("2. Two."));
        assertThat(steps.get(1).end()).isEqualTo(raw.indexOf("2. Two.") + "2. Two.".length());
        assertThat(steps.get(2).start()).isEqualTo(raw.indexOf("\\boxed"));
    }
}
