package org.rsafe.workspace;

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
import org.rsafe.policy.Example;
import org.rsafe.trace.EngineIdentity;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.TraceStep;
import org.rsafe.trace.Verdict;

/**
 * TEST DOUBLE, not a product engine: a clause's score is the share of its violating examples' words (longer than
 * three letters) found in the judged text, so tests know every verdict in advance and run in microseconds. A clause
 * is flagged when its score reaches its threshold (or 0.5). The trace is one line per clause, so tests can tell two
 * policy versions' traces apart.
 */
public final class KeywordTestEngine implements Engine {

    private final AtomicInteger judged = new AtomicInteger();

    /** How many requests this engine has judged (to tell stored results from new work). */
    public int judgedCount() {
        return judged.get();
    }

    @Override
    public EngineIdentity identity() {
        return new EngineIdentity("keyword-test", "keywords-v1", "0123456789abcdef", "cpu",
                Map.of("defaultThreshold", "0.5000"));
    }

    @Override
    public Judgement judge(JudgeRequest request, JudgeListener listener, Cancellation cancellation) {
        cancellation.check();
        judged.incrementAndGet();
        String text = (request.responseLevel() ? request.response() : request.prompt()).toLowerCase(Locale.ROOT);
        Map<String, Double> scores = new LinkedHashMap<>();
        List<String> flagged = new ArrayList<>();
        StringBuilder trace = new StringBuilder();
        for (Clause c : request.policy().clauses()) {
            double s = score(text, c);
            scores.put(c.id(), s);
            double t = c.threshold() != null ? c.threshold() : 0.5;
            if (s >= t) {
                flagged.add(c.id());
            }
            trace.append(c.id()).append(" (").append(c.title()).append("): ")
                 .append(String.format(Locale.ROOT, "%.2f vs %.2f", s, t)).append('\n');
        }
        Verdict v = flagged.isEmpty() ? Verdict.SAFE : Verdict.UNSAFE;
        String raw = trace.toString();
        return new Judgement(v, v.label(), true, scores, flagged,
                List.of(new TraceStep(0, raw, 0, raw.length(), List.of())), raw, "", identity(), 0, 0, 0);
    }

    private static double score(String text, Clause c) {
        List<String> words = new ArrayList<>();
        for (Example e : c.violating()) {
            for (String w : e.text().toLowerCase(Locale.ROOT).split("[^a-z]+")) {
                if (w.length() > 3 && !words.contains(w)) {
                    words.add(w);
                }
            }
        }
        if (words.isEmpty()) {
            return 0;
        }
        long hits = words.stream().filter(text::contains).count();
        return Math.min(1.0, 3.0 * hits / words.size());
    }
}
