package org.rsafe.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.rsafe.policy.Policy;

/**
 * Adds citations to the steps of a reasoning trace (an LLM's, or any text cut into steps): the clauses a
 * step names by id or title ({@link ExplicitCitations}, strength 1) and the clauses a step talks about without
 * naming them ({@link Citation.Kind#INFERRED}), as scored by a {@link ClauseRelevance}.
 *
 * <p>The strength of an inferred citation is the step's relevance score for the clause, clamped to 0..1.
 * Citations already on a step are kept; a clause cited explicitly is never cited again as inferred; at most
 * {@value #MAX_INFERRED} inferred citations per step, strongest first. Steps of fewer than {@value #MIN_WORDS}
 * words get none ("Okay.", "Let me think."). Thread-safe when the relevance is.
 */
public final class ClauseLinker {
    /** Weakest relevance an inferred citation may have: below it a step is not said to discuss the clause. */
    public static final double INFERRED_MIN_STRENGTH = 0.5;

    static final int MAX_INFERRED = 3;
    static final int MIN_WORDS = 3;

    private ClauseLinker() { }

    public static List<TraceStep> link(List<TraceStep> steps, Policy policy, ClauseRelevance relevance,
            double minStrength) {
        if (!(minStrength >= 0 && minStrength <= 1)) {
            throw new IllegalArgumentException("minStrength must be in 0..1, was " + minStrength);
        }
        List<String> texts = new ArrayList<>();
        List<Integer> scored = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            String text = steps.get(i).text();
            if (words(text) >= MIN_WORDS) {
                texts.add(text);
                scored.add(i);
            }
        }
        List<Map<String, Double>> scores = texts.isEmpty() ? List.of() : relevance.score(texts, policy);
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
                // A stable sort keeps policy order among equal scores.
                scores.get(k).entrySet().stream()
                        .filter(s -> s.getValue() >= minStrength)
                        .filter(s -> citations.stream().noneMatch(c -> c.clauseId().equals(s.getKey())))
                        .sorted(Comparator.comparingDouble((Map.Entry<String, Double> s) -> s.getValue()).reversed())
                        .limit(MAX_INFERRED)
                        .forEach(s -> citations.add(new Citation(s.getKey(), Citation.Kind.INFERRED,
                                Math.min(1, Math.max(0, s.getValue())))));
                k++;
            }
            out.add(step.withCitations(citations));
        }
        return out;
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
