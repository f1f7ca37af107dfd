package org.rsafe.train;

import java.util.Arrays;

/**
 * A seeded random number generator (xoshiro256**) whose whole state is four longs, so a training run can save it
 * in a checkpoint and continue with exactly the numbers it would have drawn had it never stopped.
 * {@link java.util.SplittableRandom} and {@link java.util.Random} hide or scramble their state; this one does not.
 */
public final class Xoshiro256 {
    private final long[] s = new long[4];

    /** Seeds the four state words from one long through SplitMix64, as the algorithm's authors recommend. */
    public Xoshiro256(long seed) {
        long x = seed;
        for (int i = 0; i < 4; i++) {
            x += 0x9E3779B97F4A7C15L;
            s[i] = mix64(x);
        }
    }

    private Xoshiro256(long[] state) {
        if (state.length != 4) {
            throw new IllegalArgumentException("xoshiro256 state has 4 words, got " + state.length);
        }
        if ((state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new IllegalArgumentException("xoshiro256 state must not be all zero");
        }
        System.arraycopy(state, 0, s, 0, 4);
    }

    /** A generator continuing from a saved {@link #state()}. */
    public static Xoshiro256 restore(long[] state) {
        return new Xoshiro256(state.clone());
    }

    /** A copy of the four state words. */
    public long[] state() {
        return s.clone();
    }

    /** SplitMix64's finaliser: a bijective scramble of 64 bits (also used to derive sub-seeds). */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        long result = Long.rotateLeft(s[1] * 5, 7) * 9;
        long t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = Long.rotateLeft(s[3], 45);
        return result;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound), without modulo bias (Lemire's rejection on the top 32 bits). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, was " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Fisher–Yates shuffle of {@code 0..n-1}. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    @Override
    public String toString() {
        return "Xoshiro256" + Arrays.toString(s);
    }
}
