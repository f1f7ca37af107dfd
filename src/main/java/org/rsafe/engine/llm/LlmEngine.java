package org.rsafe.engine.llm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.engine.EngineThreadGuard;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.prompt.ChatTemplate;
import org.rsafe.prompt.PromptRenderer;
import org.rsafe.trace.Citation;
import org.rsafe.trace.ClauseLinker;
import org.rsafe.trace.EngineIdentity;
import org.rsafe.trace.ExplicitCitations;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.OutputParser;
import org.rsafe.trace.TraceStep;
import org.rsafe.trace.Verdict;

/**
 * The RSafe guard on a local Qwen2-family model: renders the policy and conversation into RSafe's prompt,
 * wraps it as one user turn of Qwen's chat format, generates, and reads the output the way RSafe's reward
 * function does (answer in the last {@code \boxed{}}, format check), cutting the reasoning into steps with
 * the clauses each step names.
 *
 * <p>Citations: each step carries the clauses it names (by id or title, {@link Citation.Kind#EXPLICIT}) and,
 * when the options give a {@link org.rsafe.trace.ClauseRelevance} (and do not switch them off), the clauses
 * it discusses without naming them, found by {@link ClauseLinker} ({@link Citation.Kind#INFERRED}, strength =
 * the relevance score, at least {@value #INFERRED_MIN_STRENGTH}). Flagged clauses: when the verdict is unsafe, the clauses the reasoning
 * names explicitly, in policy order; none otherwise (an inferred link is evidence to show, not a decision of
 * the model). The model gives no per-clause scores, so {@code clauseScores} is empty.
 *
 * <p>Thread-safety: safe to share, but serial — {@link #judge} and {@link #judgeBatch} are synchronized,
 * so one generation runs at a time (the model and its native memory are single-stream). Use
 * {@link #judgeBatch} for throughput: it generates up to {@link LlmEngineOptions#maxBatch()} prompts together.
 */
public final class LlmEngine implements Engine {
    public static final String ENGINE = "llm";
    /** Weakest inferred citation kept: the relevance score of a borderline violation. */
    public static final double INFERRED_MIN_STRENGTH = ClauseLinker.INFERRED_MIN_STRENGTH;

    private final LocalModel local;
    private final LlmEngineOptions options;
    private final EngineIdentity identity;
    private final TextGenerator generator;

    private LlmEngine(LocalModel local, LlmEngineOptions options) {
        this.local = local;
        this.options = options;
        this.generator = options.constrainFormat() ? local.generator().withFormatConstraint() : local.generator();
        Map<String, String> settings = new LinkedHashMap<>(options.decoding().asSettings());
        settings.put("dtype", local.dtypeName());
        if (options.adapterDir() != null) {
            settings.put("adapter", String.valueOf(options.adapterDir().getFileName()));
        }
        settings.put("inferred_citations", Boolean.toString(options.linksInferredCitations()));
        if (options.constrainFormat()) {
            settings.put("constrain_format", "true");
        }
        if (local.folder().randomWeights()) {
            settings.put("random_weights", "true");
        }
        this.identity = new EngineIdentity(ENGINE, local.modelId(), local.folder().modelHash(), local.deviceName(),
                settings);
    }

    /** Loads the model folder on the chosen device; the caller closes the engine. */
    public static LlmEngine open(LlmEngineOptions options) {
        Objects.requireNonNull(options, "options");
        return new LlmEngine(LocalModel.open(options.modelDir(), options.adapterDir(), options.device(),
                options.precision()), options);
    }

    /** An engine on an already loaded model; closing the engine closes the model. */
    public static LlmEngine on(LocalModel local, LlmEngineOptions options) {
        return new LlmEngine(local, options);
    }

    @Override
    public EngineIdentity identity() {
        return identity;
    }

    public LlmEngineOptions options() {
        return options;
    }

    /** One generation batch ({@link LlmEngineOptions#maxBatch()}). */
    @Override
    public int preferredBatchSize() {
        return options.maxBatch();
    }

    /** Notes for the user about the loaded model (random weights, config remarks). */
    public List<String> notices() {
        return local.notices();
    }

    /** The exact text the model receives for a request: the RSafe prompt as one Qwen chat user turn. */
    public static String modelInput(JudgeRequest request) {
        String rendered = PromptRenderer.render(request.policy(), request.template(), request.prompt(),
                request.response());
        return ChatTemplate.wrapQwen(rendered);
    }

    @Override
    public synchronized Judgement judge(JudgeRequest request, JudgeListener listener, Cancellation cancellation) {
        return judgeBatch(List.of(request), listener, cancellation).get(0);
    }

    @Override
    public synchronized List<Judgement> judgeBatch(List<JudgeRequest> requests, JudgeListener listener,
            Cancellation cancellation) {
        EngineThreadGuard.assertNotFxThread();
        List<Judgement> out = new ArrayList<>(requests.size());
        for (int from = 0; from < requests.size(); from += options.maxBatch()) {
            cancellation.check();
            List<JudgeRequest> group = requests.subList(from, Math.min(requests.size(), from + options.maxBatch()));
            List<String> inputs = group.stream().map(LlmEngine::modelInput).toList();
            List<int[]> ids = inputs.stream().map(generator.tokenizer()::encode).toList();
            long[] seeds = group.stream().mapToLong(r -> options.decoding().seedOfDraw(r.sample())).toArray();
            List<TextGenerator.Generation> generations = generator.generateIds(ids, options.decoding(), seeds,
                    List.of(), (row, delta) -> listener.onToken(group.get(row).id(), delta), cancellation);
            for (int i = 0; i < group.size(); i++) {
                TextGenerator.Generation g = generations.get(i);
                JudgeRequest request = group.get(i);
                long millis = (g.prefillNanos() + g.decodeNanos()) / 1_000_000;
                Judgement j = judgementFrom(request, inputs.get(i), g.text(), g.promptTokens(),
                        g.completionTokens(), millis);
                j.steps().forEach(step -> listener.onStep(request.id(), step));
                out.add(j);
            }
        }
        return out;
    }

    /**
     * The judgement for a raw model output: the parse as {@link OutputParser#parse} reads it, flagged clauses,
     * the exact model input, token counts, latency and this engine's identity. Generation ends here; tests feed
     * scripted outputs through the same path.
     */
    Judgement judgementFrom(JudgeRequest request, String modelInput, String rawOutput, int promptTokens,
            int completionTokens, long latencyMillis) {
        Judgement parsed = OutputParser.parse(rawOutput, request.policy());
        List<TraceStep> steps = parsed.steps();
        if (options.linksInferredCitations() && !steps.isEmpty()) {
            steps = ClauseLinker.link(steps, request.policy(), options.clauseRelevance(), INFERRED_MIN_STRENGTH);
        }
        List<String> flagged = parsed.verdict() == Verdict.UNSAFE
                ? ExplicitCitations.namedInPolicyOrder(steps, request.policy()) : List.of();
        return new Judgement(parsed.verdict(), parsed.answer(), parsed.formatOk(), Map.of(), flagged, steps,
                rawOutput, modelInput, identity, latencyMillis, promptTokens, completionTokens);
    }

    @Override
    public synchronized void close() {
        local.close();
    }
}
