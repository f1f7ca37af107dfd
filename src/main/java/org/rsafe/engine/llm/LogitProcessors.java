package org.rsafe.engine.llm;

import java.util.Arrays;

/**
 * The logit processors of Hugging Face {@code generate}, as small functions on one row of logits
 * ({@code float[V]}). Filtering sets a logit to negative infinity, which softmax turns into probability 0.
 * Order used by {@link TokenSampler}: repetition penalty on the raw logits; when sampling, temperature, then
 * top-k, then top-p; softmax; a draw.
 */
public final class LogitProcessors {

    private LogitProcessors() { }

    /**
     * For each distinct id in {@code ids[0..count)}: a negative logit is multiplied by {@code penalty}, any
     * other divided by it. Callers pass each id once (a repeated id would be penalised twice).
     */
    public static void repetitionPenalty(float[] logits, int[] ids, int count, double penalty) {
        if (penalty == 1.0) {
            return;
        }
        for (int i = 0; i < count; i++) {
            int id = ids[i];
            float s = logits[id];
            logits[id] = (float) (s < 0 ? s * penalty : s / penalty);
        }
    }

    /** Divides every logit by {@code t} (t &gt; 0). */
    public static void temperature(float[] logits, double t) {
        if (t == 1.0) {
            return;
        }
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (logits[i] / t);
        }
    }

    /** Keeps the logits at or above the k-th largest (so ties with it survive); {@code k = 0} or k &ge; V is off. */
    public static void topK(float[] logits, int k) {
        topK(logits, k, new float[logits.length]);
    }

    /** As {@link #topK(float[], int)}, selecting in {@code scratch} (at least as long as the logits). */
    static void topK(float[] logits, int k, float[] scratch) {
        if (k <= 0 || k >= logits.length) {
            return;
        }
        float kth = kthLargest(logits, k, scratch);
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] < kth) {
                logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /**
     * Nucleus filtering as Hugging Face does it: sort ascending, take the cumulative softmax, drop every token
     * whose cumulative mass is at most {@code 1 - p}, and always keep the most probable one. {@code p = 1} is off.
     *
     * <p>Sorting all 150k logits per token would dominate a decode step on CPU, so tokens that are certainly
     * dropped are removed first: every token with probability below {@code (1 - p) / V} is, since even all of
     * them together weigh less than {@code 1 - p} and they come first in ascending order. Only the rest is
     * sorted, with the removed mass as the starting offset of the cumulative sum; the result is exact.
     */
    public static void topP(float[] logits, double p) {
        topP(logits, p, new Scratch(logits.length));
    }

    /** As {@link #topP(float[], double)}, working in {@code scratch}'s buffers instead of allocating its own. */
    static void topP(float[] logits, double p, Scratch scratch) {
        if (p >= 1.0) {
            return;
        }
        double[] probs = softmax(logits, scratch.probs);
        int n = logits.length;
        double floor = (1.0 - p) / n;
        double belowMass = 0;
        int candidates = 0;
        for (int i = 0; i < n; i++) {
            if (probs[i] < floor) {
                belowMass += probs[i];
            } else {
                candidates++;
            }
        }
        // Pack (logit, index) so one primitive sort orders candidates ascending by logit, then by index.
        long[] keys = scratch.keys(candidates);
        int c = 0;
        for (int i = 0; i < n; i++) {
            if (probs[i] >= floor) {
                keys[c++] = ((long) sortableBits(logits[i]) << 32) | i;
            }
        }
        Arrays.sort(keys, 0, candidates);
        double cumulative = belowMass;
        double limit = 1.0 - p;
        boolean[] keep = scratch.keep;
        Arrays.fill(keep, 0, n, false);
        for (int j = 0; j < candidates; j++) {
            int index = (int) (keys[j] & 0xffffffffL);
            cumulative += probs[index];
            keep[index] = cumulative > limit || j == candidates - 1;
        }
        for (int i = 0; i < n; i++) {
            if (!keep[i]) {
                logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** Softmax in double precision; negative-infinity logits get probability 0. */
    public static double[] softmax(float[] logits) {
        return softmax(logits, new double[logits.length]);
    }

    /** As {@link #softmax(float[])}, into {@code out} (at least as long as the logits), which is returned. */
    static double[] softmax(float[] logits, double[] out) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : logits) {
            if (v > max) {
                max = v;
            }
        }
        if (max == Float.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("every logit was filtered out");
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            double e = logits[i] == Float.NEGATIVE_INFINITY ? 0 : Math.exp((double) logits[i] - max);
            out[i] = e;
            sum += e;
        }
        for (int i = 0; i < logits.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    /**
     * The first index in {@code [from, to)} whose logit is NaN or infinite, or -1 when all are finite. Filters
     * write negative infinity on purpose, so call this on the model's raw logits, before any processor.
     */
    public static int firstNonFinite(float[] logits, int from, int to) {
        for (int i = from; i < to; i++) {
            // v - v is 0 for every finite v and NaN for NaN and both infinities: one test per value.
            float v = logits[i];
            if (v - v != 0f) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the largest logit; the lowest index among equal maxima, as {@code torch.argmax}. */
    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Inverse-CDF draw: the first index whose cumulative probability exceeds {@code u} (u in [0, 1)). Rounding
     * can leave the total a hair under u; the last index with non-zero probability is returned then.
     */
    public static int sample(double[] probs, double u) {
        return sample(probs, probs.length, u);
    }

    /** As {@link #sample(double[], double)} over {@code probs[0..n)}. */
    static int sample(double[] probs, int n, double u) {
        double cumulative = 0;
        int lastPositive = -1;
        for (int i = 0; i < n; i++) {
            if (probs[i] > 0) {
                cumulative += probs[i];
                lastPositive = i;
                if (cumulative > u) {
                    return i;
                }
            }
        }
        if (lastPositive < 0) {
            throw new IllegalArgumentException("no token has positive probability");
        }
        return lastPositive;
    }

    /** The k-th largest value (k from 1), by selection on a copy in expected linear time. */
    static float kthLargest(float[] values, int k) {
        return kthLargest(values, k, new float[values.length]);
    }

    /** As {@link #kthLargest(float[], int)}, copying into {@code a} (at least as long as the values). */
    private static float kthLargest(float[] values, int k, float[] a) {
        System.arraycopy(values, 0, a, 0, values.length);
        int target = values.length - k; // k-th largest is the (n-k)-th smallest, 0-based
        int lo = 0;
        int hi = values.length - 1;
        java.util.SplittableRandom pivots = new java.util.SplittableRandom(0x5eed);
        while (lo < hi) {
            float pivot = a[lo + pivots.nextInt(hi - lo + 1)];
            int i = lo;
            int lt = lo;
            int gt = hi;
            // Three-way partition: [lo,lt) < pivot, [lt,i) == pivot, (gt,hi] > pivot.
            while (i <= gt) {
                if (a[i] < pivot) {
                    swap(a, lt++, i++);
                } else if (a[i] > pivot) {
                    swap(a, i, gt--);
                } else {
                    i++;
                }
            }
            if (target < lt) {
                hi = lt - 1;
            } else if (target > gt) {
                lo = gt + 1;
            } else {
                return pivot;
            }
        }
        return a[target];
    }

    private static void swap(float[] a, int i, int j) {
        float t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** Float bits mapped so that signed int order equals float order (negative infinity lowest). */
    private static int sortableBits(float f) {
        int bits = Float.floatToIntBits(f);
        return bits >= 0 ? bits : bits ^ 0x7fffffff;
    }

    /**
     * Work buffers for one vocabulary size, so that sampling a token allocates nothing: a decode step at a
     * 150k vocabulary would otherwise create about 2.6 MB of arrays per sequence. Not thread-safe.
     */
    static final class Scratch {
        final double[] probs;
        final boolean[] keep;
        final float[] values;
        private long[] keys = new long[256];

        Scratch(int vocab) {
            probs = new double[vocab];
            keep = new boolean[vocab];
            values = new float[vocab];
        }

        long[] keys(int n) {
            if (keys.length < n) {
                keys = new long[Math.max(n, keys.length * 2)];
            }
            return keys;
        }
    }
}
