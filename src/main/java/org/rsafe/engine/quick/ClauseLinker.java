package org.rsafe.engine.quick;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rsafe.engine.Cancellation;
import org.rsafe.policy.Policy;
import org.rsafe.trace.Citation;
import org.rsafe.trace.ExplicitCitations;
import org.rsafe.trace.TraceStep;

/**
 * Adds citations to the steps of a reasoning trace (an LLM's, or any text cut into steps): the clauses a
 * step names by id or title ({@link ExplicitCitations}, strength 1) and, by encoder similarity, the
 * clauses a step talks about without naming them ({@link Citation.Kind#INFERRED}).
 *
 * <p>The strength of an inferred citation is the quick engine's score of the step text against the
 * clause (see {@link ClauseScorer}, default scoring settings): 0.5 means "as far above the policy's
 * allowed texts as a borderline violation". Citations already on a step are kept; a clause cited
 * explicitly is never cited again as inferred; at most {@value #MAX_INFERRED} inferred citations per step,
 * strongest first. Steps of fewer than {@value #MIN_WORDS} words get none ("Okay.", "Let me think.").
 * Thread-safe.
 */
public final class ClauseLinker {
    static final int MAX_INFERRED = 3;
    static final int MIN_WORDS = 3;
    private static final QuickEngineOptions SCORING = QuickEngineOptions.defaults().withCacheDir(null);
    private static final InputEmbeddingCache TEXTS = InputEmbeddingCache.inMemory();
    private static final Map<String, PolicyAnchors> ANCHORS = new LinkedHashMap<>(8, 0.75f, true);

    private ClauseLinker() { }

    public static List<TraceStep> link(List<TraceStep> steps, Policy policy, SentenceEncoder encoder, double minStrength) {
        if (!(minStrength >= 0 && minStrength <= 1)) {
            throw new IllegalArgumentException("minStrength must be in 0..1, was " + minStrength);
        }
        PolicyAnchors anchors = anchors(policy, encoder);
        List<SentenceEncoder.SpanText> inputs = new ArrayList<>();
        List<Integer> scored = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            String text = steps.get(i).text();
            if (words(text) >= MIN_WORDS) {
                inputs.add(new SentenceEncoder.SpanText(text, SentenceSplitter.split(text)));
                scored.add(i);
            }
        }
        List<TextEmbedding> vectors = encoder.embedSpans(inputs, Cancellation.none());
        List<TraceStep> out = new ArrayList<>(steps.size());
        int k = 0;
        for (int i = 0; i < steps.size(); i++) {
            TraceStep step = steps.get(i);
            List<Citation> citations = new ArrayList<>(step.citations());
            for (Citation c : ExplicitCitations.find(step.text(), policy)) {
                if (!step.cites(c.clauseId())) {
                    citations.add(c);
                }
            }
            if (k < scored.size() && scored.get(k) == i) {
                SentenceEncoder.SpanText in = inputs.get(k);
                List<ClauseScore> scores = ClauseScorer.score(anchors, vectors.get(k), in.spans(), false, SCORING);
                k++;
                scores.stream()
                        .filter(s -> s.score() >= minStrength)
                        .filter(s -> citations.stream().noneMatch(c -> c.clauseId().equals(s.clauseId())))
                        .sorted(Comparator.comparingDouble(ClauseScore::score).reversed())
                        .limit(MAX_INFERRED)
                        .forEach(s -> citations.add(new Citation(s.clauseId(), Citation.Kind.INFERRED,
                                Math.min(1, Math.max(0, s.score())))));
            }
            out.add(step.withCitations(citations));
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

    private static int words(String text) {
        int n = 0;
        boolean in = false;
        for (int i = 0; i < text.length(); i++) {
            boolean letter = Character.isLetterOrDigit(text.charAt(i));
            if (letter && !in) {
                n++;
            }
            in = letter;
        }
        return n;
    }
}
