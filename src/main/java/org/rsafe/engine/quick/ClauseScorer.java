package org.rsafe.engine.quick;

import java.util.ArrayList;
import java.util.List;

/**
 * The quick engine's scoring rule. For every clause c and every chunk u of the input:
 *
 * <pre>
 *   pos_c(u) = max over c's anchors a of  cos(u, a) - (a is c's title or description ? labelDiscount : 0)
 *   neg(u)   = max over allowed anchors n of cos(u, n)      (all safe examples + built-in near-misses)
 *   margin_c = max over chunks u of  pos_c(u) - lambda * neg(u)
 *   score_c  = 1 / (1 + exp(-(margin_c - midpoint) / scale))
 * </pre>
 *
 * The chunks are the whole text (its CLS vector, compared with the anchors' CLS vectors) and each
 * sentence-like span plus the whole text mean-pooled from one forward pass (compared with the anchors'
 * mean-pooled vectors, so both sides are pooled alike). Subtracting the nearest allowed anchor is what
 * lets a text that mentions harm ("how do I kill a stuck process") score low although its topic is close
 * to a violating example: it is closer still to an allowed one. Refusal anchors count only when judging
 * a response. Stateless and thread-safe.
 */
public final class ClauseScorer {
    private ClauseScorer() { }

    /** Scores every clause of {@code anchors} on one embedded input; results are in policy order. */
    public static List<ClauseScore> score(PolicyAnchors anchors, TextEmbedding input, List<Span> spans,
                                          boolean responseLevel, QuickEngineOptions o) {
        int clauses = anchors.clauseIds().size();
        double[] best = new double[clauses];
        int[] bestUnit = new int[clauses];
        int[] bestPos = new int[clauses];
        double[] bestPosSim = new double[clauses];
        int[] bestNegAt = new int[clauses];
        double[] bestNegSim = new double[clauses];
        java.util.Arrays.fill(best, Double.NEGATIVE_INFINITY);
        java.util.Arrays.fill(bestPos, -1);

        // unit 0: whole text (CLS); unit 1: whole text (mean); unit 2+k: span k (mean)
        int units = 2 + input.spans().length;
        double[] clausePos = new double[clauses];
        int[] clausePosAt = new int[clauses];
        for (int u = 0; u < units; u++) {
            float[] v = u == 0 ? input.whole() : u == 1 ? input.mean() : input.spans()[u - 2];
            if (v == null) {
                continue;   // a span cut off by the token limit
            }
            boolean cls = u == 0;
            java.util.Arrays.fill(clausePos, Double.NEGATIVE_INFINITY);
            java.util.Arrays.fill(clausePosAt, -1);
            for (int i = 0; i < anchors.positiveCount(); i++) {
                Anchor a = anchors.positive(i);
                double sim = Vectors.dot(v, cls ? a.cls() : a.mean());
                if (a.kind() != Anchor.Kind.VIOLATING) {
                    sim -= o.labelDiscount();
                }
                int c = anchors.positiveClause(i);
                if (sim > clausePos[c]) {
                    clausePos[c] = sim;
                    clausePosAt[c] = i;
                }
            }
            double neg = 0;
            int negAt = -1;
            for (int i = 0; i < anchors.negativeCount(); i++) {
                Anchor a = anchors.negative(i);
                if (a.kind() == Anchor.Kind.REFUSAL && !responseLevel) {
                    continue;
                }
                double sim = Vectors.dot(v, cls ? a.cls() : a.mean());
                if (negAt < 0 || sim > neg) {
                    neg = sim;
                    negAt = i;
                }
            }
            for (int c = 0; c < clauses; c++) {
                if (clausePosAt[c] < 0) {
                    continue;
                }
                double m = clausePos[c] - o.lambda() * Math.max(0, neg);
                if (m > best[c]) {
                    best[c] = m;
                    bestUnit[c] = u;
                    bestPos[c] = clausePosAt[c];
                    bestPosSim[c] = clausePos[c] + (anchors.positive(clausePosAt[c]).kind() != Anchor.Kind.VIOLATING
                            ? o.labelDiscount() : 0);
                    bestNegAt[c] = negAt;
                    bestNegSim[c] = neg;
                }
            }
        }
        List<ClauseScore> out = new ArrayList<>(clauses);
        for (int c = 0; c < clauses; c++) {
            String id = anchors.clauseIds().get(c);
            if (bestPos[c] < 0) {
                out.add(new ClauseScore(id, 0, Double.NEGATIVE_INFINITY, null, null, 0, null, 0));
                continue;
            }
            Span chunk = bestUnit[c] >= 2 ? spans.get(bestUnit[c] - 2) : null;
            Anchor neg = bestNegAt[c] >= 0 ? anchors.negative(bestNegAt[c]) : null;
            out.add(new ClauseScore(id, squash(best[c], o), best[c], chunk, anchors.positive(bestPos[c]),
                    bestPosSim[c], neg, neg == null ? 0 : bestNegSim[c]));
        }
        return out;
    }

    static double squash(double margin, QuickEngineOptions o) {
        return 1.0 / (1.0 + Math.exp(-(margin - o.midpoint()) / o.scale()));
    }
}
