package org.rsafe.engine.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.policy.Policy;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.trace.Judgement;

/**
 * {@code rsafe bench remote}: requests/s and tokens/s of the remote engine against a server at several levels of
 * concurrency. Each level opens the engine afresh (as a batch run would), sends one untimed round to open its
 * connections, then times a batch of the same requests. The speed-up of the highest level over concurrency 1 says how
 * much the server overlaps requests; against the stub server, which overlaps perfectly, it measures the client.
 */
public final class RemoteBenchmark {
    /** Concurrency levels measured, lowest first. */
    public static final List<Integer> LEVELS = List.of(1, 4, 16);
    /** Speed-up of concurrency 16 over 1 that the client must reach against the 200 ms stub. */
    public static final double STUB_TARGET_SPEEDUP = 12.0;

    private RemoteBenchmark() { }

    /**
     * One level's measurement.
     *
     * @param errorRows        requests that failed after their tries (counted in, not retried by the benchmark)
     * @param completionTokens tokens the server reports having generated (0 when it reports no usage)
     */
    public record Level(int concurrency, int requests, int errorRows, double seconds, long completionTokens) {
        public double requestsPerSecond() {
            return requests / seconds;
        }

        public double tokensPerSecond() {
            return completionTokens / seconds;
        }
    }

    /** Every level, with what was measured against what. */
    public record Result(String endpoint, String model, String serverKind, boolean stub, long stubDelayMillis,
                         List<Level> levels) {
        public Result {
            levels = List.copyOf(levels);
        }

        /** Requests/s of the highest level over those of concurrency 1. */
        public double speedup() {
            return levels.get(levels.size() - 1).requestsPerSecond() / levels.get(0).requestsPerSecond();
        }

        /** The table and the speed-up line, with the target beside it when the stub was measured. */
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            out.add(String.format(Locale.ROOT, "%-12s %9s %11s %9s %12s %21s", "concurrency", "requests",
                    "error rows", "seconds", "requests/s", "completion tokens/s"));
            for (Level l : levels) {
                out.add(String.format(Locale.ROOT, "%-12d %9d %11d %9.2f %12.2f %21.1f", l.concurrency(),
                        l.requests(), l.errorRows(), l.seconds(), l.requestsPerSecond(), l.tokensPerSecond()));
            }
            int top = levels.get(levels.size() - 1).concurrency();
            String line = String.format(Locale.ROOT, "speed-up of concurrency %d over 1: %.1fx", top, speedup());
            if (stub) {
                line += String.format(Locale.ROOT, " (target >= %.0fx against the %d ms stub: %s; ideal %dx)",
                        STUB_TARGET_SPEEDUP, stubDelayMillis, speedup() >= STUB_TARGET_SPEEDUP ? "met" : "NOT met",
                        top);
            }
            out.add(line);
            return out;
        }
    }

    /**
     * Measures {@code requests} judgements at each of {@link #LEVELS}.
     *
     * @param stubDelayMillis the stub's delay when {@code options} point at a {@link StubChatServer}, else -1
     */
    public static Result run(RemoteEngineOptions options, Policy policy, int requests, long stubDelayMillis,
                             Consumer<String> progress, Cancellation cancellation) {
        if (requests < 1) {
            throw new IllegalArgumentException("requests must be at least 1, was " + requests);
        }
        List<JudgeRequest> batch = new ArrayList<>(requests);
        for (int i = 0; i < requests; i++) {
            batch.add(new JudgeRequest("bench-" + i, policy, "Benchmark request number " + i
                    + ": how do I store kitchen knives safely?", null, TemplateKind.PAPER));
        }
        List<Level> levels = new ArrayList<>();
        String model = null;
        String kind = null;
        for (int concurrency : LEVELS) {
            try (RemoteEngine engine = RemoteEngine.open(options.withConcurrency(concurrency))) {
                model = engine.model();
                kind = engine.serverKind().cliName();
                progress.accept("concurrency " + concurrency + ": warming up");
                engine.judgeBatch(batch.subList(0, Math.min(concurrency, requests)), JudgeListener.NONE, cancellation);
                progress.accept("concurrency " + concurrency + ": " + requests + " requests");
                long start = System.nanoTime();
                List<Judgement> out = engine.judgeBatch(batch, JudgeListener.NONE, cancellation);
                double seconds = (System.nanoTime() - start) / 1e9;
                int errors = (int) out.stream().filter(Judgement::engineError).count();
                long tokens = out.stream().mapToLong(Judgement::completionTokens).sum();
                levels.add(new Level(concurrency, requests, errors, seconds, tokens));
            }
        }
        return new Result(options.endpoint().toString(), model, kind, stubDelayMillis >= 0, stubDelayMillis, levels);
    }
}
