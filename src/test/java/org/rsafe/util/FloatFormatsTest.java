package org.rsafe.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FloatFormatsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            # float bits, bf16 bits: exact, ties to even (down and up), carry into the exponent, overflow, signs
            0x3F800000, 0x3F80
            0x3F808000, 0x3F80
            0x3F818000, 0x3F82
            0x3F808001, 0x3F81
            0x3F80FFFF, 0x3F81
            0x3FFFFFFF, 0x4000
            0x7F7FFFFF, 0x7F80
            0xBF808000, 0xBF80
            0x00000001, 0x0000
            0x80000000, 0x8000
            0x7F800000, 0x7F80
            0xFF800000, 0xFF80
            """)
    void bf16RoundsToNearestEvenByTheTorchFormula(String floatBits, String bf16Bits) {
        int f = Integer.parseUnsignedInt(floatBits.substring(2), 16);
        short expected = (short) Integer.parseInt(bf16Bits.substring(2), 16);
        assertThat(FloatFormats.floatToBf16(Float.intBitsToFloat(f))).isEqualTo(expected);
    }

    @Test
    void bf16KeepsNaNANaNWhateverItsPayload() {
        // 0x7FFFFFFF would round into the sign bit and 0x7F80FFFF into infinity with the plain formula.
        for (int bits : new int[] {0x7FC00000, 0x7FFFFFFF, 0x7F80FFFF, 0xFFC00001, 0x7F800001}) {
            float back = FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(Float.intBitsToFloat(bits)));
            assertThat(back).as("0x%08X", bits).isNaN();
            assertThat(Math.copySign(1f, back)).isEqualTo(Math.copySign(1f, Float.intBitsToFloat(bits)));
        }
    }

    @Property
    void bf16OfAFiniteFloatFollowsTheFormula(@ForAll float v) {
        if (Float.isNaN(v)) {
            return;
        }
        int b = Float.floatToRawIntBits(v);
        assertThat(FloatFormats.floatToBf16(v)).isEqualTo((short) ((b + 0x7FFF + ((b >>> 16) & 1)) >>> 16));
        assertThat(FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(v)))
                .isEqualTo(Float.intBitsToFloat(((b + 0x7FFF + ((b >>> 16) & 1)) >>> 16) << 16));
    }

    @Test
    void everyHalfValueSurvivesARoundTripThroughFloat() {
        for (int h = 0; h < 0x10000; h++) {
            float f = FloatFormats.halfToFloat((short) h);
            boolean nan = (h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0;
            if (nan) {
                assertThat(f).isNaN();
            } else {
                assertThat(FloatFormats.floatToHalf(f) & 0xFFFF).as("half 0x%04X", h).isEqualTo(h);
            }
        }
    }

    @Test
    void halfDecodesKnownValuesExactly() {
        assertThat(FloatFormats.halfToFloat((short) 0x3C00)).isEqualTo(1f);
        assertThat(FloatFormats.halfToFloat((short) 0xC000)).isEqualTo(-2f);
        assertThat(FloatFormats.halfToFloat((short) 0x7BFF)).isEqualTo(65504f);
        assertThat(FloatFormats.halfToFloat((short) 0x0001)).isEqualTo((float) Math.pow(2, -24));
        assertThat(FloatFormats.halfToFloat((short) 0x03FF)).isEqualTo((float) (1023 * Math.pow(2, -24)));
        assertThat(FloatFormats.halfToFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(FloatFormats.halfToFloat((short) 0x8000)).isEqualTo(-0f);
    }

    /** The half nearest to v (ties to the even mantissa), found by exact decimal comparison of neighbours. */
    @Property
    void halfOfAFloatIsTheNearestHalfTiesToEven(@ForAll float v) {
        if (Float.isNaN(v) || Float.isInfinite(v) || Math.abs(v) >= 65520f) {
            return;
        }
        int h = FloatFormats.floatToHalf(v) & 0xFFFF;
        BigDecimal exact = new BigDecimal(v);
        BigDecimal chosen = new BigDecimal(FloatFormats.halfToFloat((short) h));
        BigDecimal err = exact.subtract(chosen).abs();
        for (int n : new int[] {h - 1, h + 1}) {
            if (n < 0 || n > 0xFFFF || (n & 0x7C00) == 0x7C00 || (n ^ h) >= 0x8000) {
                continue;
            }
            BigDecimal other = exact.subtract(new BigDecimal(FloatFormats.halfToFloat((short) n))).abs();
            int cmp = err.compareTo(other);
            assertThat(cmp).as("v=%s half=0x%04X neighbour=0x%04X", v, h, n).isLessThanOrEqualTo(0);
            if (cmp == 0) {
                assertThat(h & 1).as("tie must go to even, v=%s", v).isZero();
            }
        }
    }

    @Test
    void floatsBeyondTheHalfRangeBecomeInfinity() {
        assertThat(FloatFormats.floatToHalf(65520f)).isEqualTo((short) 0x7C00);
        assertThat(FloatFormats.floatToHalf(-1e10f)).isEqualTo((short) 0xFC00);
        assertThat(FloatFormats.floatToHalf(65519f)).isEqualTo((short) 0x7BFF);
        assertThat(FloatFormats.floatToHalf(1e-9f)).isEqualTo((short) 0);
        assertThat(FloatFormats.halfToFloat(FloatFormats.floatToHalf(Float.NaN))).isNaN();
    }
}
