package org.rsafe.engine.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of every layer for a batch of sequences, preallocated so that decoding writes one slot
 * per token in place instead of concatenating (which would copy the whole cache every token). A sequence
 * that outgrows the capacity doubles it: one copy per doubling, so the copying is amortised constant per
 * token.
 *
 * <p>Slots are shared by the batch: slot {@code s} of every row holds the token fed at step {@code s}. Rows
 * shorter than the longest prompt are left-padded; {@link #padding(int)} says how many leading slots of a row
 * are padding, which the attention mask hides and the position ids skip.
 *
 * <p>The arrays live in their own sub-manager of the model's manager, closed by {@link #close()}; they are the
 * only per-sequence native memory that survives a decode step. Not thread-safe.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;   // owns exactly the 2 × layers cache arrays
    private final NDArray[] keys;      // per layer [batch, kvHeads, capacity, headDim], RoPE applied
    private final NDArray[] values;    // per layer [batch, kvHeads, capacity, headDim]
    private final int[] padding;       // per row: leading slots that are padding
    private final int kvHeads;
    private final int headDim;
    private final DataType dtype;
    private int capacity;
    private int length;

    KvCache(NDManager parent, ModelConfig config, DataType dtype, int[] leftPadding, int capacity) {
        if (leftPadding.length == 0) {
            throw new IllegalArgumentException("a cache needs at least one row");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.manager = parent.newSubManager();
        this.padding = leftPadding.clone();
        this.kvHeads = config.numKvHeads();
        this.headDim = config.headDim();
        this.dtype = dtype;
        this.keys = new NDArray[config.numLayers()];
        this.values = new NDArray[config.numLayers()];
        this.capacity = capacity;
        for (int l = 0; l < keys.length; l++) {
            keys[l] = allocate(capacity);
            values[l] = allocate(capacity);
        }
    }

    public int batchSize() {
        return padding.length;
    }

    /** Slots filled so far (the same for every row). */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    /** Leading padding slots of a row. */
    public int padding(int row) {
        return padding[row];
    }

    /** Whether any row is padded (decode steps then need a mask). */
    boolean anyPadding() {
        for (int p : padding) {
            if (p > 0) {
                return true;
            }
        }
        return false;
    }

    /** Native arrays this cache holds (for leak checks): two per layer. */
    public int liveArrays() {
        return manager.getManagedArrays().size();
    }

    /** Grows the capacity to at least {@code slots} by doubling, copying the filled part once. */
    void ensureCapacity(int slots) {
        if (slots <= capacity) {
            return;
        }
        int newCapacity = Math.max(slots, capacity * 2);
        try (NDScope scope = new NDScope()) {
            NDIndex filled = new NDIndex(":, :, 0:{}", length);
            for (int l = 0; l < keys.length; l++) {
                keys[l] = regrow(keys[l], newCapacity, filled);
                values[l] = regrow(values[l], newCapacity, filled);
            }
            scope.suppressNotUsedWarning();
        }
        capacity = newCapacity;
    }

    private NDArray regrow(NDArray old, int newCapacity, NDIndex filled) {
        NDArray grown = allocate(newCapacity);
        if (length > 0) {
            grown.set(filled, old.get(filled));
        }
        old.close();
        return grown;
    }

    /** Writes keys and values {@code [batch, kvHeads, T, headDim]} into slots {@code length .. length+T-1}. */
    void write(int layer, NDArray k, NDArray v) {
        int t = (int) k.getShape().get(2);
        NDIndex slots = new NDIndex(":, :, {}:{}", length, length + t);
        keys[layer].set(slots, k);
        values[layer].set(slots, v);
    }

    /** Keys of slots {@code 0 .. upTo-1}: a view {@code [batch, kvHeads, upTo, headDim]}, no copy. */
    NDArray keys(int layer, int upTo) {
        return keys[layer].get(new NDIndex(":, :, 0:{}", upTo));
    }

    /** Values of slots {@code 0 .. upTo-1}: a view {@code [batch, kvHeads, upTo, headDim]}. */
    NDArray values(int layer, int upTo) {
        return values[layer].get(new NDIndex(":, :, 0:{}", upTo));
    }

    /** Marks {@code t} more slots as filled, after every layer wrote them. */
    void advance(int t) {
        length += t;
    }

    private NDArray allocate(int slots) {
        NDArray a = manager.zeros(new Shape(padding.length, kvHeads, slots, headDim), dtype);
        // The cache outlives any scope open while it is created or grown.
        NDScope.unregister(a);
        return a;
    }

    @Override
    public void close() {
        manager.close();
    }
}
