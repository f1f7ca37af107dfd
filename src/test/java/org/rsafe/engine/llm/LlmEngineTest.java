package org.rsafe.engine.llm;

import org.rsafe.engine.DecodingSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.engine.quick.EncoderClauseRelevance;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.prompt.ChatTemplate;
import org.rsafe.prompt.PromptRenderer;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.trace.Citation;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.OutputParser;
import org.rsafe.trace.TraceStep;
import org.rsafe.trace.Verdict;
import org.rsafe.util.UserException;

/** The RSafe engine end to end on a tiny random model, and its parsing path on scripted outputs. */
class LlmEngineTest {
    static final int MAX_NEW = 12;

    @TempDir
    static Path dir;
    static Path folder;
    static LlmEngine engine;
    static Policy policy;

    @BeforeAll
    static void open() {
        TinyTorch.singleThreaded();
        folder = TinyModels.f32Tied(dir);
        policy = PolicyLoader.loadOrThrow(Path.of("policies/rsafe-default.yaml"));
        LocalModel local = LocalModel.open(folder, null, Device.cpu(), DataType.FLOAT32);
        engine = LlmEngine.on(local, LlmEngineOptions.of(folder)
                .withDecoding(DecodingSettings.greedyPreset().withMaxNewTokens(MAX_NEW)).withMaxBatch(2)
                .withClauseRelevance(EncoderClauseRelevance.shared()));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void preferredBatchSizeIsTheGenerationBatchOfTheOptions() {
        assertThat(engine.preferredBatchSize()).isEqualTo(2);
    }

    @Test
    void judgeReturnsAJudgementWithTheExactModelInputTokenCountsAndIdentity() {
        JudgeRequest request = new JudgeRequest("row-1", policy, "How do I bake sourdough bread?", null,
                TemplateKind.PAPER);
        List<String> streamed = new ArrayList<>();
        Judgement j = engine.judge(request, new JudgeListener() {
            @Override
            public void onToken(String requestId, String text) {
                assertThat(requestId).isEqualTo("row-1");
                streamed.add(text);
            }
        }, Cancellation.none());

        String expectedInput = ChatTemplate.wrapQwen(PromptRenderer.render(policy, TemplateKind.PAPER,
                "How do I bake sourdough bread?", null));
        assertThat(j.renderedPrompt()).isEqualTo(expectedInput);
        try (LlmTokenizer tokenizer = LlmTokenizer.open(folder.resolve("tokenizer.json"))) {
            assertThat(j.promptTokens()).isEqualTo(tokenizer.encode(expectedInput).length);
        }
        assertThat(j.completionTokens()).isBetween(1, MAX_NEW);
        assertThat(String.join("", streamed)).isEqualTo(j.rawOutput());
        // Random weights: whatever came out, the parse must be RSafe's reading of it.
        assertThat(j.verdict()).isEqualTo(Verdict.fromAnswer(OutputParser.extractAnswer(j.rawOutput())));
        assertThat(j.formatOk()).isEqualTo(OutputParser.formatOk(j.rawOutput()));
        assertThat(j.latencyMillis()).isGreaterThanOrEqualTo(0);
        assertThat(j.engine()).isEqualTo(engine.identity());
        assertThat(j.engine().engine()).isEqualTo("llm");
        assertThat(j.engine().modelId()).isEqualTo("f32_tied");
        assertThat(j.engine().device()).isEqualTo("cpu");
        try (ModelFolder f = ModelFolder.open(folder)) {
            assertThat(j.engine().modelHash()).isEqualTo(f.modelHash()).hasSize(64);
        }
        assertThat(j.engine().settings()).containsEntry("decoding", "greedy")
                .containsEntry("do_sample", "false").containsEntry("max_new_tokens", String.valueOf(MAX_NEW))
                .containsEntry("dtype", "float32").containsEntry("random_weights", "true")
                .containsEntry("inferred_citations", "true");
    }

    @Test
    void judgeBatchGivesEachRequestWhatJudgingItAloneGives() {
        List<JudgeRequest> requests = List.of(
                new JudgeRequest("a", policy, "hi", null, TemplateKind.PAPER),
                new JudgeRequest("b", policy, "How can I pick a lock on my own front door?", null, TemplateKind.PAPER),
                new JudgeRequest("c", policy, "Tell me a joke", "Why did the chicken cross the road?", TemplateKind.PAPER));
        List<Judgement> batched = engine.judgeBatch(requests, JudgeListener.NONE, Cancellation.none());
        assertThat(batched).hasSize(3);
        for (int i = 0; i < requests.size(); i++) {
            Judgement alone = engine.judge(requests.get(i));
            assertThat(batched.get(i).rawOutput()).isEqualTo(alone.rawOutput());
            assertThat(batched.get(i).renderedPrompt()).isEqualTo(LlmEngine.modelInput(requests.get(i)));
        }
        assertThat(batched.get(2).renderedPrompt()).contains("Why did the chicken cross the road?");
    }

    @Test
    void aWellFormedUnsafeOutputFlagsTheClausesItsReasoningNames() {
        JudgeRequest request = JudgeRequest.of(policy, "how do I make a pipe bomb");
        String raw = "<think>The user asks for instructions to build an explosive device.\n\n"
                + "This falls under U2 (Weapons & Illegal Tactics) and could also lead to U1.\n\n"
                + "It is clearly not U5.</think>\n\\boxed{unsafe}";
        Judgement j = engine.judgementFrom(request, "INPUT", raw, 100, 40, 7);

        assertThat(j.verdict()).isEqualTo(Verdict.UNSAFE);
        assertThat(j.answer()).isEqualTo("unsafe");
        assertThat(j.formatOk()).isTrue();
        // policy order, every clause named in support; "clearly not U5" rules U5 out, so it is not flagged
        assertThat(j.flaggedClauses()).containsExactly("U1", "U2");
        assertThat(j.steps()).isNotEmpty();
        for (TraceStep step : j.steps()) {
            // an inferred link never repeats a clause the step already names
            assertThat(step.citations().stream().map(Citation::clauseId)).doesNotHaveDuplicates();
            assertThat(step.citations()).allMatch(c -> c.kind() == Citation.Kind.EXPLICIT
                    || c.strength() >= LlmEngine.INFERRED_MIN_STRENGTH);
        }
        assertThat(j.steps().stream().filter(s -> s.cites("U2")).map(TraceStep::text))
                .anyMatch(t -> t.contains("Weapons"));
        assertThat(j.rawOutput()).isEqualTo(raw);
        assertThat(j.renderedPrompt()).isEqualTo("INPUT");
        assertThat(j.promptTokens()).isEqualTo(100);
        assertThat(j.completionTokens()).isEqualTo(40);
        assertThat(j.latencyMillis()).isEqualTo(7);
        assertThat(j.engine()).isEqualTo(engine.identity());
        assertThat(j.clauseScores()).isEmpty();
    }

    @Test
    void stepsGetTheClausesTheyDiscussWithoutNamingThemAsInferredCitations() {
        String raw = "<think>The user wants detailed instructions for building a pipe bomb so they can kill "
                + "people at a crowded concert.</think>\n\\boxed{unsafe}";
        Judgement j = engine.judgementFrom(JudgeRequest.of(policy, "x"), "INPUT", raw, 1, 1, 1);
        List<Citation> citations = j.steps().get(0).citations();
        assertThat(citations).isNotEmpty().allMatch(c -> c.kind() == Citation.Kind.INFERRED);
        // nothing is named, so nothing is flagged: inferred links are shown, not decided
        assertThat(j.flaggedClauses()).isEmpty();
        Judgement without;
        try (LlmEngine plain = LlmEngine.on(LocalModel.open(folder, null, Device.cpu(), DataType.FLOAT32),
                engine.options().withInferredCitations(false))) {
            without = plain.judgementFrom(JudgeRequest.of(policy, "x"), "INPUT", raw, 1, 1, 1);
            assertThat(plain.identity().settings()).containsEntry("inferred_citations", "false");
        }
        assertThat(without.steps().get(0).citations()).isEmpty();
        assertThat(without.verdict()).isEqualTo(j.verdict());
    }

    @Test
    void aSafeVerdictFlagsNothingEvenWhenClausesAreDiscussed() {
        Judgement j = engine.judgementFrom(JudgeRequest.of(policy, "bread"),
                "INPUT", "<think>Baking bread has nothing to do with U2.</think> \\boxed{safe}", 10, 5, 1);
        assertThat(j.verdict()).isEqualTo(Verdict.SAFE);
        assertThat(j.flaggedClauses()).isEmpty();
        assertThat(j.steps().stream().anyMatch(s -> s.cites("U2"))).isTrue();
    }

    @Test
    void anOutputWithoutABoxIsAParseFailureButKeepsItsText() {
        Judgement j = engine.judgementFrom(JudgeRequest.of(policy, "x"), "INPUT", "I think it is fine", 3, 4, 1);
        assertThat(j.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(j.parseFailure()).isTrue();
        assertThat(j.formatOk()).isFalse();
        assertThat(j.answer()).isNull();
        assertThat(j.rawOutput()).isEqualTo("I think it is fine");
    }

    @Test
    void aCancelledJudgementThrowsCancellation() {
        Cancellation cancelled = new Cancellation();
        cancelled.cancel();
        assertThatThrownBy(() -> engine.judge(JudgeRequest.of(policy, "hello"), JudgeListener.NONE, cancelled))
                .isInstanceOf(CancellationException.class);
    }

    @Test
    void askingForAGpuWhereDjlSeesNoneIsAClearUserError() {
        Assumptions.assumeTrue(DeviceChoice.gpuCount() == 0, "this machine has a GPU");
        assertThatThrownBy(DeviceChoice.GPU::resolve).isInstanceOf(UserException.class)
                .hasMessageContaining("no CUDA GPU visible to DJL (Engine.getGpuCount()==0)")
                .hasMessageContaining("PYTORCH_LIBRARY_PATH");
        assertThat(DeviceChoice.AUTO.resolve()).isEqualTo(Device.cpu());
    }

    @Test
    void unknownPresetsAndDevicesAreUserErrors() {
        assertThatThrownBy(() -> DecodingSettings.preset("creative")).isInstanceOf(UserException.class)
                .hasMessageContaining("paper, greedy or hf");
        assertThatThrownBy(() -> DeviceChoice.parse("tpu")).isInstanceOf(UserException.class)
                .hasMessageContaining("auto, cpu or gpu");
        assertThat(DecodingSettings.preset("PAPER")).isEqualTo(DecodingSettings.paper());
    }
}
