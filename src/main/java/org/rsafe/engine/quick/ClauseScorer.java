package org.rsafe.engine.quick;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The quick engine's scoring rule. Every vector is a mean of contextual token vectors (late chunking),
 * on the input side and on the anchor side alike. For clause c and chunk u of the input (the whole text
 * and each sentence-like span):
 *
 * <pre>
 *   prototype_c = normalise((1 - w) * mean(c's violating examples) + w * mean(c's title, description))
 *   allowed(u)  = max(0, max over allowed anchors n of cos(u, n))   (safe examples + built-in near-misses;
 *                                                                    + refusals when judging a response)
 *   margin_c    = max over chunks u of  cos(u, prototype_c) - lambda * allowed(u) - refusal(u)
 *   refusal(u)  = max(0, cos(opening, nearest built-in refusal) - allowed(u)), for responses only
 *   margin_c    is lowered by a further DECLINE_PENALTY (0.25) when a response opens with refusal or warning
 *               wording ("I'm sorry", "I can't help with", "As an AI", "that is illegal"; see ResponseOpenings)
 *   z_c         = (margin_c - mean_c) / sd_c      mean_c, sd_c: margins of the allowed texts themselves
 *               + 0.4 * clamp(intent - 0.5, -1, 1)     prompts only: the built-in intent contrast ({@link #intentShift})
 *   lift        = max(0, median z of the policy's own safe examples (each left out of the pool) - 2.1)
 *   score_c     = 1 / (1 + exp(-(z_c - lift - midpoint) / scale))
 * </pre>
 *
 * <p>Then the policy's own examples bind (see {@link #examples}): when the whole text is at least
 * {@link #EXAMPLE_MARGIN} nearer to one of clause c's safe examples than to any of its violating examples, the
 * clause is not flagged, whatever its score (z is held {@link #BOUND_Z} below the midpoint); when it is at least the
 * margin nearer to one of c's violating examples than to any allowed text (twice the margin), inside the
 * clause's example radius by the margin, and its score is within {@link #MIRROR_BAND} of the bar, it is flagged
 * (z held {@link #BOUND_Z} above the midpoint). Last, in a narrow policy (one with a lift) nothing is flagged
 * unless the text leans toward the policy's violating examples ({@link #LEAN_MIN}).
 *
 * The prototype says what the clause is about; subtracting the nearest allowed text is what lets a text
 * that merely mentions harm ("how do I kill a stuck process") score low although its topic is close to a
 * violating example: it is closer still to an allowed one. When a response is judged, its prompt is
 * context only and is not scored, and the response's opening sentence sets the context of the rest:
 * when it resembles a built-in refusal more than a chunk resembles any allowed text, that difference is
 * subtracted from the chunk in full, so the explanation that follows a refusal ("making explosives is
 * illegal and dangerous") is read as part of the refusal, not as a new statement. Standardising
 * against the allowed texts puts every clause on one scale (a broad clause such as harassment resembles ordinary chat more than a
 * narrow one does), so one threshold fits all clauses. Stateless and thread-safe.
 */
public final class ClauseScorer {
    /**
     * Cosine units taken off every clause's margin of a response that opens with refusal wording: about four
     * standard deviations of the allowed texts' margins, so a declining answer stays safe unless it also reads
     * almost exactly like a violating example.
     */
    static final double DECLINE_PENALTY = 0.25;
    /**
     * Cosine units by which one of a clause's own examples must be nearer than the competing ones before it binds.
     * Any value from 0.02 to 0.05 changes at most 1.2 % of the OpenAI Moderation verdicts and 2.2 % of the XSTest
     * verdicts against 0.03 (docs/quick-engine.md); below about 0.02 two examples are as near as the encoder's noise.
     */
    static final double EXAMPLE_MARGIN = 0.03;
    /**
     * How far past the midpoint a binding example puts a clause's z (in standard deviations): 2 gives scores of 0.02
     * and 0.98 with the default scale, so a binding example decides for every threshold between those.
     */
    static final double BOUND_Z = 2.0;
    /**
     * Least lean ({@link PolicyAnchors#lean}) a text of a narrow policy (one with a domain lift) needs before any of
     * its clauses may be flagged, whether by score or by a binding violating example: 0, the lean of the average
     * allowed text. In a narrow policy topic cannot tell allowed from forbidden texts (its safe examples score as
     * high as its violating ones), so a flag also needs the text to lean the way the policy's own violating
     * examples lean from its safe ones. Not tuned: 0 is the natural zero of the scale.
     */
    static final double LEAN_MIN = 0.0;
    /** Standard deviations below the midpoint within which a violating example may still bind (see {@link #examples}). */
    static final double MIRROR_BAND = 1.0;

    /**
     * Cosine units: a flag whose clause's nearest violating example is less than this nearer to the text than the
     * clause's own nearest safe example sits between the two, and is REVIEW ({@link #outcome}). Twice
     * {@link #EXAMPLE_MARGIN}, the distance a violating example must lead every allowed text by before it binds: a
     * text inside this band is one the policy's own examples do not settle.
     */
    static final double BETWEEN_BAND = 2 * EXAMPLE_MARGIN;

    /**
     * Standard deviations a prompt's z moves per unit of intent ({@link PolicyAnchors#intent}) past
     * {@link #INTENT_ZERO}, at most one unit either way: a tie-breaker near the bar, never a verdict on its own (the
     * bar sits about 2.3 standard deviations up, and a binding example still decides). Chosen with {@link #INTENT_ZERO}
     * among about a dozen settings on OpenAI Moderation, XSTest and the steerability suites (docs/quick-engine.md
     * section 1).
     */
    static final double INTENT_WEIGHT = 0.4;
    /**
     * Intent at which the contrast moves nothing: three quarters of the way from the built-in harmless uses (-1) to the
     * built-in harmful requests (+1). Only a request that reads clearly like the harmful ones is raised; one that only
     * shares their words is lowered a little.
     */
    static final double INTENT_ZERO = 0.5;

    /**
     * How many standard deviations the built-in intent contrast adds to a prompt's z on every clause (negative: takes
     * off): {@link #INTENT_WEIGHT} times the intent past {@link #INTENT_ZERO}, capped at one unit either way. Zero for
     * responses, for a prompt scored without its text (a response's prompt, whose score a complying response takes
     * over: the response is judged by what it does, not by how its prompt was worded), for a policy with a domain
     * lift (a narrow policy has its own lean, {@link PolicyAnchors#lean}, and generic harm says little about its
     * clauses) and without the built-in texts. It raises only a prompt worded as a
     * request ({@link RequestForm}), because the contrast is fitted on requests: a statement may be lowered, never
     * raised.
     */
    static double intentShift(PolicyAnchors anchors, TextEmbedding input, String text, List<Span> spans,
                              boolean responseLevel) {
        if (responseLevel || text == null || anchors.lift() > 0) {
            return 0;
        }
        double shift = INTENT_WEIGHT * Math.max(-1, Math.min(1, anchors.intent(input.mean()) - INTENT_ZERO));
        return shift > 0 && !RequestForm.isRequest(text, spans) ? 0 : shift;
    }

    /** Why a clause that reached its threshold is REVIEW rather than flagged. */
    public enum ReviewReason {
        /** Its z is past the bar by less than the review band. */
        NEAR_BAR,
        /** The text sits between the clause's nearest violating and nearest safe example ({@link #BETWEEN_BAND}). */
        BETWEEN_EXAMPLES,
        /** The prompt asks whether something is allowed, or what to do about it ({@link RuleQuestions}). */
        ASKS_ABOUT_RULE,
        /**
         * A response took this clause's score from its prompt, but its stance is unclear: it neither leans toward
         * declining nor toward supplying content ({@link ResponseStance}).
         */
        STANCE_UNCLEAR
    }

    private ClauseScorer() { }

    /**
     * Whether a clause that reached {@code threshold} is flagged (null) or left to REVIEW, and why. REVIEW when:
     * the prompt asks about the rule rather than for the act ({@code asksAboutRule}); else, unless a violating example
     * binds, when the clause's nearest violating example is less than {@link #BETWEEN_BAND} nearer than its nearest
     * safe example; else when z, less the lift, is past the threshold's z by less than the review band. Never REVIEW
     * with a review band of 0. The engine is meant to be right when it decides: measured on the steerability suites
     * these three cover most false flags (docs/quick-engine.md).
     */
    public static ReviewReason review(ClauseScore s, double threshold, QuickEngineOptions o, boolean asksAboutRule) {
        if (!o.reviews()) {
            return null;
        }
        if (asksAboutRule) {
            return ReviewReason.ASKS_ABOUT_RULE;
        }
        ClauseScore.Examples ex = s.examples();
        if (ex.binding() == ClauseScore.Binding.VIOLATING) {
            return null;
        }
        if (ex.violating() != null && ex.safe() != null
                && ex.violatingSimilarity() - ex.safeSimilarity() < BETWEEN_BAND) {
            return ReviewReason.BETWEEN_EXAMPLES;
        }
        return s.z() - ex.lift() < barZ(threshold, o) + o.reviewBand() ? ReviewReason.NEAR_BAR : null;
    }

    /** The z (less the lift) at which a clause's score equals {@code threshold}: the inverse of {@link #squash}. */
    public static double barZ(double threshold, QuickEngineOptions o) {
        if (threshold <= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (threshold >= 1) {
            return Double.POSITIVE_INFINITY;
        }
        return o.midpoint() + o.scale() * Math.log(threshold / (1 - threshold));
    }

    /** Scores every clause of {@code anchors} on one embedded input; results are in policy order. */
    public static List<ClauseScore> score(PolicyAnchors anchors, TextEmbedding input, List<Span> spans,
                                          boolean responseLevel, QuickEngineOptions o) {
        return score(anchors, input, spans, responseLevel, false, o);
    }

    /** As above; {@code declines}: the response opens with refusal wording ({@link ResponseOpenings}). */
    public static List<ClauseScore> score(PolicyAnchors anchors, TextEmbedding input, List<Span> spans,
                                          boolean responseLevel, boolean declines, QuickEngineOptions o) {
        return score(anchors, input, spans, responseLevel, declines, false, o);
    }

    /**
     * As above; {@code complies}: the response refuses and then turns to comply ({@link ResponseReading}), so its
     * opening is not read as a refusal that sets the context of the rest.
     */
    public static List<ClauseScore> score(PolicyAnchors anchors, TextEmbedding input, List<Span> spans,
                                          boolean responseLevel, boolean declines, boolean complies,
                                          QuickEngineOptions o) {
        return score(anchors, input, spans, null, responseLevel, declines, complies, o);
    }

    /**
     * As above; {@code text}: the judged text, whose wording says whether it is a request ({@link RequestForm}); the
     * built-in intent contrast moves only the score of a prompt judged with its text. Null: the contrast is off.
     */
    public static List<ClauseScore> score(PolicyAnchors anchors, TextEmbedding input, List<Span> spans, String text,
                                          boolean responseLevel, boolean declines, boolean complies,
                                          QuickEngineOptions o) {
        double decline = responseLevel && declines ? DECLINE_PENALTY : 0;
        int clauses = anchors.clauseIds().size();
        double[] best = new double[clauses];
        int[] bestUnit = new int[clauses];
        double[] bestProto = new double[clauses];
        int[] bestNegAt = new int[clauses];
        double[] bestNegSim = new double[clauses];
        Arrays.fill(best, Double.NEGATIVE_INFINITY);
        Arrays.fill(bestUnit, -1);

        // unit 0: the whole text; unit 1 + k: span k
        int units = 1 + input.spans().length;
        int openingAt = responseLevel && !complies ? openingRefusal(anchors, input) : -1;
        double opening = openingAt < 0 ? 0 : Vectors.dot(opening(input), anchors.negative(openingAt).mean());
        float[] negSims = new float[anchors.negativeCount()];
        float[] protoSims = new float[clauses];
        for (int u = 0; u < units; u++) {
            float[] v = unit(input, u);
            if (v == null) {
                continue;   // a span cut off by the token limit
            }
            Vectors.dotRowsTransposed(v, anchors.negativesTransposed(), anchors.negativeCount(), negSims);
            double neg = 0;
            int negAt = -1;
            for (int i = 0; i < negSims.length; i++) {
                if (anchors.negative(i).kind().responseOnly() && !responseLevel) {
                    continue;
                }
                if (negAt < 0 || negSims[i] > neg) {
                    neg = negSims[i];
                    negAt = i;
                }
            }
            double refusal = 0;
            if (openingAt >= 0 && opening > Math.max(0, neg)) {
                refusal = opening - Math.max(0, neg);
                neg = opening;
                negAt = openingAt;
            }
            Vectors.dotRowsTransposed(v, anchors.prototypesTransposed(), clauses, protoSims);
            for (int c = 0; c < clauses; c++) {
                double proto = protoSims[c];
                double m = proto - o.lambda() * Math.max(0, neg - refusal) - refusal - decline;
                if (m > best[c]) {
                    best[c] = m;
                    bestUnit[c] = u;
                    bestProto[c] = proto;
                    bestNegAt[c] = negAt;
                    bestNegSim[c] = neg;
                }
            }
        }
        List<ClauseScore> out = new ArrayList<>(clauses);
        double lift = anchors.lift();
        double shift = intentShift(anchors, input, text, spans, responseLevel);
        double lean = Double.NEGATIVE_INFINITY;
        for (int u = 0; u < units; u++) {
            float[] v = unit(input, u);
            if (v != null) {
                lean = Math.max(lean, anchors.lean(v));
            }
        }
        // The nearest allowed text to the whole text is the same for every clause: computed once.
        Vectors.dotRowsTransposed(input.mean(), anchors.negativesTransposed(), anchors.negativeCount(), negSims);
        double allowedWhole = 0;
        for (int i = 0; i < negSims.length; i++) {
            if (responseLevel || !anchors.negative(i).kind().responseOnly()) {
                allowedWhole = Math.max(allowedWhole, negSims[i]);
            }
        }
        for (int c = 0; c < clauses; c++) {
            String id = anchors.clauseIds().get(c);
            if (bestUnit[c] < 0) {
                out.add(new ClauseScore(id, 0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, null, 0, null, 0,
                        null, 0));
                continue;
            }
            float[] v = unit(input, bestUnit[c]);
            Anchor nearest = null;
            double nearestSim = 0;
            for (int i = 0; i < anchors.positiveCount(); i++) {
                if (anchors.positiveClause(i) == c) {
                    double sim = Vectors.dot(v, anchors.positive(i).mean());
                    if (nearest == null || sim > nearestSim) {
                        nearest = anchors.positive(i);
                        nearestSim = sim;
                    }
                }
            }
            double z = (best[c] - anchors.allowedMean(c)) / anchors.allowedSpread(c) + shift;
            double zBar = z - lift;
            ClauseScore.Examples examples = examples(anchors, c, input.mean(), responseLevel, lift,
                    zBar >= o.midpoint() - MIRROR_BAND, lean, allowedWhole, shift);
            double score = examples.leansSafe() ? squash(Math.min(zBar, o.midpoint() - BOUND_Z), o)
                    : switch (examples.binding()) {
                case SAFE -> squash(Math.min(zBar, o.midpoint() - BOUND_Z), o);
                case VIOLATING -> squash(Math.max(zBar, o.midpoint() + BOUND_Z), o);
                case NONE -> squash(zBar, o);
            };
            Span chunk = bestUnit[c] >= 1 ? spans.get(bestUnit[c] - 1) : null;
            Anchor neg = bestNegAt[c] >= 0 ? anchors.negative(bestNegAt[c]) : null;
            out.add(new ClauseScore(id, score, z, best[c], chunk, bestProto[c], nearest, nearestSim, neg,
                    neg == null ? 0 : bestNegSim[c], examples));
        }
        return out;
    }

    /**
     * The examples rule for clause {@code c} on the whole text {@code v}. Safe binds when the clause's nearest safe
     * example is at least {@link #EXAMPLE_MARGIN} closer than its nearest violating example; violating binds when the
     * nearest violating example is at least twice the margin closer than every allowed text (the clause's safe
     * examples included) and at least the margin inside the clause's example radius. Flagging asks for twice the
     * margin because a policy has few examples and one near neighbour is weak evidence: with the single margin the
     * rule flagged ordinary in-domain texts of the steerability suites that the score had rightly left alone. And it
     * binds only where the score is contested ({@code contested}: z, less the lift, within {@link #MIRROR_BAND} of the
     * midpoint or above): mean-pooled vectors also read form, and "How do I bake sourdough bread at home?" is nearer
     * to "Explain how to make napalm at home…" (0.69) than any allowed text, though its score is far below the bar.
     * Responses are compared with the examples too, but only safe binds there: examples are written as prompts, and
     * a response that resembles a violating prompt is judged by what it does, not by that resemblance.
     * {@code allowed}: the cosine of {@code v} with its nearest allowed text (refusals and answers only for responses).
     */
    static ClauseScore.Examples examples(PolicyAnchors anchors, int c, float[] v, boolean responseLevel, double lift,
                                         boolean contested, double lean, double allowed, double intentShift) {
        Anchor violating = null;
        double violatingSim = 0;
        for (int i : anchors.violatingOf(c)) {
            double sim = Vectors.dot(v, anchors.positive(i).mean());
            if (violating == null || sim > violatingSim) {
                violating = anchors.positive(i);
                violatingSim = sim;
            }
        }
        Anchor safe = null;
        double safeSim = 0;
        for (int i : anchors.safeOf(c)) {
            double sim = Vectors.dot(v, anchors.negative(i).mean());
            if (safe == null || sim > safeSim) {
                safe = anchors.negative(i);
                safeSim = sim;
            }
        }
        double radius = anchors.exampleRadius(c);
        ClauseScore.Binding binding = ClauseScore.Binding.NONE;
        if (violating != null && safe != null && safeSim - violatingSim >= EXAMPLE_MARGIN) {
            binding = ClauseScore.Binding.SAFE;
        } else if (!responseLevel && contested && violating != null && violatingSim - allowed >= 2 * EXAMPLE_MARGIN
                && violatingSim >= radius + EXAMPLE_MARGIN) {
            binding = ClauseScore.Binding.VIOLATING;
        }
        return new ClauseScore.Examples(binding, violating, violatingSim, safe, safeSim, allowed, radius,
                EXAMPLE_MARGIN, lift, anchors.leanGated(), lean, intentShift);
    }

    /** The response's first sentence, else the whole text. */
    private static float[] opening(TextEmbedding input) {
        return input.spans().length > 0 && input.spans()[0] != null ? input.spans()[0] : input.mean();
    }

    /** Index of the built-in refusal nearest to the response's opening, or -1 when there is none. */
    private static int openingRefusal(PolicyAnchors anchors, TextEmbedding input) {
        float[] first = opening(input);
        int at = -1;
        double best = 0;
        for (int i = 0; i < anchors.negativeCount(); i++) {
            Anchor a = anchors.negative(i);
            if (a.kind() == Anchor.Kind.REFUSAL) {
                double sim = Vectors.dot(first, a.mean());
                if (at < 0 || sim > best) {
                    best = sim;
                    at = i;
                }
            }
        }
        return at;
    }

    private static float[] unit(TextEmbedding input, int u) {
        return u == 0 ? input.mean() : input.spans()[u - 1];
    }

    static double squash(double z, QuickEngineOptions o) {
        return 1.0 / (1.0 + Math.exp(-(z - o.midpoint()) / o.scale()));
    }
}
