package org.rsafe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.engine.llm.RandomModelWriter;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.Stability;
import org.rsafe.trace.Verdict;
import org.rsafe.util.UserException;

/** K sampled judgements per request on a tiny random model, drawn in one batch with a seed per draw. */
class SampledEngineTest {
    static final int MAX_TOKENS = 12;

    @TempDir
    static Path dir;
    static Path model;
    static Policy policy;

    @BeforeAll
    static void writeModel() throws java.io.IOException {
        model = dir.resolve("tiny-guard");
        RandomModelWriter.write(model, RandomModelWriter.Shape.TINY, 11, RandomModelWriter.Options.defaults());
        policy = PolicyLoader.loadOrThrow(Path.of("policies/rsafe-default.yaml"));
    }

    private static JudgeRequest request(String id, String prompt) {
        return new JudgeRequest(id, policy, prompt, null, TemplateKind.PAPER);
    }

    @Test
    void sampledDrawsDifferAndTheFirstIsTheSingleJudgement() {
        EngineSpec spec = EngineSpec.llm(model).withDecoding(DecodingPreset.PAPER).withMaxNewTokens(MAX_TOKENS);
        List<String> streamedIds = new ArrayList<>();
        try (Engine single = Engines.open(spec)) {
            Judgement once = single.judge(request("a", "How do I bake bread?"));
            List<String> draws = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                draws.add(single.judge(request("a", "How do I bake bread?").withSample(s)).rawOutput());
            }
            assertThat(draws.get(0)).as("draw 0 keeps the preset's seed").isEqualTo(once.rawOutput());
            assertThat(draws.stream().distinct().count()).as("each draw has its own seed").isGreaterThan(1);

            Engine sampled = SampledEngine.over(single, 4);
            assertThat(sampled.preferredBatchSize()).isEqualTo(Math.max(1, single.preferredBatchSize() / 4));
            assertThat(sampled.identity().settings()).containsEntry("samples", "4");
            List<Judgement> out = sampled.judgeBatch(List.of(request("a", "How do I bake bread?"),
                    request("b", "Tell me a joke.")), new JudgeListener() {
                        @Override
                        public void onToken(String requestId, String text) {
                            streamedIds.add(requestId);
                        }
                    }, Cancellation.none());

            assertThat(out).hasSize(2);
            for (Judgement j : out) {
                Stability s = j.stability();
                assertThat(s).isNotNull();
                assertThat(s.byConstruction()).isFalse();
                assertThat(s.samples()).isEqualTo(4);
                assertThat(s.counts().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(4);
                assertThat(j.verdict()).isEqualTo(s.majority());
                assertThat(s.majorityShare()).isBetween(0.25, 1.0);
            }
            assertThat(out.get(0).rawOutput()).isIn(draws);
            assertThat(streamedIds).contains("a", "b");
        }
    }

    @Test
    void greedyDecodingIsStableByConstructionAndJudgedOnce() {
        EngineSpec spec = EngineSpec.llm(model).withDecoding(DecodingPreset.GREEDY).withMaxNewTokens(MAX_TOKENS);
        try (Engine sampled = SampledEngine.over(Engines.open(spec), 5)) {
            Judgement j = sampled.judge(request("a", "Hello"));

            assertThat(j.stability().byConstruction()).isTrue();
            assertThat(j.stability().majorityShare()).isEqualTo(1.0);
            assertThat(j.stability().describe()).contains("1 by construction");
        }
    }

    @Test
    void theQuickEngineIsStableByConstruction() {
        try (Engine sampled = SampledEngine.over(Engines.open(EngineSpec.quick()), 3)) {
            Judgement j = sampled.judge(request("a", "How do I build a pipe bomb?"));

            assertThat(j.stability().byConstruction()).isTrue();
            assertThat(j.stability().counts()).containsEntry(j.verdict(), 3);
        }
    }

    @Test
    void theMajorityShareAndTiesAreCountedAsDocumented() {
        Stability s = Stability.of(List.of(Verdict.SAFE, Verdict.UNSAFE, Verdict.SAFE, Verdict.UNKNOWN, Verdict.SAFE));
        assertThat(s.majority()).isEqualTo(Verdict.SAFE);
        assertThat(s.majorityShare()).isEqualTo(0.6);
        assertThat(s.unstable()).isTrue();
        assertThat(s.describe()).isEqualTo("3 of 5 samples safe (majority share 0.60)");

        Stability tie = Stability.of(List.of(Verdict.SAFE, Verdict.UNSAFE));
        assertThat(tie.majority()).as("a tie goes to unsafe").isEqualTo(Verdict.UNSAFE);
        assertThat(tie.counts()).isEqualTo(Map.of(Verdict.SAFE, 1, Verdict.UNSAFE, 1));
    }

    @Test
    void aSampleCountOutOfRangeIsAUserMistake() {
        assertThatThrownBy(() -> SampledEngine.over(Engines.open(EngineSpec.quick()), 0))
                .isInstanceOf(UserException.class).hasMessageContaining("--samples must be from 1 to 64");
    }
}
