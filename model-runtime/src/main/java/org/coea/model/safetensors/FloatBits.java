package org.coea.model.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * IEEE binary16 and bfloat16 conversions done in Java, because the PyTorch engine aborts the JVM on
 * bf16 arrays and {@code Float.float16ToFloat} needs Java 20. Float-to-narrow conversions round to
 * nearest, ties to even, as PyTorch's {@code .half()} and {@code .bfloat16()} do.
 */
final class FloatBits {
    private FloatBits() {}

    /** The float an IEEE half (binary16) bit pattern stands for; exact, NaN payloads kept. */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24, exact in float
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        // rebias the exponent from 15 to 127
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** The nearest IEEE half (ties to even); overflow gives infinity, NaN stays NaN. */
    static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x7f800000) {
            if (abs == 0x7f800000) {
                return (short) (sign | 0x7c00);
            }
            int payload = (abs >>> 13) & 0x3ff;
            return (short) (sign | 0x7c00 | (payload == 0 ? 0x200 : payload));
        }
        if (abs >= 0x477ff000) {
            // at or above 65520, halfway between 65504 and 2^16: rounds to infinity
            return (short) (sign | 0x7c00);
        }
        if (abs >= 0x38800000) {
            // normal half: rebias the exponent and round the 13 dropped mantissa bits; a carry
            // into the exponent is the correct result
            int rebiased = abs - 0x38000000;
            int half = rebiased >>> 13;
            int rest = rebiased & 0x1fff;
            if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        if (abs < 0x33000000) {
            // below 2^-25, half of the smallest subnormal: rounds to zero
            return (short) sign;
        }
        // subnormal half: count units of 2^-24, rounding the dropped bits; 0x400 is the smallest
        // normal, again the correct encoding
        int exponent = abs >>> 23;
        int mantissa = (abs & 0x7fffff) | 0x800000;
        int shift = 126 - exponent;
        int units = mantissa >>> shift;
        int rest = mantissa & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (units & 1) != 0)) {
            units++;
        }
        return (short) (sign | units);
    }

    /** The float a bfloat16 bit pattern stands for: its bits are the float's top 16. */
    static float bf16ToFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xffff) << 16);
    }

    /** The nearest bfloat16 (ties to even); NaN stays NaN (quieted), overflow gives infinity. */
    static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /**
     * Decodes all elements of {@code raw} (little-endian {@code dtype} data, position to limit)
     * into {@code out} as floats; F64 narrows to the nearest float.
     */
    static void decode(SafetensorsDtype dtype, ByteBuffer raw, FloatBuffer out) {
        ByteBuffer in = raw.slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> out.put(in.asFloatBuffer());
            case F16 -> {
                ShortBuffer halves = in.asShortBuffer();
                for (int i = 0, n = halves.remaining(); i < n; i++) {
                    out.put(halfToFloat(halves.get(i)));
                }
            }
            case BF16 -> {
                ShortBuffer halves = in.asShortBuffer();
                for (int i = 0, n = halves.remaining(); i < n; i++) {
                    out.put(bf16ToFloat(halves.get(i)));
                }
            }
            case F64 -> {
                var doubles = in.asDoubleBuffer();
                for (int i = 0, n = doubles.remaining(); i < n; i++) {
                    out.put((float) doubles.get(i));
                }
            }
            default -> throw new IllegalArgumentException("not a float type: " + dtype);
        }
    }

    /**
     * Decodes all elements of {@code raw} into IEEE halves in {@code out}: F16 is copied, the
     * others round to nearest even (F64 through float).
     */
    static void decodeToHalves(SafetensorsDtype dtype, ByteBuffer raw, ShortBuffer out) {
        ByteBuffer in = raw.slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F16 -> out.put(in.asShortBuffer());
            case F32 -> {
                FloatBuffer floats = in.asFloatBuffer();
                for (int i = 0, n = floats.remaining(); i < n; i++) {
                    out.put(floatToHalf(floats.get(i)));
                }
            }
            case BF16 -> {
                ShortBuffer bf16 = in.asShortBuffer();
                for (int i = 0, n = bf16.remaining(); i < n; i++) {
                    out.put(floatToHalf(bf16ToFloat(bf16.get(i))));
                }
            }
            case F64 -> {
                var doubles = in.asDoubleBuffer();
                for (int i = 0, n = doubles.remaining(); i < n; i++) {
                    out.put(floatToHalf((float) doubles.get(i)));
                }
            }
            default -> throw new IllegalArgumentException("not a float type: " + dtype);
        }
    }

    /** Encodes {@code values[from, to)} as little-endian {@code dtype} into {@code out}. */
    static void encode(float[] values, int from, int to, SafetensorsDtype dtype, ByteBuffer out) {
        ByteBuffer le = out.order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> {
                for (int i = from; i < to; i++) {
                    le.putFloat(values[i]);
                }
            }
            case F16 -> {
                for (int i = from; i < to; i++) {
                    le.putShort(floatToHalf(values[i]));
                }
            }
            case BF16 -> {
                for (int i = from; i < to; i++) {
                    le.putShort(floatToBf16(values[i]));
                }
            }
            case F64 -> {
                for (int i = from; i < to; i++) {
                    le.putDouble(values[i]);
                }
            }
            default -> throw new IllegalArgumentException("floats cannot be written as " + dtype);
        }
    }
}
