package org.rsafe.engine.quick;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rsafe.policy.Policy;

/**
 * Settings of the quick engine. The scoring parameters define the clause score documented on
 * {@link ClauseScorer}; the defaults were fitted once on the even rows of two public benchmark sets and
 * are reported on the odd rows (see the README), so they are constants, not per-run tuning.
 *
 * @param defaultThreshold score at or above which a clause without its own threshold is violated (0..1)
 * @param threads          encoder worker threads (one forward pass each); defaults to the core count
 * @param cacheDir         folder of the persistent input-embedding cache; null keeps embeddings in memory only
 * @param cacheMaxBytes    size cap of the on-disk cache; the oldest segments are dropped beyond it
 * @param lambda           weight of the nearest allowed anchor (safe example or built-in near-miss),
 *                         subtracted from the similarity to the clause (0 = pure topic similarity)
 * @param midpoint         standardised margin (z) that maps to a score of 0.5
 * @param scale            change of z that moves the score by one logistic unit (smaller = steeper)
 * @param labelWeight      share of a clause's title and description in its prototype; the rest is the
 *                         mean of its violating examples
 * @param builtInNearMisses whether the engine's own generic near-miss anchors (mentions of harm that do
 *                         not ask for it; refusals for responses) join each policy's safe examples
 * @param reportMargin     clauses whose score is within this of their threshold get a near-miss trace step
 * @param reviewBand       standard deviations past a clause's bar within which a flag is REVIEW rather than unsafe
 *                         (see {@link ClauseScorer#outcome}); 0 turns REVIEW off, so every input is decided
 * @param reviewBandFromPolicy whether a policy's own {@code review_band} replaces {@code reviewBand} for that policy
 *                         (true by default; false once a band is set explicitly, e.g. by {@code --review-band})
 */
public record QuickEngineOptions(
        double defaultThreshold,
        int threads,
        Path cacheDir,
        long cacheMaxBytes,
        double lambda,
        double midpoint,
        double scale,
        double labelWeight,
        boolean builtInNearMisses,
        double reportMargin,
        double reviewBand,
        boolean reviewBandFromPolicy) {

    public static final double DEFAULT_THRESHOLD = 0.5;
    public static final long DEFAULT_CACHE_MAX_BYTES = 512L << 20;
    public static final double DEFAULT_LAMBDA = 0.2;
    public static final double DEFAULT_MIDPOINT = 2.31;
    public static final double DEFAULT_SCALE = 0.5;
    public static final double DEFAULT_LABEL_WEIGHT = 0.2;
    /** See {@link ClauseScorer#outcome}: a quarter of a standard deviation, scores 0.50 to 0.62 at threshold 0.5. */
    public static final double DEFAULT_REVIEW_BAND = 0.25;
    /** Widest review band accepted: past it nearly every flag would be REVIEW. */
    public static final double MAX_REVIEW_BAND = Policy.MAX_REVIEW_BAND;

    public QuickEngineOptions {
        if (!(defaultThreshold >= 0 && defaultThreshold <= 1)) {
            throw new IllegalArgumentException("defaultThreshold must be in 0..1, was " + defaultThreshold);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        if (cacheMaxBytes < 0) {
            throw new IllegalArgumentException("cacheMaxBytes must be >= 0, was " + cacheMaxBytes);
        }
        if (!(lambda >= 0 && lambda <= 2)) {
            throw new IllegalArgumentException("lambda must be in 0..2, was " + lambda);
        }
        if (!(scale > 0) || !Double.isFinite(midpoint)) {
            throw new IllegalArgumentException("scale must be > 0 and midpoint finite");
        }
        if (!(labelWeight >= 0 && labelWeight <= 1)) {
            throw new IllegalArgumentException("labelWeight must be in 0..1, was " + labelWeight);
        }
        if (!(reportMargin >= 0 && reportMargin <= 1)) {
            throw new IllegalArgumentException("reportMargin must be in 0..1, was " + reportMargin);
        }
        if (!(reviewBand >= 0 && reviewBand <= MAX_REVIEW_BAND)) {
            throw new IllegalArgumentException("reviewBand must be in 0.." + MAX_REVIEW_BAND + ", was " + reviewBand);
        }
    }

    /** Threshold 0.5, all cores, disk cache under {@code ~/.cache/rsafe-workbench/quick}, fitted scoring constants. */
    public static QuickEngineOptions defaults() {
        return new QuickEngineOptions(DEFAULT_THRESHOLD, Runtime.getRuntime().availableProcessors(),
                defaultCacheDir(), DEFAULT_CACHE_MAX_BYTES, DEFAULT_LAMBDA, DEFAULT_MIDPOINT, DEFAULT_SCALE,
                DEFAULT_LABEL_WEIGHT, true, 0.15, DEFAULT_REVIEW_BAND, true);
    }

    /** {@code ${user.home}/.cache/rsafe-workbench/quick}. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "rsafe-workbench", "quick");
    }

    public QuickEngineOptions withCacheDir(Path dir) {
        return new QuickEngineOptions(defaultThreshold, threads, dir, cacheMaxBytes, lambda, midpoint, scale,
                labelWeight, builtInNearMisses, reportMargin, reviewBand, reviewBandFromPolicy);
    }

    public QuickEngineOptions withThreads(int n) {
        return new QuickEngineOptions(defaultThreshold, n, cacheDir, cacheMaxBytes, lambda, midpoint, scale,
                labelWeight, builtInNearMisses, reportMargin, reviewBand, reviewBandFromPolicy);
    }

    public QuickEngineOptions withDefaultThreshold(double t) {
        return new QuickEngineOptions(t, threads, cacheDir, cacheMaxBytes, lambda, midpoint, scale,
                labelWeight, builtInNearMisses, reportMargin, reviewBand, reviewBandFromPolicy);
    }

    /** A band set explicitly: it holds for every policy, whatever the policy's own {@code review_band} says. */
    public QuickEngineOptions withReviewBand(double band) {
        return new QuickEngineOptions(defaultThreshold, threads, cacheDir, cacheMaxBytes, lambda, midpoint, scale,
                labelWeight, builtInNearMisses, reportMargin, band, false);
    }

    /**
     * The band that holds for {@code policy}: its own {@code review_band} when it sets one (inside 0..
     * {@link #MAX_REVIEW_BAND}; lint reports a value outside) and no band was set explicitly, else {@link #reviewBand}.
     */
    public double reviewBandFor(Policy policy) {
        Double own = policy == null ? null : policy.reviewBand();
        return reviewBandFromPolicy && own != null && own >= 0 && own <= MAX_REVIEW_BAND ? own : reviewBand;
    }

    /** These options with the band that holds for {@code policy} ({@link #reviewBandFor}). */
    public QuickEngineOptions forPolicy(Policy policy) {
        double band = reviewBandFor(policy);
        return band == reviewBand ? this : new QuickEngineOptions(defaultThreshold, threads, cacheDir, cacheMaxBytes,
                lambda, midpoint, scale, labelWeight, builtInNearMisses, reportMargin, band, reviewBandFromPolicy);
    }

    /** Whether the engine may answer REVIEW at all. */
    public boolean reviews() {
        return reviewBand > 0;
    }

    /** The settings that change results, as recorded in the engine identity. */
    public Map<String, String> scoringSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("defaultThreshold", fmt(defaultThreshold));
        m.put("lambda", fmt(lambda));
        m.put("midpoint", fmt(midpoint));
        m.put("scale", fmt(scale));
        m.put("labelWeight", fmt(labelWeight));
        m.put("builtInNearMisses", Boolean.toString(builtInNearMisses));
        m.put("chunking", "sentences + whole text, late chunking (mean of contextual token vectors)");
        m.put("scoring", "z = (max over chunks of cos(chunk, prototype) - lambda * nearest allowed) standardised "
                + "against the policy's allowed texts; score = logistic((z - lift - midpoint) / scale), lift = max(0, "
                + "median z of the policy's safe examples - " + PolicyAnchors.LIFT_REFERENCE + ")");
        m.put("examplesBind", "whole text nearer to a clause's safe example than to all its violating examples by "
                + ClauseScorer.EXAMPLE_MARGIN + ": not flagged; nearer to a violating example than to every allowed text "
                + "by twice that, inside the clause's example radius and within " + ClauseScorer.MIRROR_BAND
                + " of the bar: flagged");
        m.put("leanGate", "a policy with a lift flags only texts whose lean toward its violating examples is at least "
                + ClauseScorer.LEAN_MIN);
        m.put("intentContrast", "a prompt's z moves by " + ClauseScorer.INTENT_WEIGHT + " x (intent - "
                + ClauseScorer.INTENT_ZERO + "), capped at one unit, on the built-in contrast of harmful requests and "
                + "harmless uses; only a request is raised; not for responses or a policy with a lift");
        m.put("declineCheck", "responses that refuse or warn in their opening (first " + ResponseOpenings.WINDOW
                + " characters, or a flat No) and never turn to comply lose " + ClauseScorer.DECLINE_PENALTY
                + " of every margin; a refusal that turns to comply is read as compliance");
        m.put("promptCarryOver", "a complying response takes its prompt's score for each clause the prompt reaches, "
                + "when its cosine with the prompt is at least " + QuickEngine.ON_TOPIC);
        m.put("reviewBand", fmt(reviewBand) + (reviewBandFromPolicy ? " unless the policy sets review_band"
                : " (set for the engine; a policy's review_band is ignored)"));
        m.put("review", reviewBand > 0 ? "a flag is REVIEW when its z is less than reviewBand past the bar, when the "
                + "clause's violating example is less than " + ClauseScorer.BETWEEN_BAND + " nearer than its own nearest "
                + "safe example, or when the prompt asks about the rule (RuleQuestions)" : "off");
        m.put("maxTokens", Integer.toString(SentenceEncoder.MAX_TOKENS));
        return m;
    }

    /** A band as people read it: "0.25", "0.3", "0" (at most three decimals, as policy files keep). */
    public static String formatBand(double band) {
        return java.math.BigDecimal.valueOf(band).setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }

    private static String fmt(double d) {
        return String.format(java.util.Locale.ROOT, "%.4f", d);
    }
}
