package org.coea.model.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FloatBitsTest {

    @ParameterizedTest(name = "half 0x{0} = {1}")
    @CsvSource({
        "3C00, 1.0",
        "C100, -2.5",
        "C000, -2.0",
        "7BFF, 65504.0",
        "3555, 0.333251953125",
        "2E66, 0.0999755859375",
        // smallest subnormal 2^-24, largest subnormal 1023 * 2^-24, smallest normal 2^-14
        "0001, 5.9604644775390625E-8",
        "03FF, 6.0975551605224609375E-5",
        "0400, 6.103515625E-5",
        "8001, -5.9604644775390625E-8",
        "0000, 0.0",
        "7C00, Infinity",
        "FC00, -Infinity"
    })
    void halfDecodesToHandComputedValues(String hex, double expected) {
        float value = FloatBits.halfToFloat((short) Integer.parseInt(hex, 16));
        assertThat((double) value).as("half 0x%s", hex).isEqualTo(expected);
    }

    @Test
    void halfSpecialsKeepSignAndNaN() {
        assertThat(Float.floatToRawIntBits(FloatBits.halfToFloat((short) 0x8000)))
                .as("-0.0")
                .isEqualTo(0x80000000);
        assertThat(FloatBits.halfToFloat((short) 0x7E00)).isNaN();
        assertThat(FloatBits.halfToFloat((short) 0x7C01)).as("signalling NaN").isNaN();
        assertThat(FloatBits.halfToFloat((short) 0xFE00)).isNaN();
    }

    /** Every half against the textbook formula evaluated in double arithmetic. */
    @Test
    void everyHalfMatchesTheDefinitionOfBinary16() {
        for (int bits = 0; bits < 0x10000; bits++) {
            int sign = bits >>> 15;
            int exponent = (bits >>> 10) & 0x1f;
            int mantissa = bits & 0x3ff;
            float actual = FloatBits.halfToFloat((short) bits);
            if (exponent == 0x1f) {
                assertThat(Float.isNaN(actual))
                        .as("0x%04x NaN-ness", bits)
                        .isEqualTo(mantissa != 0);
                if (mantissa == 0) {
                    assertThat(actual)
                            .isEqualTo(
                                    sign == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY);
                }
                continue;
            }
            double magnitude =
                    exponent == 0
                            ? mantissa * Math.pow(2, -24)
                            : (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
            double expected = sign == 0 ? magnitude : -magnitude;
            assertThat((double) actual).as("0x%04x", bits).isEqualTo(expected);
            assertThat(Math.copySign(1.0, actual))
                    .as("sign of 0x%04x", bits)
                    .isEqualTo(sign == 0 ? 1.0 : -1.0);
        }
    }

    @Test
    void everyHalfRoundTripsThroughFloat() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float value = FloatBits.halfToFloat((short) bits);
            int back = FloatBits.floatToHalf(value) & 0xffff;
            if (Float.isNaN(value)) {
                assertThat(Float.isNaN(FloatBits.halfToFloat((short) back)))
                        .as("NaN 0x%04x stays NaN (got 0x%04x)", bits, back)
                        .isTrue();
                assertThat(back & 0x8000).as("sign of NaN 0x%04x", bits).isEqualTo(bits & 0x8000);
            } else {
                assertThat(back).as("0x%04x", bits).isEqualTo(bits);
            }
        }
    }

    @ParameterizedTest(name = "{0} -> half 0x{1}")
    @CsvSource({
        // 1 + 2^-11 lies halfway between 1 (even) and 1 + 2^-10 (odd): ties to even, down
        "1.00048828125, 3C00",
        // 1 + 3 * 2^-11 lies halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even): up
        "1.00146484375, 3C02",
        // above the first halfway point (nearer 1 + 2^-10 than 1): up
        "1.0005, 3C01",
        "65519.0, 7BFF",
        // 65520 is halfway between 65504 (odd mantissa) and 2^16: rounds to infinity
        "65520.0, 7C00",
        "1.0E6, 7C00",
        "-1.0E6, FC00",
        // 2^-25 is halfway between 0 and the smallest subnormal: ties to even, zero
        "2.98023223876953125E-8, 0000",
        // 3 * 2^-25 is halfway between 1 and 2 units of 2^-24: ties to even, 2
        "8.94069671630859375E-8, 0002",
        // 5 * 2^-25 is halfway between 2 and 3 units: 2
        "1.490116119384765625E-7, 0002",
        // (1023.5) * 2^-24 is halfway between the largest subnormal (odd) and 2^-14: up
        "6.100535392761230469E-5, 0400",
        "0.1, 2E66",
        "1.0E-10, 0000",
        "-2.5, C100"
    })
    void floatRoundsToNearestEvenHalf(float value, String hex) {
        assertThat(FloatBits.floatToHalf(value) & 0xffff)
                .as("%s", value)
                .isEqualTo(Integer.parseInt(hex, 16));
    }

    @Test
    void justAboveTheSubnormalTieRoundsUp() {
        float aboveTie = Math.nextUp((float) Math.pow(2, -25));
        assertThat(FloatBits.floatToHalf(aboveTie)).isEqualTo((short) 0x0001);
        assertThat(FloatBits.floatToHalf(Math.nextUp(1.00048828125f))).isEqualTo((short) 0x3C01);
        assertThat(FloatBits.floatToHalf(Math.nextDown(65520f))).isEqualTo((short) 0x7BFF);
        assertThat(FloatBits.floatToHalf(Float.MIN_VALUE)).isEqualTo((short) 0);
        assertThat(FloatBits.floatToHalf(-0.0f)).isEqualTo((short) 0x8000);
        assertThat(FloatBits.floatToHalf(Float.NaN) & 0x7c00).isEqualTo(0x7c00);
        assertThat(FloatBits.halfToFloat(FloatBits.floatToHalf(Float.NaN))).isNaN();
        // a float NaN whose payload sits only in bits a half drops must not become infinity
        float lowPayloadNaN = Float.intBitsToFloat(0x7f800001);
        assertThat(FloatBits.halfToFloat(FloatBits.floatToHalf(lowPayloadNaN))).isNaN();
    }

    /**
     * Random floats of every magnitude against a brute-force search over the sorted table of all
     * finite halves: the nearest one, ties to the even bit pattern, beyond 65520 infinity.
     */
    @Test
    void floatToHalfPicksTheNearestHalfForRandomFloats() {
        double[] table = new double[0x7c00];
        for (int bits = 0; bits < 0x7c00; bits++) {
            table[bits] = FloatBits.halfToFloat((short) bits);
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 300_000; i++) {
            float value;
            if (i % 2 == 0) {
                value = Float.intBitsToFloat(random.nextInt(0x30000000, 0x47900000));
            } else {
                // near half values, where rounding decides
                double half = table[random.nextInt(0x7c00)];
                value = (float) (half * (1 + (random.nextDouble() - 0.5) * 0x1p-9));
            }
            int expected = nearestHalf(table, value);
            assertThat(FloatBits.floatToHalf(value) & 0xffff)
                    .as("%s (0x%08x)", value, Float.floatToRawIntBits(value))
                    .isEqualTo(expected);
        }
    }

    private static int nearestHalf(double[] table, float value) {
        double x = value;
        if (x >= 65520.0) {
            return 0x7c00;
        }
        int at = Arrays.binarySearch(table, x);
        if (at >= 0) {
            return at;
        }
        int above = -at - 1;
        if (above == table.length) {
            return table.length - 1;
        }
        int below = above - 1;
        double down = x - table[below];
        double up = table[above] - x;
        if (down < up) {
            return below;
        }
        if (up < down) {
            return above;
        }
        return (below & 1) == 0 ? below : above;
    }

    @ParameterizedTest(name = "bf16 0x{0} = {1}")
    @CsvSource({
        "3F80, 1.0",
        "C020, -2.5",
        "4049, 3.140625",
        "7F7F, 3.3895313892515355E38",
        // smallest subnormal bf16: float bits 0x00010000 = 2^-133
        "0001, 9.183549615799121E-41",
        "7F80, Infinity",
        "FF80, -Infinity",
        "0000, 0.0"
    })
    void bf16DecodesToHandComputedValues(String hex, double expected) {
        float value = FloatBits.bf16ToFloat((short) Integer.parseInt(hex, 16));
        assertThat((double) value).as("bf16 0x%s", hex).isEqualTo(expected);
    }

    @ParameterizedTest(name = "float bits 0x{0} -> bf16 0x{1}")
    @CsvSource({
        // halfway, even below: down
        "3F808000, 3F80",
        // halfway, odd below: up
        "3F818000, 3F82",
        "3F808001, 3F81",
        "3F807FFF, 3F80",
        "BF808000, BF80",
        // rounding carries into the exponent
        "3FFF8000, 4000",
        // the largest float rounds up to infinity, as PyTorch's .bfloat16() does
        "7F7FFFFF, 7F80",
        "7F800000, 7F80",
        "80000000, 8000"
    })
    void floatRoundsToNearestEvenBf16(String floatHex, String bf16Hex) {
        float value = Float.intBitsToFloat(Integer.parseUnsignedInt(floatHex, 16));
        assertThat(FloatBits.floatToBf16(value) & 0xffff)
                .as("0x%s", floatHex)
                .isEqualTo(Integer.parseInt(bf16Hex, 16));
    }

    @Test
    void bf16NaNStaysNaN() {
        assertThat(FloatBits.bf16ToFloat((short) 0x7FC0)).isNaN();
        assertThat(FloatBits.bf16ToFloat(FloatBits.floatToBf16(Float.NaN))).isNaN();
        // payload only in the low 16 bits, which a plain truncation would turn into infinity
        float lowPayloadNaN = Float.intBitsToFloat(0xff800001);
        short bf16 = FloatBits.floatToBf16(lowPayloadNaN);
        assertThat(FloatBits.bf16ToFloat(bf16)).isNaN();
        assertThat(bf16 & 0x8000).isEqualTo(0x8000);
    }

    @Test
    void everyBf16RoundTripsThroughFloat() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float value = FloatBits.bf16ToFloat((short) bits);
            assertThat(Float.floatToRawIntBits(value)).isEqualTo(bits << 16);
            int back = FloatBits.floatToBf16(value) & 0xffff;
            if (Float.isNaN(value)) {
                assertThat(Float.isNaN(FloatBits.bf16ToFloat((short) back)))
                        .as("0x%04x", bits)
                        .isTrue();
            } else {
                assertThat(back).as("0x%04x", bits).isEqualTo(bits);
            }
        }
    }
}
