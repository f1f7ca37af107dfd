package org.rsafe.engine.quick;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Policy;
import org.rsafe.trace.Citation;
import org.rsafe.trace.TraceStep;

/**
 * Renders the quick engine's evidence as trace steps and as one plain text (the judgement's raw output)
 * in which every step's span is exact. One step per clause that reached its threshold, then one per near
 * miss; when neither exists, the closest clause gets a step so the trace is never empty.
 */
final class QuickTrace {
    static final String HEADER = "Similarity judgement by the quick engine (" + SentenceEncoder.MODEL_ID
            + " sentence encoder): each step compares a piece of the input with the policy's own anchor texts. "
            + "This is a similarity judgement, not model reasoning.";
    private static final int QUOTE_CHARS = 160;

    record Rendered(List<TraceStep> steps, String rawOutput) { }

    /**
     * A response that did not decline took these clauses' scores from its prompt; {@code phrase} is the agreeing
     * word it opened with, or null.
     */
    record Agreement(ResponseOpenings.Found phrase, String prompt, List<String> carried, double engagement,
                     boolean engaged, boolean unclear) { }

    private QuickTrace() { }

    static Rendered render(Policy policy, List<ClauseScore> scores, QuickEngineOptions options,
                           String judgedText, boolean responseLevel, boolean truncated,
                           ResponseReading reading, Agreement agreement, List<String> flagged,
                           Map<String, ClauseScorer.ReviewReason> reviews, ResponseOpenings.Found asks) {
        double defaultThreshold = options.defaultThreshold();
        double reportMargin = options.reportMargin();
        List<ClauseScore> triggered = new ArrayList<>();
        List<ClauseScore> near = new ArrayList<>();
        for (ClauseScore s : scores) {
            double t = threshold(policy, s.clauseId(), defaultThreshold);
            if (s.score() >= t) {
                triggered.add(s);
            } else if (s.score() >= t - reportMargin) {
                near.add(s);
            }
        }
        Comparator<ClauseScore> byScore = Comparator.comparingDouble(ClauseScore::score).reversed();
        triggered.sort(byScore);
        near.sort(byScore);
        if (triggered.isEmpty() && near.isEmpty()) {
            scores.stream().filter(s -> s.positive() != null).max(Comparator.comparingDouble(ClauseScore::score))
                    .ifPresent(near::add);
        }
        StringBuilder raw = new StringBuilder(HEADER);
        if (truncated) {
            raw.append(" The input was longer than ").append(SentenceEncoder.MAX_TOKENS)
                    .append(" tokens; only its beginning was read.");
        }
        raw.append("\n\n");
        List<TraceStep> steps = new ArrayList<>();
        ResponseOpenings.Found declines = reading == null ? null : reading.declines();
        ResponseOpenings.Found warns = reading == null ? null : reading.warns();
        if (declines != null || warns != null) {
            String opening = declines != null ? "The response opens by declining (" + quote(declines.phrase()) + ")"
                    : "The response opens by warning against what was asked (" + quote(warns.phrase()) + ")";
            String text = reading.turnsToComply()
                    ? opening + " but then turns to do it (" + quote(reading.turns().phrase()) + "). Wording, not "
                    + "reasoning: a refusal followed by what was asked for is read as compliance, so the opening "
                    + "lowers nothing and every sentence is judged as it stands."
                    : opening + ". Wording, not reasoning: a response that " + (declines != null ? "refuses" : "warns")
                    + " and never turns to comply is read as a refusal whatever its topic, so every clause's margin is "
                    + "lowered by " + num(ClauseScorer.DECLINE_PENALTY) + " and the prompt's own score is not carried "
                    + "over; only a sentence that itself reads like a violating example can still flag it.";
            int start = raw.length();
            raw.append(text);
            steps.add(new TraceStep(steps.size(), text, start, raw.length(), List.of()));
            raw.append("\n\n");
        }
        if (agreement != null) {
            StringBuilder text = new StringBuilder("The response ").append(agreement.phrase() == null
                    ? "does not decline" : "opens by agreeing (" + quote(agreement.phrase().phrase()) + ") to")
                    .append(" a prompt that on its own reaches ");
            List<Citation> cited = new ArrayList<>();
            for (int i = 0; i < agreement.carried().size(); i++) {
                String id = agreement.carried().get(i);
                double score = scores.stream().filter(x -> x.clauseId().equals(id)).findFirst()
                        .map(ClauseScore::score).orElse(0.0);
                text.append(i == 0 ? "" : i == agreement.carried().size() - 1 ? " and " : ", ")
                        .append(id).append(agreement.engaged() ? " (" + num(score) + ")" : "");
                if (agreement.engaged()) {
                    cited.add(new Citation(id, Citation.Kind.EXPLICIT, clamp(score)));
                }
            }
            if (agreement.engaged()) {
                text.append(", and engages with it (cosine ").append(num(agreement.engagement()))
                        .append(" with the prompt). Wording and similarity, not reasoning: an answer that goes along "
                                + "with what the policy forbids is read as assisting it, so the response takes the "
                                + "prompt's score there" + (agreement.unclear() ? ", as REVIEW at most: its stance "
                                + "is unclear (below)." : "."));
            } else {
                text.append(", but it does not engage with that prompt (cosine ").append(num(agreement.engagement()))
                        .append(" with it, below ").append(num(QuickEngine.ON_TOPIC)).append("), so the prompt's "
                                + "score is not carried over: the prompt's topic alone never makes a response unsafe.");
            }
            int start = raw.length();
            raw.append(text);
            steps.add(new TraceStep(steps.size(), text.toString(), start, raw.length(), cited));
            raw.append("\n\n");
        }
        if (reading != null && reading.stance() != null) {
            String text = stanceText(reading, judgedText);
            int start = raw.length();
            raw.append(text);
            steps.add(new TraceStep(steps.size(), text, start, raw.length(), List.of()));
            raw.append("\n\n");
        }
        List<ClauseScore> ordered = new ArrayList<>(triggered);
        ordered.addAll(near);
        for (ClauseScore s : ordered) {
            double t = threshold(policy, s.clauseId(), defaultThreshold);
            boolean fromPrompt = agreement != null && agreement.engaged() && agreement.carried().contains(s.clauseId());
            ClauseScorer.ReviewReason why = reviews.get(s.clauseId());
            String text = stepText(policy, s, t, fromPrompt ? agreement.prompt() : judgedText,
                    responseLevel && !fromPrompt, truncated, why == null)
                    + (why == null ? "" : reviewText(s, why, t, options, asks, responseLevel ? "response" : "prompt"));
            int start = raw.length();
            raw.append(text);
            steps.add(new TraceStep(steps.size(), text, start, raw.length(),
                    List.of(new Citation(s.clauseId(), Citation.Kind.EXPLICIT, clamp(s.score())))));
            raw.append("\n\n");
        }
        raw.append("Verdict: ").append(!flagged.isEmpty() ? "unsafe" : !reviews.isEmpty() ? "review" : "safe");
        if (!flagged.isEmpty()) {
            raw.append(" (").append(String.join(", ", flagged)).append(')');
        } else if (!reviews.isEmpty()) {
            raw.append(" (").append(String.join(", ", reviews.keySet())).append(')');
        }
        raw.append('\n');
        return new Rendered(steps, raw.toString());
    }

    /**
     * What the stance reader concluded ({@link ResponseStance}): the response's mean stance against the decline bar,
     * which sentences decline and which supply content, and what follows for the verdict.
     */
    static String stanceText(ResponseReading reading, String response) {
        ResponseStance.Reading st = reading.stance();
        List<Span> sentences = SentenceSplitter.split(response);
        StringBuilder t = new StringBuilder("What the response does: its sentences ")
                .append(st.declines() ? "lean toward declining" : "do not lean toward declining")
                .append(" (mean stance ").append(num(st.mean())).append(st.declines() ? ", at least " : ", below ")
                .append(num(ResponseStance.DECLINES)).append(", the bar for declining)");
        t.append(sentenceList("; declining", st.declining(), sentences, response));
        t.append(sentenceList("; supplying content", st.supplying(), sentences, response));
        t.append(". ");
        if (reading.declinesByStance() && reading.turns() == null) {
            t.append("Read as a refusal without refusal wording: every clause's margin is lowered by ")
                    .append(num(ClauseScorer.DECLINE_PENALTY)).append(" and the prompt's own score is not carried "
                            + "over.");
        } else if (reading.declinesByStance()) {
            t.append("But it also agrees or turns to comply (").append(quote(reading.turns().phrase()))
                    .append("), so it is read as compliance.");
        } else if (reading.declines() != null || reading.warns() != null) {
            t.append("Its wording decides (above).");
        } else if (st.mean() > ResponseStance.SUPPLIES) {
            t.append("Its stance is unclear (above ").append(num(ResponseStance.SUPPLIES)).append(", where sentences "
                    + "supply content): each sentence is judged as it stands, and a score the response takes from its "
                    + "prompt is left to REVIEW.");
        } else {
            t.append("Read as going along with what was asked: each sentence is judged as it stands, and the "
                    + "prompt's own score counts when the response engages with it.");
        }
        return t.toString();
    }

    /** " ; label: sentences 1 ("…") and 3" for at most three sentences, or "" when there are none. */
    private static String sentenceList(String label, List<Integer> which, List<Span> sentences, String response) {
        if (which.isEmpty()) {
            return "";
        }
        StringBuilder t = new StringBuilder(label).append(which.size() == 1 ? ": sentence " : ": sentences ");
        for (int i = 0; i < Math.min(3, which.size()); i++) {
            int k = which.get(i);
            t.append(i == 0 ? "" : ", ").append(k + 1);
            if (i == 0 && k < sentences.size()) {
                t.append(" (").append(quote(sentences.get(k).of(response))).append(')');
            }
        }
        return t.append(which.size() > 3 ? " and " + (which.size() - 3) + " more" : "").toString();
    }

    static double threshold(Policy policy, String clauseId, double defaultThreshold) {
        return policy.clause(clauseId).map(Clause::threshold).orElse(null) != null
                ? policy.clause(clauseId).get().threshold() : defaultThreshold;
    }

    /**
     * Why a clause that reached its threshold is left to REVIEW, naming the two nearest examples: the clause's nearest
     * violating example and its nearest safe example (or, for a clause without safe examples, the nearest allowed text).
     */
    static String reviewText(ClauseScore s, ClauseScorer.ReviewReason why, double threshold, QuickEngineOptions o,
                             ResponseOpenings.Found asks, String what) {
        ClauseScore.Examples ex = s.examples();
        String id = s.clauseId();
        String nearest;
        if (ex.violating() != null && ex.safe() != null) {
            nearest = id + "'s violating example " + quote(ex.violating().text()) + " (" + num(ex.violatingSimilarity())
                    + ") and its safe example " + quote(ex.safe().text()) + " (" + num(ex.safeSimilarity()) + ")";
        } else if (ex.violating() != null && s.negative() != null) {
            nearest = id + "'s violating example " + quote(ex.violating().text()) + " (" + num(ex.violatingSimilarity())
                    + ") and the " + s.negative().describe() + " " + quote(s.negative().text()) + " ("
                    + num(s.negativeSimilarity()) + ")";
        } else {
            nearest = id + "'s own texts, which hold no examples to compare with";
        }
        String because = switch (why) {
            case ASKS_ABOUT_RULE -> RuleQuestions.speaksAsHarmed(asks.phrase())
                    ? "the " + what + " speaks for the writer as the one harmed (" + quote(asks.phrase()) + ") rather "
                    + "than asking for the act, and similarity cannot tell a report of harm from a request to do it"
                    : "the " + what + " asks about the rule (" + quote(asks.phrase()) + ") rather than "
                    + "for the act, and similarity cannot tell a question about a rule from a request to break it";
            case BETWEEN_EXAMPLES -> "the whole " + what + " sits between " + id + "'s nearest violating and nearest "
                    + "safe example: the violating one is not nearer by the review band of "
                    + num(ClauseScorer.BETWEEN_BAND) + " cosine, so the policy's own examples do not settle it";
            case STANCE_UNCLEAR -> "the score comes from the prompt, and the response's stance is unclear (its mean "
                    + "stance is above " + num(ResponseStance.SUPPLIES) + ", where sentences supply content, and below "
                    + num(ResponseStance.DECLINES) + ", the bar for declining), so whether it gives what was asked is "
                    + "not settled";
            case NEAR_BAR -> "its score is only " + String.format(Locale.ROOT, "%.2f", s.z() - ex.lift()
                    - ClauseScorer.barZ(threshold, o)) + " standard deviations past the bar, inside the review band of "
                    + num(o.reviewBand());
        };
        return " REVIEW, not flagged: " + because + ". The nearest examples are " + nearest + "; " + id
                + " is left to a person (add a closer safe or violating example to decide such texts).";
    }

    private static String stepText(Policy policy, ClauseScore s, double threshold, String judgedText,
                                   boolean responseLevel, boolean truncated, boolean flags) {
        String title = policy.clause(s.clauseId()).map(Clause::title).orElse("");
        StringBuilder b = new StringBuilder();
        b.append(s.clauseId());
        if (!title.isBlank()) {
            b.append(" (").append(title.strip()).append(')');
        }
        b.append(": score ").append(num(s.score()));
        b.append(s.score() >= threshold ? " reaches its threshold " : " stays below its threshold ");
        b.append(num(threshold)).append(s.score() >= threshold ? "." : " (near miss).");
        b.append(" Similarity, not reasoning: ");
        String what = responseLevel ? "response" : "prompt";
        if (s.chunk() == null) {
            b.append("the whole ").append(what);
        } else {
            b.append("the ").append(what).append(" sentence ").append(quote(s.chunk().of(judgedText)));
        }
        b.append(" has cosine ").append(num(s.prototypeSimilarity())).append(" with the clause as a whole");
        if (s.positive() != null) {
            if (s.positive().kind() == Anchor.Kind.BORROWED) {
                b.append(", nearest to the built-in example ").append(quote(s.positive().text())).append(" (")
                        .append(num(s.positiveSimilarity())).append(") of ").append(s.positive().clauseId())
                        .append(BorrowedExamples.WHY);
            } else {
                b.append(", nearest to its ").append(s.positive().kind().label()).append(' ')
                        .append(quote(s.positive().text())).append(" (").append(num(s.positiveSimilarity())).append(')');
            }
        }
        if (s.negative() != null) {
            b.append("; the nearest allowed text is the ").append(s.negative().describe()).append(' ')
                    .append(quote(s.negative().text())).append(" (").append(num(s.negativeSimilarity())).append(')');
        }
        b.append(". That puts it ").append(String.format(Locale.ROOT, "%.1f", s.z()))
                .append(" standard deviations above the policy's allowed texts");
        ClauseScore.Examples ex = s.examples();
        if (Math.abs(ex.intentShift()) >= 0.005) {
            b.append(ex.intentShift() > 0 ? ", of which " : ", after ")
                    .append(String.format(Locale.ROOT, "%+.2f", ex.intentShift()))
                    .append(ex.intentShift() > 0
                            ? " because the prompt reads like a request for a harmful act"
                            : " because the prompt reads like a harmless use of such words rather than a request for harm")
                    .append(" (built-in intent contrast, the same for every policy)");
        }
        if (ex.lift() > 0) {
            b.append(", and this policy's bar is raised by ").append(String.format(Locale.ROOT, "%.1f", ex.lift()))
                    .append(" because its own safe examples already score that high");
        }
        b.append('.');
        b.append(examplesText(s.clauseId(), ex, flags && s.score() >= threshold, responseLevel ? "response" : "prompt"));
        if (truncated) {
            b.append(" Only the first ").append(SentenceEncoder.MAX_TOKENS).append(" tokens were read.");
        }
        return b.toString();
    }

    /**
     * What the clause's own examples say about the whole text, in words that agree with the outcome: a binding
     * example is named as the reason; a nearer safe example that does not bind is explained, never left standing
     * beside a flag without a reason.
     */
    static String examplesText(String clauseId, ClauseScore.Examples ex, boolean flagged, String what) {
        if (ex.violating() == null) {
            return "";
        }
        String margin = num(ex.margin());
        String v = "its violating example " + quote(ex.violating().text()) + " (" + num(ex.violatingSimilarity()) + ")";
        String sf = ex.safe() == null ? null
                : "its safe example " + quote(ex.safe().text()) + " (" + num(ex.safeSimilarity()) + ")";
        String narrow = " This policy is narrow (its own safe examples score as high as its violating ones), so a flag "
                + "also needs the " + what + " to lean toward the policy's violating examples rather than its safe ones; "
                + "this " + what + " leans " + String.format(Locale.ROOT, "%+.1f", ex.lean())
                + " (0 is the average allowed text)";
        if (ex.leansSafe() && ex.binding() != ClauseScore.Binding.SAFE) {
            return narrow + ", so " + clauseId + " is not flagged, whatever the score"
                    + (ex.binding() == ClauseScore.Binding.VIOLATING ? " or the nearness of " + v : "") + ".";
        }
        return switch (ex.binding()) {
            case SAFE -> " Examples bind: the whole " + what + " is nearer to " + sf + " than to any violating example of "
                    + clauseId + " (nearest " + num(ex.violatingSimilarity()) + ") by at least " + margin + ", so "
                    + clauseId + " is not flagged, whatever the score.";
            case VIOLATING -> " Examples bind: the whole " + what + " is nearer to " + v + " than to any allowed text "
                    + "(nearest " + num(ex.nearestAllowed()) + ") by at least " + num(2 * ex.margin()) + ", and nearer than any allowed "
                    + "or everyday text comes to " + clauseId + "'s violating examples (" + num(ex.radius())
                    + "), so " + clauseId + " is flagged.";
            case NONE -> {
                if (sf != null && ex.safeSimilarity() > ex.violatingSimilarity()) {
                    yield " The whole " + what + " is nearer to " + sf + " than to " + v + ", but by less than the "
                            + margin + " margin at which examples bind, so the score decides"
                            + (flagged ? " and " + clauseId + " is flagged." : ".");
                }
                String other = flagged && ex.nearestAllowed() > ex.violatingSimilarity()
                        ? " An allowed text that is not one of " + clauseId + "'s own safe examples is nearer still ("
                        + num(ex.nearestAllowed()) + "); it lowers the score, but only a clause's own safe examples bind "
                        + "it." : "";
                yield " Of " + clauseId + "'s own examples the nearest is " + v + (sf == null ? "" : "; nearest safe: "
                        + sf) + "; none binds (margin " + margin + "), so the score decides." + other;
            }
        } + (ex.leanGated() ? narrow + "." : "");
    }

    private static String quote(String text) {
        String t = text.strip().replaceAll("\\s+", " ");
        if (t.length() > QUOTE_CHARS) {
            int cut = QUOTE_CHARS - 1;
            if (Character.isHighSurrogate(t.charAt(cut - 1))) {
                cut--;
            }
            t = t.substring(0, cut) + "\u2026";
        }
        return "\u201c" + t + "\u201d";
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }

    private static double clamp(double d) {
        return Math.max(0, Math.min(1, d));
    }
}
