package org.rsafe.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.trace.EngineIdentity;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.Stability;
import org.rsafe.util.UserException;

/**
 * Measures how stable an engine's verdicts are: each request is judged {@code samples} times with the engine's own
 * sampling, and the judgement returned is one of those with the majority verdict, carrying the {@link Stability}
 * (majority share) of all of them.
 *
 * <p>The K draws of a request are handed to the engine in the same {@link Engine#judgeBatch} call as numbered
 * requests ({@link JudgeRequest#withSample}), so a batching engine (the local LLM generates up to its batch size
 * together, each draw with its own seed) pays one batched generation, not K runs; {@link #preferredBatchSize} is
 * the inner engine's divided by K so that a batch run's chunk of rows is one generation batch. An engine that does
 * not sample (its identity says {@code do_sample=false}: greedy decoding; or says nothing of sampling: the quick
 * engine) is judged once and reported stable by construction.
 *
 * <p>The identity is the inner engine's with {@code samples} added, so a resumed batch run with another K is
 * refused. Thread-safety is the inner engine's.
 */
public final class SampledEngine implements Engine {

    /** Most draws per request: beyond this a share moves by under 2% per draw and the run only gets slower. */
    public static final int MAX_SAMPLES = 64;

    private final Engine inner;
    private final int samples;
    private final EngineIdentity identity;

    private SampledEngine(Engine inner, int samples) {
        this.inner = inner;
        this.samples = samples;
        EngineIdentity base = inner.identity();
        Map<String, String> settings = new LinkedHashMap<>(base.settings());
        settings.put("samples", Integer.toString(samples));
        this.identity = new EngineIdentity(base.engine(), base.modelId(), base.modelHash(), base.device(), settings);
    }

    /**
     * The engine judging every request {@code samples} times; the engine itself when {@code samples} is 1. A count
     * out of range is a user mistake, and the inner engine is closed before it is reported.
     */
    public static Engine over(Engine inner, int samples) {
        Objects.requireNonNull(inner, "inner");
        if (samples < 1 || samples > MAX_SAMPLES) {
            inner.close();
            throw new UserException("--samples must be from 1 to " + MAX_SAMPLES + ", got " + samples);
        }
        return samples == 1 ? inner : new SampledEngine(inner, samples);
    }

    public int sampleCount() {
        return samples;
    }

    @Override
    public EngineIdentity identity() {
        return identity;
    }

    @Override
    public Judgement judge(JudgeRequest request, JudgeListener listener, Cancellation cancellation) {
        return judgeBatch(List.of(request), listener, cancellation).get(0);
    }

    @Override
    public List<Judgement> judgeBatch(List<JudgeRequest> requests, JudgeListener listener, Cancellation cancellation) {
        List<Judgement> out = new ArrayList<>(requests.size());
        if (!inner.identity().samples()) {
            for (Judgement j : inner.judgeBatch(requests, listener, cancellation)) {
                out.add(j.withEngine(identity, j.latencyMillis()).withStability(Stability.byConstruction(samples, j.verdict())));
            }
            return out;
        }
        List<JudgeRequest> draws = new ArrayList<>(requests.size() * samples);
        for (JudgeRequest r : requests) {
            for (int s = 0; s < samples; s++) {
                draws.add(r.withSample(s));
            }
        }
        List<Judgement> all = inner.judgeBatch(draws, listener, cancellation);
        for (int i = 0; i < requests.size(); i++) {
            List<Judgement> mine = all.subList(i * samples, (i + 1) * samples);
            Stability stability = Stability.of(mine.stream().map(Judgement::verdict).toList());
            Judgement chosen = mine.stream().filter(j -> j.verdict() == stability.majority()).findFirst().orElseThrow();
            long latency = mine.stream().mapToLong(Judgement::latencyMillis).max().orElse(0);
            out.add(chosen.withEngine(identity, latency).withStability(stability));
        }
        return out;
    }

    @Override
    public int preferredBatchSize() {
        return Math.max(1, inner.preferredBatchSize() / samples);
    }

    @Override
    public void close() {
        inner.close();
    }
}
