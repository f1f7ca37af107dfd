package org.rsafe.engine.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Cosine and sine tables of rotary position embeddings ("rotate half" layout), computed once up to a number
 * of positions and regrown by doubling when a longer sequence arrives.
 *
 * <p>Values are computed the way Hugging Face's Qwen2 does, in float32 step by step
 * ({@code inv_freq = 1 / θ^(2i/d)}, {@code angle = pos · inv_freq}, then cos/sin), so long positions carry the
 * same rounding as the reference implementation rather than a more exact but different one.
 *
 * <p>The sine table is stored with its first half negated: {@code rotate_half(x)·sin} then equals
 * {@code swap_halves(x)·sinSigned}, one fewer operation per projection.
 */
final class RotaryTables implements AutoCloseable {
    private final NDManager manager;   // owns only the two tables
    private final int headDim;
    private final float[] invFreq;     // [headDim/2]
    private final DataType dtype;
    private NDArray cos;               // [capacity, headDim]
    private NDArray sinSigned;         // [capacity, headDim], first half negated
    private int capacity;

    RotaryTables(NDManager parent, int headDim, double theta, DataType dtype, int initialPositions) {
        this.manager = parent.newSubManager();
        this.headDim = headDim;
        this.dtype = dtype;
        this.invFreq = inverseFrequencies(headDim, theta);
        build(Math.max(16, initialPositions));
    }

    /** HF: {@code 1.0 / (base ** (arange(0, d, 2).float() / d))}, each step in float32. */
    static float[] inverseFrequencies(int headDim, double theta) {
        int half = headDim / 2;
        float[] out = new float[half];
        for (int i = 0; i < half; i++) {
            float exponent = (float) (2 * i) / (float) headDim;
            float power = (float) Math.pow(theta, exponent);
            out[i] = 1.0f / power;
        }
        return out;
    }

    /** Makes the tables cover positions {@code 0 .. positions-1}. */
    void ensure(int positions) {
        if (positions > capacity) {
            build(Math.max(positions, capacity * 2));
        }
    }

    NDArray cos() {
        return cos;
    }

    NDArray sinSigned() {
        return sinSigned;
    }

    int capacity() {
        return capacity;
    }

    private void build(int positions) {
        int half = headDim / 2;
        float[] c = new float[positions * headDim];    // [positions, headDim]
        float[] s = new float[positions * headDim];    // [positions, headDim]
        for (int p = 0; p < positions; p++) {
            int row = p * headDim;
            for (int i = 0; i < half; i++) {
                float angle = (float) p * invFreq[i];
                float cv = (float) Math.cos(angle);
                float sv = (float) Math.sin(angle);
                c[row + i] = cv;
                c[row + half + i] = cv;
                s[row + i] = -sv;
                s[row + half + i] = sv;
            }
        }
        NDArray newCos = toDtype(manager.create(c, new Shape(positions, headDim)));
        NDArray newSin = toDtype(manager.create(s, new Shape(positions, headDim)));
        // The tables outlive whatever scope the caller may have open.
        NDScope.unregister(newCos, newSin);
        if (cos != null) {
            cos.close();
            sinSigned.close();
        }
        cos = newCos;
        sinSigned = newSin;
        capacity = positions;
    }

    private NDArray toDtype(NDArray f32) {
        if (dtype == DataType.FLOAT32) {
            return f32;
        }
        NDArray converted = f32.toType(dtype, false);
        f32.close();
        return converted;
    }

    @Override
    public void close() {
        manager.close();
    }
}
