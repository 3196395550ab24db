package org.coea.model.safetensors;

import java.util.Optional;

/** The element types a safetensors header names in {@code "dtype"}, with their sizes in bytes. */
public enum SafetensorsDtype {
    BOOL(1),
    U8(1),
    I8(1),
    F8_E5M2(1),
    F8_E4M3(1),
    I16(2),
    U16(2),
    F16(2),
    BF16(2),
    I32(4),
    U32(4),
    F32(4),
    F64(8),
    I64(8),
    U64(8);

    private final int byteSize;

    SafetensorsDtype(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether {@link SafetensorsSource#readFloat32} can decode this type (F64, F32, F16, BF16). */
    public boolean isDecodableFloat() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /** The type a header spells {@code text}, exactly as written (case-sensitive), if any. */
    public static Optional<SafetensorsDtype> parse(String text) {
        for (SafetensorsDtype dtype : values()) {
            if (dtype.name().equals(text)) {
                return Optional.of(dtype);
            }
        }
        return Optional.empty();
    }
}
