package org.rsafe.engine.quick;

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

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
