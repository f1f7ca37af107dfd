package org.rsafe.util;

/**
 * Bit-exact conversions between float32 and the 16-bit formats stored in checkpoints (IEEE half and
 * bfloat16); Java 17 has neither {@code Float.float16ToFloat} nor a bfloat16 type.
 */
public final class FloatFormats {
    private FloatFormats() { }

    /** bfloat16 is the top half of a float32, so widening is a shift. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /**
     * Rounds to the nearest bfloat16, ties to even (the formula PyTorch uses). NaN is kept a quiet NaN with
     * its sign, because the rounding add could otherwise carry a NaN payload into infinity.
     */
    public static short floatToBf16(float value) {
        int b = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) (((b >>> 16) & 0x8000) | 0x7FC0);
        }
        return (short) ((b + 0x7FFF + ((b >>> 16) & 1)) >>> 16);
    }

    /** IEEE 754 binary16 to float32; exact for every input including subnormals, infinities and NaN. */
    public static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            // Infinity or NaN: keep the payload in the top mantissa bits.
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            // Subnormal half: value = mant * 2^-24, exactly representable as a normal float.
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /**
     * float32 to IEEE binary16, rounding to nearest even; values beyond the half range become infinity and
     * tiny values become (signed) subnormals or zero, as a hardware conversion would.
     */
    public static short floatToHalf(float value) {
        int f = Float.floatToRawIntBits(value);
        int sign = (f >>> 16) & 0x8000;
        int exp = (f >>> 23) & 0xFF;
        int mant = f & 0x7FFFFF;
        if (exp == 0xFF) {
            if (mant == 0) {
                return (short) (sign | 0x7C00);
            }
            return (short) (sign | 0x7E00 | (mant >>> 13));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) {
            if (e < -10) {
                // Below half the smallest subnormal: rounds to zero.
                return (short) sign;
            }
            // Subnormal result: shift the full significand (with the implicit 1) into place, rounding to even.
            int m = mant | 0x800000;
            int shift = 14 - e;
            int half = m >>> shift;
            int rest = m & ((1 << shift) - 1);
            int midpoint = 1 << (shift - 1);
            if (rest > midpoint || (rest == midpoint && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rest = mant & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            // A carry out of the mantissa correctly bumps the exponent, up to infinity.
            half++;
        }
        return (short) (sign | half);
    }
}
