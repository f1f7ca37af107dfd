package org.rsafe.engine.gguf;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.rsafe.util.FloatFormats;

/**
 * The ggml tensor types this project writes and reads, with llama.cpp's block layouts: F32, F16, and the block
 * quantisations Q8_0 (32 values: an f16 scale and 32 signed bytes) and Q4_0 (32 values: an f16 scale and 16
 * bytes of packed 4-bit values). The encoders follow ggml's reference rows ({@code quantize_row_q8_0_ref},
 * {@code quantize_row_q4_0_ref}), so a file written here holds the bytes llama.cpp's own quantiser would write.
 */
public enum GgufType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q8_0(8, 32, 34);

    /** Values per quantisation block. */
    public static final int QK = 32;

    private final int id;
    private final int blockValues;
    private final int blockBytes;

    GgufType(int id, int blockValues, int blockBytes) {
        this.id = id;
        this.blockValues = blockValues;
        this.blockBytes = blockBytes;
    }

    /** The ggml_type number stored in a tensor info. */
    public int id() {
        return id;
    }

    public int blockValues() {
        return blockValues;
    }

    public static Optional<GgufType> ofId(int id) {
        for (GgufType t : values()) {
            if (t.id == id) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** True when a row of {@code rowLength} values can be stored in this type (whole blocks only). */
    public boolean fitsRow(long rowLength) {
        return rowLength % blockValues == 0;
    }

    /** How many values a tensor of {@code shape} holds: the product of its dimensions. */
    static long elementCount(java.util.List<Long> shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Bytes of {@code count} values; {@code count} must be a whole number of blocks. */
    public long byteSize(long count) {
        if (count % blockValues != 0) {
            throw new IllegalArgumentException(count + " values are not whole " + name() + " blocks of " + blockValues);
        }
        return count / blockValues * blockBytes;
    }

    /**
     * Encodes {@code count} values of {@code src} from {@code offset} into {@code dst} (little-endian);
     * {@code count} must be a whole number of blocks.
     */
    public void encode(float[] src, int offset, int count, ByteBuffer dst) {
        switch (this) {
            case F32 -> {
                for (int i = 0; i < count; i++) {
                    dst.putFloat(src[offset + i]);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst.putShort(FloatFormats.floatToHalf(src[offset + i]));
                }
            }
            case Q8_0 -> {
                for (int b = offset; b < offset + count; b += QK) {
                    encodeQ8Block(src, b, dst);
                }
            }
            case Q4_0 -> {
                for (int b = offset; b < offset + count; b += QK) {
                    encodeQ4Block(src, b, dst);
                }
            }
            default -> throw new IllegalStateException(name());
        }
    }

    /** Decodes {@code count} values from {@code src} (little-endian) into {@code dst} from {@code offset}. */
    public void decode(ByteBuffer src, float[] dst, int offset, int count) {
        switch (this) {
            case F32 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = src.getFloat();
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = FloatFormats.halfToFloat(src.getShort());
                }
            }
            case Q8_0 -> {
                for (int b = offset; b < offset + count; b += QK) {
                    float d = FloatFormats.halfToFloat(src.getShort());
                    for (int j = 0; j < QK; j++) {
                        dst[b + j] = d * src.get();
                    }
                }
            }
            case Q4_0 -> {
                for (int b = offset; b < offset + count; b += QK) {
                    float d = FloatFormats.halfToFloat(src.getShort());
                    for (int j = 0; j < QK / 2; j++) {
                        int q = src.get() & 0xFF;
                        dst[b + j] = d * ((q & 0x0F) - 8);
                        dst[b + j + QK / 2] = d * ((q >>> 4) - 8);
                    }
                }
            }
            default -> throw new IllegalStateException(name());
        }
    }

    /** Symmetric 8-bit block: scale = max|x| / 127, values rounded half away from zero (C's roundf). */
    private static void encodeQ8Block(float[] x, int start, ByteBuffer dst) {
        float amax = 0;
        for (int j = 0; j < QK; j++) {
            amax = Math.max(amax, Math.abs(x[start + j]));
        }
        float d = amax / 127f;
        float id = d != 0 ? 1f / d : 0f;
        dst.putShort(FloatFormats.floatToHalf(d));
        for (int j = 0; j < QK; j++) {
            dst.put((byte) roundHalfAway(x[start + j] * id));
        }
    }

    /**
     * 4-bit block: the value of largest magnitude (with its sign) maps to -8, so scale = max / -8; each value
     * becomes min(15, trunc(x / scale + 8.5)); two values share a byte, the first half in the low nibbles.
     */
    private static void encodeQ4Block(float[] x, int start, ByteBuffer dst) {
        float amax = 0;
        float max = 0;
        for (int j = 0; j < QK; j++) {
            float v = x[start + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -8f;
        float id = d != 0 ? 1f / d : 0f;
        dst.putShort(FloatFormats.floatToHalf(d));
        for (int j = 0; j < QK / 2; j++) {
            int lo = Math.min(15, (int) (x[start + j] * id + 8.5f));
            int hi = Math.min(15, (int) (x[start + j + QK / 2] * id + 8.5f));
            dst.put((byte) (lo | (hi << 4)));
        }
    }

    private static int roundHalfAway(float v) {
        return (int) Math.copySign(Math.floor(Math.abs(v) + 0.5), v);
    }
}
