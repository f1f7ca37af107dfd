package org.rsafe.engine.quick;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.rsafe.engine.Cancellation;
import org.rsafe.policy.Policy;
import org.rsafe.trace.ClauseRelevance;

/**
 * Scores trace steps against a policy's clauses with the quick engine's sentence encoder and scoring rule, so
 * that {@link org.rsafe.trace.ClauseLinker} can cite the clauses a step discusses.
 *
 * <p>A score is the quick engine's clause score of the step text ({@link ClauseScorer}, default scoring
 * settings): 0.5 means "as far above the policy's allowed texts as a borderline violation". Anchor vectors
 * are kept for the last few policies and text vectors in memory, shared by all instances. Thread-safe.
 */
public final class EncoderClauseRelevance implements ClauseRelevance {
    private static final QuickEngineOptions SCORING = QuickEngineOptions.defaults().withCacheDir(null);
    private static final InputEmbeddingCache TEXTS = InputEmbeddingCache.inMemory();
    private static final Map<String, PolicyAnchors> ANCHORS = new LinkedHashMap<>(8, 0.75f, true);
    private static final EncoderClauseRelevance SHARED = new EncoderClauseRelevance(SentenceEncoder::shared);

    private final Supplier<SentenceEncoder> encoder;

    /** Scores with the given encoder; the caller keeps it open while this is in use. */
    public EncoderClauseRelevance(SentenceEncoder encoder) {
        this(() -> encoder);
        Objects.requireNonNull(encoder, "encoder");
    }

    private EncoderClauseRelevance(Supplier<SentenceEncoder> encoder) {
        this.encoder = encoder;
    }

    /**
     * Scores with the process-wide {@link SentenceEncoder#shared()} encoder, which is loaded on the first
     * score, not here: an engine given this pays for the encoder only when it links a trace.
     */
    public static EncoderClauseRelevance shared() {
        return SHARED;
    }

    @Override
    public List<Map<String, Double>> score(List<String> texts, Policy policy) {
        SentenceEncoder e = encoder.get();
        PolicyAnchors anchors = anchors(policy, e);
        List<SentenceEncoder.SpanText> inputs = texts.stream()
                .map(t -> new SentenceEncoder.SpanText(t, SentenceSplitter.split(t))).toList();
        List<TextEmbedding> vectors = e.embedSpans(inputs, Cancellation.none());
        List<Map<String, Double>> out = new ArrayList<>(texts.size());
        for (int i = 0; i < inputs.size(); i++) {
            Map<String, Double> byClause = new LinkedHashMap<>();
            for (ClauseScore s : ClauseScorer.score(anchors, vectors.get(i), inputs.get(i).spans(), false, SCORING)) {
                byClause.put(s.clauseId(), s.score());
            }
            out.add(byClause);
        }
        return out;
    }

    private static PolicyAnchors anchors(Policy policy, SentenceEncoder encoder) {
        String key = policy.sha256();
        synchronized (ANCHORS) {
            PolicyAnchors a = ANCHORS.get(key);
            if (a != null) {
                return a;
            }
        }
        PolicyAnchors built = PolicyAnchors.build(policy, SCORING, texts -> embedWhole(texts, encoder));
        synchronized (ANCHORS) {
            ANCHORS.put(key, built);
            if (ANCHORS.size() > 8) {
                ANCHORS.remove(ANCHORS.keySet().iterator().next());
            }
        }
        return built;
    }

    private static List<TextEmbedding> embedWhole(List<String> texts, SentenceEncoder encoder) {
        TextEmbedding[] out = new TextEmbedding[texts.size()];
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            out[i] = TEXTS.get(InputEmbeddingCache.key(SentenceEncoder.modelHash(), PolicyAnchors.SCHEME, texts.get(i)));
            if (out[i] == null) {
                missing.add(i);
            }
        }
        List<SentenceEncoder.SpanText> inputs = missing.stream()
                .map(i -> new SentenceEncoder.SpanText(texts.get(i), List.of())).toList();
        List<TextEmbedding> fresh = encoder.embedSpans(inputs, Cancellation.none());
        for (int j = 0; j < missing.size(); j++) {
            int i = missing.get(j);
            out[i] = fresh.get(j);
            TEXTS.put(InputEmbeddingCache.key(SentenceEncoder.modelHash(), PolicyAnchors.SCHEME, texts.get(i)), fresh.get(j));
        }
        return List.of(out);
    }
}
