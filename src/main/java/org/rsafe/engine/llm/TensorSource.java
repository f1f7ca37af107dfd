package org.rsafe.engine.llm;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Set;

/**
 * Named weight tensors of a model folder, read as float32 whatever their stored dtype (BF16 and F16 are
 * widened in Java, so no BF16 array ever reaches native code). Implementations read through memory maps
 * and may be shared by several readers; {@link #close()} releases the maps.
 */
public interface TensorSource extends AutoCloseable {

    /** Stored dtype and shape of one tensor, and the file it lives in. */
    record TensorInfo(String name, String dtype, List<Long> shape, String file) {
        public long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    Set<String> names();

    /** Throws {@link org.rsafe.util.UserException} naming the tensor and folder when it is absent. */
    TensorInfo info(String name);

    /** The tensor's values as float32, row-major. */
    float[] readFloats(String name);

    /**
     * Writes the tensor's float32 values, row-major, into {@code dst} starting at its position and advances
     * the position by the element count. Throws IllegalArgumentException when {@code dst} has too little
     * room. The default copies through {@link #readFloats(String)}; memory-mapped sources convert in place.
     */
    default void readInto(String name, FloatBuffer dst) {
        long n = info(name).elementCount();
        if (dst.remaining() < n) {
            throw new IllegalArgumentException("buffer has room for " + dst.remaining() + " floats, tensor "
                    + name + " has " + n);
        }
        dst.put(readFloats(name));
    }

    @Override
    void close();
}
