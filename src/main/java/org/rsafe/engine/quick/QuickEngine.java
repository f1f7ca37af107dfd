package org.rsafe.engine.quick;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.engine.EngineThreadGuard;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.policy.Policy;
import org.rsafe.trace.EngineIdentity;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.TraceStep;
import org.rsafe.trace.Verdict;

/**
 * The offline default guard: a pretrained sentence encoder (bge-small-en-v1.5, int8) used as a
 * similarity guard over the policy's own texts. Each clause gets a 0..1 score (see {@link ClauseScorer});
 * the verdict is unsafe iff some clause's score is at or above its threshold (the clause's own, else the
 * default), and every such clause is flagged. The trace names, per triggered or near-miss clause, the
 * chunk, the nearest anchor and the similarity.
 *
 * <p>What is judged: the prompt, or, when the request has a response, the response, by what it does
 * ({@link ResponseReading}). A refusal (refusal or warning wording in its opening, or sentences that lean toward
 * declining as read by {@link ResponseStance}, and no turn to comply after it)
 * lowers every margin, so "I can't help with that" is safe unless a sentence of it itself reads like a violating
 * example. A response that complies, which includes a refusal followed by "However, here is…", is scored sentence
 * by sentence and also takes its prompt's score for every clause the prompt violates on its own, provided it
 * engages with the prompt (cosine at least {@value #ON_TOPIC} with it; REVIEW at most when its stance is unclear):
 * going along with what the policy forbids is
 * assisting it, but the prompt's topic alone never makes a response unsafe. Refusal anchors join the allowed
 * texts when a response is judged.
 *
 * <p>Thread-safe: the options are immutable, anchors and embeddings live in synchronised caches, the
 * encoder spreads its forward passes over its own worker threads (one per configured core) and scoring
 * runs on a second pool of the same size. {@link #judgeBatch} encodes the texts of all requests of a
 * group together, which is where the throughput comes from; listener callbacks arrive on the calling
 * thread, in request order.
 */
public final class QuickEngine implements Engine {
    public static final String ENGINE = "quick";
    /** Requests per batch: the encoder embeds a chunk in one go, and larger chunks batch it better. */
    public static final int PREFERRED_BATCH_SIZE = 32;
    /** Embedding scheme of judged inputs: whole text plus sentence spans, late chunking. */
    static final String INPUT_SCHEME = "late-v1/sentences-v1";
    /** Requests per encoder call: large enough to keep every worker busy, small enough for prompt progress and cancellation. */
    static final int GROUP = 64;
    private static final int MAX_POLICIES = 16;
    /**
     * Cosine between a response and its prompt (whole-text vectors) below which the response is not taken to engage
     * with the prompt, so the prompt's score is not carried over. Generic answers ("Here are the steps you need to
     * follow.") sit at 0.44 to 0.48 with the prompt they answer, unrelated replies at 0.29 to 0.35; 0.40 is about
     * the 1st percentile of this cosine on the shared response sets.
     */
    static final double ON_TOPIC = 0.40;

    private final QuickEngineOptions options;
    private final SentenceEncoder encoder;
    private final boolean ownsEncoder;
    private final InputEmbeddingCache cache;
    private final EngineIdentity identity;
    private final Map<String, PolicyAnchors> anchorSets = new LinkedHashMap<>(16, 0.75f, true);
    private final AtomicLong anchorSetsBuilt = new AtomicLong();
    private volatile ExecutorService scorers;
    private volatile ResponseStance stance;

    private QuickEngine(QuickEngineOptions options, SentenceEncoder encoder, boolean ownsEncoder) {
        this.options = options;
        this.encoder = encoder;
        this.ownsEncoder = ownsEncoder;
        String modelHash = SentenceEncoder.modelHash();
        this.cache = options.cacheDir() == null ? InputEmbeddingCache.inMemory()
                : InputEmbeddingCache.open(options.cacheDir(), modelHash, options.cacheMaxBytes());
        this.identity = new EngineIdentity(ENGINE, SentenceEncoder.MODEL_ID, modelHash, "cpu", options.scoringSettings());
    }

    /** An engine with its own encoder ({@code options.threads()} workers), closed with the engine. */
    public static QuickEngine create(QuickEngineOptions options) {
        return new QuickEngine(options, SentenceEncoder.open(options.threads()), true);
    }

    /** An engine on a shared encoder, which the engine does not close. */
    public static QuickEngine create(QuickEngineOptions options, SentenceEncoder encoder) {
        return new QuickEngine(options, encoder, false);
    }

    @Override
    public EngineIdentity identity() {
        return identity;
    }

    public QuickEngineOptions options() {
        return options;
    }

    public SentenceEncoder encoder() {
        return encoder;
    }

    public InputEmbeddingCache cache() {
        return cache;
    }

    /** Anchor sets embedded so far; a policy seen before (same content hash) does not add one. */
    public long anchorSetsBuilt() {
        return anchorSetsBuilt.get();
    }

    @Override
    public Judgement judge(JudgeRequest request, JudgeListener listener, Cancellation cancellation) {
        return judgeBatch(List.of(request), listener, cancellation).get(0);
    }

    @Override
    public int preferredBatchSize() {
        return PREFERRED_BATCH_SIZE;
    }

    @Override
    public List<Judgement> judgeBatch(List<JudgeRequest> requests, JudgeListener listener, Cancellation cancellation) {
        EngineThreadGuard.assertNotFxThread();
        List<Judgement> out = new ArrayList<>(requests.size());
        try {
            for (int from = 0; from < requests.size(); from += GROUP) {
                cancellation.check();
                out.addAll(judgeGroup(requests.subList(from, Math.min(requests.size(), from + GROUP)), listener,
                        cancellation));
            }
        } finally {
            cache.flush();
        }
        return out;
    }

    private List<Judgement> judgeGroup(List<JudgeRequest> group, JudgeListener listener, Cancellation cancellation) {
        long start = System.nanoTime();
        // Keyed by identity: hashing a policy's source for every row would cost more than scoring it.
        Map<Policy, PolicyAnchors> anchorsByPolicy = new IdentityHashMap<>();
        for (JudgeRequest r : group) {
            anchorsByPolicy.computeIfAbsent(r.policy(), this::anchors);
        }
        String[] texts = new String[group.size()];
        List<List<Span>> spans = new ArrayList<>(group.size());
        // A response that complies (does not refuse, or refuses and then turns to comply) is also judged by what
        // its prompt asked for.
        int[] promptAt = new int[group.size()];
        ResponseReading[] readings = new ResponseReading[group.size()];
        List<String> prompts = new ArrayList<>();
        List<List<Span>> promptSpans = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            JudgeRequest r = group.get(i);
            texts[i] = r.responseLevel() ? r.response() : r.prompt();
            spans.add(SentenceSplitter.split(texts[i]));
            promptAt[i] = -1;
            if (r.responseLevel()) {
                readings[i] = ResponseReading.read(texts[i], spans.get(i));
                if (!r.prompt().isBlank() && !readings[i].refusal()) {
                    promptAt[i] = prompts.size();
                    prompts.add(r.prompt());
                    promptSpans.add(SentenceSplitter.split(r.prompt()));
                }
            }
        }
        List<TextEmbedding> embedded = embed(java.util.Arrays.asList(texts), spans, cancellation);
        ResponseStance stanceReader = group.stream().anyMatch(JudgeRequest::responseLevel) ? stance() : null;
        List<TextEmbedding> promptEmbedded = prompts.isEmpty() ? List.of() : embed(prompts, promptSpans, cancellation);
        long perRequest = (System.nanoTime() - start) / 1_000_000L / Math.max(1, group.size());
        // Scoring is cheap next to encoding, but after a policy edit every input comes from the cache and
        // scoring is all the work there is, so it is spread over the cores too.
        List<Future<Judgement>> scored = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            int at = i;
            scored.add(scorers().submit(() -> {
                long t0 = System.nanoTime();
                JudgeRequest r = group.get(at);
                TextEmbedding e = embedded.get(at);
                PolicyAnchors anchors = anchorsByPolicy.get(r.policy());
                ResponseReading reading = readings[at];
                if (reading != null) {
                    reading = reading.withStance(stanceReader.read(e), texts[at]);
                }
                List<ClauseScore> scores = ClauseScorer.score(anchors, e, spans.get(at), texts[at], r.responseLevel(),
                        reading != null && reading.refusal(), reading != null && reading.turnsToComply(), options);
                QuickTrace.Agreement agreement = null;
                if (promptAt[at] >= 0 && !reading.refusal()) {
                    int k = promptAt[at];
                    List<ClauseScore> asked = ClauseScorer.score(anchors, promptEmbedded.get(k), promptSpans.get(k),
                            false, options);
                    double engagement = Vectors.dot(e.mean(), promptEmbedded.get(k).mean());
                    agreement = carryOver(r, scores, asked, engagement,
                            reading.stance() != null && reading.stance().mean() > ResponseStance.SUPPLIES
                                    && !reading.turnsToComply() && ResponseOpenings.agrees(texts[at]).isEmpty());
                }
                return judgement(r, scores, texts[at], spans.get(at), e, reading, agreement,
                        perRequest + (System.nanoTime() - t0) / 1_000_000L);
            }));
        }
        List<Judgement> out = new ArrayList<>(group.size());
        try {
            for (int i = 0; i < group.size(); i++) {
                cancellation.check();
                Judgement j = scored.get(i).get();
                for (TraceStep s : j.steps()) {
                    listener.onStep(group.get(i).id(), s);
                }
                out.add(j);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("scoring failed", e.getCause());
        } finally {
            scored.forEach(f -> f.cancel(false));
        }
        return out;
    }

    /**
     * A complying response to a prompt which itself violates a clause takes the prompt's score for that clause (when
     * higher), provided it engages with the prompt ({@code engagement}, the cosine of the two, at least
     * {@link #ON_TOPIC}): going along with what the policy forbids is read as assisting it. {@code unclear}: the
     * response's stance is unclear ({@link ResponseStance}), so what it takes is decided as REVIEW. Replaces entries
     * of {@code scores}; returns what the trace must say, or null when the prompt violates no clause.
     */
    private QuickTrace.Agreement carryOver(JudgeRequest r, List<ClauseScore> scores, List<ClauseScore> asked,
                                           double engagement, boolean unclear) {
        List<String> carried = new ArrayList<>();
        boolean engaged = engagement >= ON_TOPIC;
        for (int c = 0; c < scores.size(); c++) {
            ClauseScore p = asked.get(c);
            double t = QuickTrace.threshold(r.policy(), p.clauseId(), options.defaultThreshold());
            // When the stance is unclear the taken score is REVIEW at most, so a clause the response reaches on its
            // own keeps its own score.
            boolean ownReaches = scores.get(c).score() >= t;
            if (p.score() >= t && p.score() > scores.get(c).score() && !(unclear && ownReaches)) {
                if (engaged) {
                    scores.set(c, p);
                }
                carried.add(p.clauseId());
            }
        }
        return carried.isEmpty() ? null
                : new QuickTrace.Agreement(ResponseOpenings.agrees(r.response()).orElse(null), r.prompt(), carried,
                engagement, engaged, unclear);
    }

    /** Embeddings of {@code texts} (cut at {@code spans}), from the cache where present, else encoded and cached. */
    private List<TextEmbedding> embed(List<String> texts, List<List<Span>> spans, Cancellation cancellation) {
        String[] keys = new String[texts.size()];
        Map<String, TextEmbedding> found = new HashMap<>();
        Map<String, SentenceEncoder.SpanText> missing = new LinkedHashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            keys[i] = InputEmbeddingCache.key(identity.modelHash(), INPUT_SCHEME, texts.get(i));
            if (!found.containsKey(keys[i]) && !missing.containsKey(keys[i])) {
                TextEmbedding hit = cache.get(keys[i]);
                if (hit != null && hit.spans().length == spans.get(i).size()) {
                    found.put(keys[i], hit);
                } else {
                    missing.put(keys[i], new SentenceEncoder.SpanText(texts.get(i), spans.get(i)));
                }
            }
        }
        if (!missing.isEmpty()) {
            List<String> missingKeys = new ArrayList<>(missing.keySet());
            List<TextEmbedding> fresh = encoder.embedSpans(new ArrayList<>(missing.values()), cancellation);
            for (int k = 0; k < fresh.size(); k++) {
                found.put(missingKeys.get(k), fresh.get(k));
                cache.put(missingKeys.get(k), fresh.get(k));
            }
        }
        List<TextEmbedding> out = new ArrayList<>(texts.size());
        for (String key : keys) {
            out.add(found.get(key));
        }
        return out;
    }

    /**
     * The verdict: unsafe when some clause reaches its threshold and is not left to review ({@link ClauseScorer#review});
     * else REVIEW when some clause reached its threshold; else safe.
     */
    private Judgement judgement(JudgeRequest r, List<ClauseScore> scores, String text, List<Span> spans,
                                TextEmbedding e, ResponseReading reading, QuickTrace.Agreement agreement, long millis) {
        if (text.isBlank()) {
            return blank(r, millis);
        }
        QuickEngineOptions o = options.forPolicy(r.policy());
        // Found whatever the band, so the stored REVIEW data holds for any band; it counts only when REVIEW is on.
        ResponseOpenings.Found found = r.responseLevel() ? null : RuleQuestions.find(text, spans).orElse(null);
        ResponseOpenings.Found asks = o.reviews() ? found : null;
        Map<String, Double> clauseScores = new LinkedHashMap<>();
        Map<String, Double> reviewZ = new LinkedHashMap<>();
        List<String> unclearCarried =
                agreement != null && agreement.engaged() && agreement.unclear() ? agreement.carried() : List.of();
        for (ClauseScore s : scores) {
            clauseScores.put(s.clauseId(), s.score());
            // A score carried from the prompt while the response's stance is unclear is REVIEW at any band above 0.
            reviewZ.put(s.clauseId(), unclearCarried.contains(s.clauseId()) ? Double.NEGATIVE_INFINITY
                    : reviewZ(s, found != null));
        }
        Decision d = decide(r.policy(), scores, asks != null, unclearCarried);
        List<String> flagged = d.flagged();
        QuickTrace.Rendered trace = QuickTrace.render(r.policy(), scores, o, text, r.responseLevel(),
                e.truncated(), reading, agreement, flagged, d.reviews(), asks);
        Verdict verdict = d.verdict();
        return new Judgement(verdict, verdict.label(), true, clauseScores, flagged, trace.steps(), trace.rawOutput(),
                "", identity, millis, e.tokens(), 0).withReviewZ(reviewZ);
    }

    /** Any band above 0, to ask {@link ClauseScorer#review} which of its rules hold whatever the band. */
    private static final QuickEngineOptions ANY_BAND = QuickEngineOptions.defaults().withCacheDir(null).withThreads(1);

    /**
     * The clause's REVIEW data for {@link Judgement#reviewZ}: what {@link ClauseScorer#review} compares with the bar
     * plus the band, found by asking it at the two extreme bars (threshold 0: no near-the-bar REVIEW; threshold 1: any
     * z is near the bar), so the rule stays in one place. Negative infinity when it is REVIEW at any band above 0,
     * positive infinity when never, else z less the lift.
     */
    static double reviewZ(ClauseScore s, boolean asksAboutRule) {
        if (ClauseScorer.review(s, 0.0, ANY_BAND, asksAboutRule) != null) {
            return Double.NEGATIVE_INFINITY;
        }
        if (ClauseScorer.review(s, 1.0, ANY_BAND, asksAboutRule) == null) {
            return Double.POSITIVE_INFINITY;
        }
        return s.z() - s.examples().lift();
    }

    /** The clauses flagged, those left to review and why, and the verdict that follows. */
    private record Decision(List<String> flagged, Map<String, ClauseScorer.ReviewReason> reviews) {
        Verdict verdict() {
            return !flagged.isEmpty() ? Verdict.UNSAFE : !reviews.isEmpty() ? Verdict.REVIEW : Verdict.SAFE;
        }
    }

    private Decision decide(Policy policy, List<ClauseScore> scores, boolean asksAboutRule) {
        return decide(policy, scores, asksAboutRule, List.of());
    }

    /** As above; {@code unclearCarried}: clauses a response took from its prompt while its stance is unclear. */
    private Decision decide(Policy policy, List<ClauseScore> scores, boolean asksAboutRule,
                            List<String> unclearCarried) {
        QuickEngineOptions o = options.forPolicy(policy);
        List<String> flagged = new ArrayList<>();
        Map<String, ClauseScorer.ReviewReason> reviews = new LinkedHashMap<>();
        for (ClauseScore s : scores) {
            double t = QuickTrace.threshold(policy, s.clauseId(), options.defaultThreshold());
            if (s.score() >= t) {
                ClauseScorer.ReviewReason why = o.reviews() && unclearCarried.contains(s.clauseId())
                        ? ClauseScorer.ReviewReason.STANCE_UNCLEAR : ClauseScorer.review(s, t, o, asksAboutRule);
                if (why == null) {
                    flagged.add(s.clauseId());
                } else {
                    reviews.put(s.clauseId(), why);
                }
            }
        }
        return new Decision(flagged, reviews);
    }

    /**
     * Judges every example of {@code policy} as a prompt with that example held out of the policy (leave-one-out):
     * the examples as tests of the policy. Each example's text is embedded once through the input cache; each
     * held-out judgement is arithmetic only ({@link PolicyAnchors#holdingOut}). Results in policy order: violating
     * examples, then safe ones.
     */
    public List<ExampleCheck> checkExamples(Policy policy, Cancellation cancellation) {
        EngineThreadGuard.assertNotFxThread();
        PolicyAnchors anchors = anchors(policy);
        List<Anchor> examples = anchors.examples();
        List<String> texts = new ArrayList<>(examples.size());
        List<List<Span>> spans = new ArrayList<>(examples.size());
        for (Anchor a : examples) {
            texts.add(a.text());
            spans.add(SentenceSplitter.split(a.text()));
        }
        List<TextEmbedding> embedded;
        try {
            embedded = texts.isEmpty() ? List.of() : embed(texts, spans, cancellation);
        } finally {
            cache.flush();
        }
        List<ExampleCheck> out = new ArrayList<>(examples.size());
        for (int k = 0; k < examples.size(); k++) {
            cancellation.check();
            Anchor a = examples.get(k);
            PolicyAnchors held = anchors.holdingOut(a, options.labelWeight());
            List<ClauseScore> scores = ClauseScorer.score(held, embedded.get(k), spans.get(k), a.text(), false, false,
                    false, options);
            boolean asks = options.forPolicy(policy).reviews() && RuleQuestions.find(a.text(), spans.get(k)).isPresent();
            Decision d = decide(policy, scores, asks);
            boolean violating = a.kind() == Anchor.Kind.VIOLATING;
            String clause = "";
            double score = 0;
            if (violating) {
                clause = a.clauseId();
                score = scores.stream().filter(s -> s.clauseId().equals(a.clauseId())).findFirst()
                        .map(ClauseScore::score).orElse(0.0);
            } else {
                for (ClauseScore s : scores) {
                    boolean hit = d.flagged().contains(s.clauseId()) || d.reviews().containsKey(s.clauseId());
                    if (hit && s.score() > score) {
                        clause = s.clauseId();
                        score = s.score();
                    }
                }
            }
            boolean agrees = violating ? d.flagged().contains(a.clauseId()) : d.verdict() == Verdict.SAFE;
            out.add(new ExampleCheck(a.clauseId(), violating, a.text(), a.pos(), d.verdict(), clause, score, agrees));
        }
        return out;
    }

    /** The stance reader of responses, fitted once per engine from the built-in stance texts (embedded through the cache). */
    private ResponseStance stance() {
        ResponseStance s = stance;
        if (s == null) {
            synchronized (this) {
                if (stance == null) {
                    stance = ResponseStance.fit(this::embedAnchors);
                }
                s = stance;
            }
        }
        return s;
    }

    private ExecutorService scorers() {
        ExecutorService s = scorers;
        if (s == null) {
            synchronized (this) {
                if (scorers == null) {
                    AtomicLong count = new AtomicLong();
                    scorers = Executors.newFixedThreadPool(options.threads(), r -> {
                        Thread t = new Thread(r, "rsafe-quick-score-" + count.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
                }
                s = scorers;
            }
        }
        return s;
    }

    /** Nothing to compare: every clause scores 0 and the trace says so. */
    private Judgement blank(JudgeRequest r, long millis) {
        Map<String, Double> clauseScores = new LinkedHashMap<>();
        r.policy().clauses().forEach(c -> clauseScores.put(c.id(), 0.0));
        String raw = QuickTrace.HEADER + "\n\nThe " + (r.responseLevel() ? "response" : "prompt")
                + " is empty, so there is nothing to judge.\n\nVerdict: safe\n";
        return new Judgement(Verdict.SAFE, Verdict.SAFE.label(), true, clauseScores, List.of(), List.of(), raw, "",
                identity, millis, 0, 0);
    }

    /** The embedded anchors of {@code policy}, built once per policy content hash. */
    PolicyAnchors anchors(Policy policy) {
        String key = policy.sha256() + '/' + options.builtInNearMisses();
        synchronized (anchorSets) {
            PolicyAnchors a = anchorSets.get(key);
            if (a != null) {
                return a;
            }
        }
        PolicyAnchors built = PolicyAnchors.build(policy, options, this::embedAnchors);
        synchronized (anchorSets) {
            PolicyAnchors raced = anchorSets.get(key);
            if (raced != null) {
                return raced;
            }
            anchorSets.put(key, built);
            anchorSetsBuilt.incrementAndGet();
            if (anchorSets.size() > MAX_POLICIES) {
                anchorSets.remove(anchorSets.keySet().iterator().next());
            }
            return built;
        }
    }

    /** Whole-text embeddings of anchor texts through the input cache, so an edit re-encodes only what changed. */
    private List<TextEmbedding> embedAnchors(List<String> texts) {
        TextEmbedding[] out = new TextEmbedding[texts.size()];
        Map<String, List<Integer>> missing = new LinkedHashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            String key = InputEmbeddingCache.key(identity.modelHash(), PolicyAnchors.SCHEME, texts.get(i));
            TextEmbedding hit = cache.get(key);
            if (hit != null) {
                out[i] = hit;
            } else {
                missing.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        if (!missing.isEmpty()) {
            List<String> keys = new ArrayList<>(missing.keySet());
            List<SentenceEncoder.SpanText> inputs = new ArrayList<>();
            for (String k : keys) {
                inputs.add(new SentenceEncoder.SpanText(texts.get(missing.get(k).get(0)), List.of()));
            }
            List<TextEmbedding> fresh = encoder.embedSpans(inputs, Cancellation.none());
            for (int k = 0; k < keys.size(); k++) {
                cache.put(keys.get(k), fresh.get(k));
                for (int i : missing.get(keys.get(k))) {
                    out[i] = fresh.get(k);
                }
            }
        }
        return List.of(out);
    }

    @Override
    public void close() {
        if (scorers != null) {
            scorers.shutdownNow();
        }
        cache.close();
        if (ownsEncoder) {
            encoder.close();
        }
    }
}
