package org.rsafe.engine.quick;

import java.util.List;

/** Small vector helpers for unit-length float vectors. */
final class Vectors {
    private Vectors() { }

    /** Scales {@code v} to unit length in place and returns it; a zero vector stays zero. */
    static float[] normalize(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        if (s > 0) {
            float inv = (float) (1.0 / Math.sqrt(s));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
        return v;
    }

    /**
     * Dot products of {@code v} with every row of a matrix given transposed (column {@code r} of
     * {@code transposed} is row {@code r}). Written as one multiply-add sweep per dimension over all rows,
     * a loop without a running sum, which the JIT turns into SIMD instructions; a dot product per row
     * would be several times slower.
     */
    static void dotRowsTransposed(float[] v, float[] transposed, int rows, float[] out) {
        java.util.Arrays.fill(out, 0, rows, 0f);
        for (int i = 0; i < v.length; i++) {
            float vi = v[i];
            int base = i * rows;
            for (int r = 0; r < rows; r++) {
                out[r] += vi * transposed[base + r];
            }
        }
    }

    /** Rows stacked into one matrix, transposed: element (d, r) is {@code rows.get(r)[d]}. */
    static float[] stackTransposed(List<float[]> rows) {
        int d = SentenceEncoder.DIMENSION;
        int n = rows.size();
        float[] m = new float[d * n];
        for (int r = 0; r < n; r++) {
            float[] row = rows.get(r);
            for (int i = 0; i < d; i++) {
                m[i * n + r] = row[i];
            }
        }
        return m;
    }

    /** Dot product; four running sums let the CPU overlap the multiply-adds (scoring is dot-bound). */
    static double dot(float[] a, float[] b) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int n = a.length;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < n; i++) {
            s0 += a[i] * b[i];
        }
        return (double) s0 + s1 + s2 + s3;
    }
}
