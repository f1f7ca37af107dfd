package org.rsafe.train;

import java.util.List;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * Sampled completions laid out for the loss: token ids right-padded to a common width and the completion mask,
 * which is 1 for every token up to and including the first end-of-sequence token and 0 after it (and on padding).
 * A completion that never produced an end token was cut at {@code max_completion_length}: it is "truncated", and with
 * {@code mask_truncated_completions} its whole mask is 0, so an unfinished answer neither earns nor loses anything.
 *
 * @param ids       [batch, width] row-major, padding 0
 * @param mask      [batch, width] row-major, 1 or 0
 * @param lengths   tokens per completion up to and including its first end token (all tokens when truncated)
 * @param truncated whether each completion ended without an end token
 */
public record CompletionBatch(int batch, int width, long[] ids, float[] mask, int[] lengths, boolean[] truncated) {

    public CompletionBatch {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(mask, "mask");
        if (ids.length != (long) batch * width || mask.length != ids.length || lengths.length != batch
                || truncated.length != batch) {
            throw new IllegalArgumentException("inconsistent completion batch sizes");
        }
    }

    /**
     * Lays out completions as generated.
     *
     * @param completions   token ids per completion, each possibly ending with an end token and nothing after it
     * @param isEos         which ids end a completion
     * @param maskTruncated zero the mask of completions without an end token
     */
    public static CompletionBatch of(List<int[]> completions, IntPredicate isEos, boolean maskTruncated) {
        int b = completions.size();
        if (b == 0) {
            throw new IllegalArgumentException("no completions");
        }
        int width = 1;
        for (int[] c : completions) {
            width = Math.max(width, c.length);
        }
        long[] ids = new long[b * width];
        float[] mask = new float[b * width];
        int[] lengths = new int[b];
        boolean[] truncated = new boolean[b];
        for (int i = 0; i < b; i++) {
            int[] c = completions.get(i);
            int end = c.length;
            for (int t = 0; t < c.length; t++) {
                if (isEos.test(c[t])) {
                    end = t + 1;
                    break;
                }
            }
            truncated[i] = end == c.length && (c.length == 0 || !isEos.test(c[c.length - 1]));
            lengths[i] = end;
            boolean keep = !(maskTruncated && truncated[i]);
            for (int t = 0; t < c.length; t++) {
                ids[i * width + t] = c[t];
                if (keep && t < end) {
                    mask[i * width + t] = 1f;
                }
            }
        }
        return new CompletionBatch(b, width, ids, mask, lengths, truncated);
    }

    /** Tokens the loss counts (Σ mask). */
    public int activeTokens() {
        int n = 0;
        for (float m : mask) {
            n += m > 0 ? 1 : 0;
        }
        return n;
    }

    /** Mean tokens per completion up to the end token (TRL's {@code completions/mean_length}). */
    public double meanLength() {
        double s = 0;
        for (int l : lengths) {
            s += l;
        }
        return s / batch;
    }

    /** Share of completions that hit the length limit (TRL's {@code completions/clipped_ratio}). */
    public double truncatedRatio() {
        int n = 0;
        for (boolean t : truncated) {
            n += t ? 1 : 0;
        }
        return (double) n / batch;
    }

    /** Rows {@code from..to-1} as their own batch (a micro-batch), keeping the width. */
    public CompletionBatch rows(int from, int to) {
        int n = to - from;
        long[] i = new long[n * width];
        float[] m = new float[n * width];
        System.arraycopy(ids, from * width, i, 0, n * width);
        System.arraycopy(mask, from * width, m, 0, n * width);
        int[] l = java.util.Arrays.copyOfRange(lengths, from, to);
        boolean[] t = java.util.Arrays.copyOfRange(truncated, from, to);
        return new CompletionBatch(n, width, i, m, l, t);
    }
}
