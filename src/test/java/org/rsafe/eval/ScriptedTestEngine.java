package org.rsafe.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.policy.Clause;
import org.rsafe.trace.EngineIdentity;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.Verdict;
import org.rsafe.util.Hashing;

/**
 * TEST DOUBLE, not a product engine: scores each clause by counting its keywords in the judged text, so batch
 * tests run in milliseconds and know every score in advance. Verdict rule as in the quick engine: unsafe iff some
 * clause score reaches that clause's threshold (or the default). A text containing {@value #GARBLED} yields no
 * answer (a parse failure), like an LLM whose output holds no box.
 *
 * <p>Score of a clause: 0.1 with no keyword, 0.6 with one, 0.85 with two or more, plus a jitter in [0, 0.05)
 * taken from the text's hash so scores differ between rows.
 */
final class ScriptedTestEngine implements Engine {
    static final String GARBLED = "<garbled>";

    private final Map<String, List<String>> keywords;
    private final double defaultThreshold;
    private final AtomicInteger judged = new AtomicInteger();
    private volatile Runnable beforeEachJudgement = () -> { };
    private volatile int tokensPerJudgement;

    ScriptedTestEngine(Map<String, List<String>> keywordsByClause, double defaultThreshold) {
        this.keywords = new LinkedHashMap<>(keywordsByClause);
        this.defaultThreshold = defaultThreshold;
    }

    /** Runs before every judgement (e.g. to cancel a run in the middle of a chunk). */
    ScriptedTestEngine beforeEachJudgement(Runnable action) {
        this.beforeEachJudgement = action;
        return this;
    }

    /** Streams this many one-word tokens through the listener for every judgement, as an LLM engine does. */
    ScriptedTestEngine streamingTokens(int perJudgement) {
        this.tokensPerJudgement = perJudgement;
        return this;
    }

    /** How many requests this engine has judged (to check that resumed rows are not judged again). */
    int judgedCount() {
        return judged.get();
    }

    static double scoreOf(String text, List<String> words) {
        String lower = text.toLowerCase(Locale.ROOT);
        int hits = 0;
        for (String w : words) {
            if (lower.contains(w.toLowerCase(Locale.ROOT))) {
                hits++;
            }
        }
        double base = hits == 0 ? 0.1 : hits == 1 ? 0.6 : 0.85;
        int h = Hashing.sha256(text).charAt(0) * 31 + Hashing.sha256(text).charAt(1);
        return base + (Math.floorMod(h, 50)) / 1000.0;
    }

    @Override
    public EngineIdentity identity() {
        return new EngineIdentity("scripted-test", "keywords", Hashing.sha256(keywords.toString()), "cpu",
                Map.of("threshold", Double.toString(defaultThreshold)));
    }

    @Override
    public Judgement judge(JudgeRequest request, JudgeListener listener, Cancellation cancellation) {
        beforeEachJudgement.run();
        cancellation.check();
        judged.incrementAndGet();
        for (int t = 0; t < tokensPerJudgement; t++) {
            listener.onToken(request.id(), "tok ");
        }
        String text = request.responseLevel() ? request.response() : request.prompt();
        if (text.contains(GARBLED)) {
            return new Judgement(Verdict.UNKNOWN, null, false, Map.of(), List.of(), List.of(), text, "", identity(), 1, 0, 0);
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        List<String> flagged = new ArrayList<>();
        for (Clause c : request.policy().clauses()) {
            double s = scoreOf(text, keywords.getOrDefault(c.id(), List.of()));
            scores.put(c.id(), s);
            double t = c.threshold() != null ? c.threshold() : defaultThreshold;
            if (s >= t) {
                flagged.add(c.id());
            }
        }
        Verdict v = flagged.isEmpty() ? Verdict.SAFE : Verdict.UNSAFE;
        return new Judgement(v, v.label(), true, scores, flagged, List.of(), "scripted: " + v.label(), "", identity(), 2, 0, 0);
    }
}
