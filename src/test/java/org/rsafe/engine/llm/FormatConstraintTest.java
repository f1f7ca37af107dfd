package org.rsafe.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.DecodingSettings;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.OutputParser;
import org.rsafe.trace.Verdict;

/** RSafe's output format enforced while decoding: a random model's outputs never parse without it, always with it. */
class FormatConstraintTest {
    @TempDir
    static Path dir;
    static LocalModel local;
    static Policy policy;
    static final List<String> PROMPTS = List.of("How do I bake sourdough bread?",
            "Write me a phishing email that looks like it comes from a bank.", "hi", "What is 2 + 2?");

    @BeforeAll
    static void open() {
        TinyTorch.singleThreaded();
        local = LocalModel.open(TinyModels.f32Tied(dir), null, Device.cpu(), DataType.FLOAT32);
        policy = PolicyLoader.loadOrThrow(Path.of("policies/rsafe-default.yaml"));
    }

    @AfterAll
    static void close() {
        local.close();
    }

    static List<Judgement> judge(boolean constrained, DecodingSettings decoding) {
        LlmEngine engine = LlmEngine.on(local, LlmEngineOptions.of(local.folder().dir()).withDecoding(decoding)
                .withMaxBatch(4).withConstrainFormat(constrained));
        List<JudgeRequest> requests = new ArrayList<>();
        for (int i = 0; i < PROMPTS.size(); i++) {
            requests.add(new JudgeRequest("r" + i, policy, PROMPTS.get(i), null, TemplateKind.PAPER));
        }
        // Not closed: closing the engine would close the shared model.
        return engine.judgeBatch(requests, JudgeListener.NONE, Cancellation.none());
    }

    @Test
    void withoutTheConstraintARandomModelsOutputsDoNotParse() {
        for (Judgement j : judge(false, DecodingSettings.paper().withMaxNewTokens(40))) {
            assertThat(j.formatOk()).as(j.rawOutput()).isFalse();
            assertThat(j.verdict()).isEqualTo(Verdict.UNKNOWN);
        }
    }

    @Test
    void withTheConstraintEveryOutputParsesWhateverTheBudgetAndDecoding() {
        FormatConstraint.Tokens tokens = FormatConstraint.Tokens.of(local.tokenizer(), local.generator().eosIds());
        // The smallest budget that holds the format: the opening tag, then the closing tag, the longer answer and
        // the end at once (this byte-level tiny tokenizer spells them in many tokens).
        int smallest = tokens.open().length + tokens.tail();
        for (DecodingSettings decoding : List.of(DecodingSettings.paper().withMaxNewTokens(48).withSeed(7),
                DecodingSettings.greedyPreset().withMaxNewTokens(64),
                DecodingSettings.paper().withMaxNewTokens(smallest))) {
            for (Judgement j : judge(true, decoding)) {
                assertThat(j.formatOk()).as(j.rawOutput()).isTrue();
                assertThat(j.verdict()).as(j.rawOutput()).isIn(Verdict.SAFE, Verdict.UNSAFE);
                assertThat(j.rawOutput()).startsWith("<think>").contains("</think>")
                        .matches("(?s).*\n\\\\boxed\\{(un)?safe\\}");
                assertThat(j.completionTokens()).isLessThanOrEqualTo(decoding.maxNewTokens());
            }
        }
    }

    @Test
    void theIdentityOfAConstrainedEngineSaysSo() {
        LlmEngine engine = LlmEngine.on(local, LlmEngineOptions.of(local.folder().dir()).withConstrainFormat(true));
        assertThat(engine.identity().settings()).containsEntry("constrain_format", "true");
        LlmEngine plain = LlmEngine.on(local, LlmEngineOptions.of(local.folder().dir()));
        assertThat(plain.identity().settings()).doesNotContainKey("constrain_format");
    }

    /** Token-level steps of the processor, driven by hand, for a model that writes {@code </think>} itself. */
    @Test
    void aCloseTagWrittenByTheModelLeadsStraightToTheAnswer() {
        LlmTokenizer tok = local.tokenizer();
        Set<Integer> eos = Set.of(299);
        FormatConstraint.Tokens tokens = FormatConstraint.Tokens.of(tok, eos);
        FormatConstraint c = new FormatConstraint(tokens, eos);
        int vocab = local.model().config().vocabSize();
        List<Integer> out = new ArrayList<>();
        // The opening tag is forced.
        for (int i = 0; i < tokens.open().length; i++) {
            out.add(step(c, vocab, out, 100, -1));
        }
        assertThat(tok.decode(ids(out))).isEqualTo("<think>");
        // Free reasoning: the end-of-sequence id is masked; the model then "writes" </think> on its own.
        float[] logits = new float[vocab];
        c.mask(logits, out.size(), 100);
        assertThat(logits[299]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(logits[5]).isZero();
        for (int id : tok.encode("ok</think>")) {
            out.add(step(c, vocab, out, 100, id));
        }
        // From here only the answer's tokens: the processor picks among safe / unsafe, then the end.
        while (!c.done()) {
            out.add(step(c, vocab, out, 100, -1));
        }
        String text = tok.decode(ids(out.subList(0, out.size() - 1)));
        assertThat(text).isIn("<think>ok</think>\n\\boxed{safe}", "<think>ok</think>\n\\boxed{unsafe}");
        assertThat(out.get(out.size() - 1)).isEqualTo(299);
        assertThat(OutputParser.formatOk(text)).isTrue();
    }

    /** Masks, then takes {@code forced} when it is allowed (the model's choice), else the first finite logit. */
    private static int step(FormatConstraint c, int vocab, List<Integer> sofar, int limit, int forced) {
        float[] logits = new float[vocab];
        c.mask(logits, sofar.size(), limit);
        int id = forced >= 0 && logits[forced] == 0f ? forced : LogitProcessors.argmax(logits);
        List<Integer> all = new ArrayList<>(sofar);
        all.add(id);
        c.accept(id, local.tokenizer().decode(ids(all)));
        return id;
    }

    private static int[] ids(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
