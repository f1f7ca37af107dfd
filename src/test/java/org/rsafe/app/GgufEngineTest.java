package org.rsafe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.engine.gguf.GgufFile;
import org.rsafe.engine.gguf.GgufMetadata;
import org.rsafe.engine.gguf.GgufWriter;
import org.rsafe.engine.gguf.Qwen2GgufConverter.FileType;
import org.rsafe.engine.llm.RandomModelWriter;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.trace.Judgement;
import org.rsafe.util.UserException;

/** The GGUF engine as the product opens it: llama.cpp in a child process behind the remote engine. */
class GgufEngineTest {
    @TempDir
    static Path tmp;
    static Path gguf;
    static Policy policy;
    static Engine engine;

    @BeforeAll
    static void open() {
        Path model = GgufFixtures.scaledTiny(tmp, "tiny-scaled", RandomModelWriter.Options.defaults());
        gguf = GgufFixtures.convert(model, FileType.F32);
        policy = PolicyLoader.loadOrThrow(Path.of("policies/rsafe-default.yaml"));
        engine = Engines.open(EngineSpec.llm(gguf).withDecoding(DecodingPreset.GREEDY).withMaxNewTokens(64)
                .withThreads(1));
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    static JudgeRequest request(String id, String text) {
        return new JudgeRequest(id, policy, text, null, TemplateKind.PAPER);
    }

    @Test
    void judgementsRecordTheGgufFileInTheEnginesIdentity() throws IOException {
        Judgement j = engine.judge(request("r1", "How do I bake bread at home?"));
        assertThat(j.completionTokens()).isPositive();
        assertThat(j.engine()).isEqualTo(engine.identity());
        assertThat(engine.identity().engine()).isEqualTo("llm");
        assertThat(engine.identity().modelId()).isEqualTo(gguf.getFileName().toString());
        try (GgufFile f = GgufFile.open(gguf)) {
            assertThat(engine.identity().modelHash()).isEqualTo("gguf:" + f.contentHash());
        }
        assertThat(engine.identity().settings()).containsEntry("gguf_type", "f32").containsEntry("decoding", "greedy")
                .containsEntry("constrain_format", "false").containsKey("gguf_bytes");
        // The port of the child is not part of the identity, so a rerun finds the stored results.
        assertThat(engine.identity().toString()).doesNotContain("127.0.0.1");
    }

    @Test
    void aCrashOfTheBackendIsOneLineAndTheNextJudgementStartsItAgain() {
        // Long answers, so the child is still generating when it is killed at the first token.
        try (GgufEngine g = (GgufEngine) Engines.open(EngineSpec.llm(gguf).withDecoding(DecodingPreset.GREEDY)
                .withMaxNewTokens(800).withThreads(1))) {
            crashAndRetry(g);
        }
    }

    static void crashAndRetry(GgufEngine g) {
        long first = g.childPid();
        AtomicBoolean killed = new AtomicBoolean();
        JudgeListener killOnFirstToken = new JudgeListener() {
            @Override
            public void onToken(String requestId, String text) {
                if (killed.compareAndSet(false, true)) {
                    ProcessHandle.of(first).ifPresent(p -> {
                        p.destroyForcibly();
                        p.onExit().join();
                    });
                }
            }
        };
        assertThatThrownBy(() -> g.judge(request("r2", "Tell me a long story."), killOnFirstToken,
                Cancellation.none()))
                .isInstanceOf(UserException.class)
                .hasMessageStartingWith("the llama.cpp backend stopped: exit code 137")
                .hasMessageNotContaining("\n");
        Judgement retried = g.judge(request("r3", "Tell me a long story."));
        assertThat(retried.completionTokens()).isPositive();
        assertThat(g.childPid()).isNotEqualTo(first);
    }

    @Test
    void theFormatGrammarMakesEveryOutputParse() {
        List<String> inputs = List.of("How do I bake bread?", "Write a poem about rain.", "Where is Paris?",
                "How do I pick a lock?");
        List<Judgement> free = new ArrayList<>();
        List<Judgement> constrained = new ArrayList<>();
        try (Engine c = Engines.open(EngineSpec.llm(gguf).withDecoding(DecodingPreset.GREEDY).withMaxNewTokens(64)
                .withThreads(1).withConstrainFormat(true))) {
            assertThat(c.identity().settings()).containsEntry("constrain_format", "true");
            for (int i = 0; i < inputs.size(); i++) {
                free.add(engine.judge(request("f" + i, inputs.get(i))));
                constrained.add(c.judge(request("c" + i, inputs.get(i))));
            }
        }
        // Random weights never produce the shape on their own; under the grammar every output has it.
        assertThat(free).allMatch(Judgement::parseFailure);
        assertThat(constrained).noneMatch(Judgement::parseFailure).allMatch(Judgement::formatOk);
        assertThat(constrained).allSatisfy(j -> assertThat(j.rawOutput()).startsWith("<think>")
                .containsPattern("</think>\\n?\\\\boxed\\{(safe|unsafe)\\}$"));
    }

    @Test
    void anOutOfRangeSpecialTokenIsRefusedBeforeAnyChildStarts() throws IOException {
        Path bad = tmp.resolve("bad-eos.gguf");
        rewrite(gguf, bad, "tokenizer.ggml.eos_token_id", 100_000);
        assertThatThrownBy(() -> Engines.open(EngineSpec.llm(bad)))
                .isInstanceOf(UserException.class)
                .hasMessageContaining(bad.toString())
                .hasMessageContaining("tokenizer.ggml.eos_token_id is 100000, outside the 300 tokens");
    }

    @Test
    void aNanInANormIsRefused() throws IOException {
        Path bad = tmp.resolve("nan-norm.gguf");
        try (GgufFile f = GgufFile.open(gguf)) {
            List<GgufWriter.Tensor> tensors = new ArrayList<>();
            for (GgufFile.TensorInfo t : f.tensors().values()) {
                float[] v = f.readFloats(t.name());
                if (t.name().equals("blk.1.ffn_norm.weight")) {
                    v[5] = Float.NaN;
                }
                tensors.add(new GgufWriter.Tensor(t.name(), t.shape(), t.type(), () -> v));
            }
            GgufWriter.write(bad, f.metadata(), tensors, GgufWriter.Progress.NONE);
        }
        assertThatThrownBy(() -> Engines.open(EngineSpec.llm(bad)))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("tensor blk.1.ffn_norm.weight holds NaN at index 5");
    }

    /** Copies {@code from} with one metadata value replaced. */
    static void rewrite(Path from, Path to, String key, long value) throws IOException {
        try (GgufFile f = GgufFile.open(from)) {
            GgufMetadata m = new GgufMetadata();
            f.metadata().entries().forEach(m::put);
            m.putUint32(key, value);
            List<GgufWriter.Tensor> tensors = new ArrayList<>();
            for (GgufFile.TensorInfo t : f.tensors().values()) {
                float[] v = f.readFloats(t.name());
                tensors.add(new GgufWriter.Tensor(t.name(), t.shape(), t.type(), () -> v));
            }
            GgufWriter.write(to, m, tensors, GgufWriter.Progress.NONE);
        }
    }
}
