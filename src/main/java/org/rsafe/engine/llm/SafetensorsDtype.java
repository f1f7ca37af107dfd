package org.rsafe.engine.llm;

import java.util.Locale;
import java.util.Optional;

/** The element types of the safetensors format, with their byte widths. */
public enum SafetensorsDtype {
    BOOL(1), U8(1), I8(1), I16(2), U16(2), F16(2), BF16(2), I32(4), U32(4), F32(4), F64(8), I64(8), U64(8);

    private final int size;

    SafetensorsDtype(int size) {
        this.size = size;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** True for the types this project widens to float32 when reading weights. */
    public boolean isFloat() {
        return this == F16 || this == BF16 || this == F32 || this == F64;
    }

    /** The dtype named exactly as in a safetensors header ("BF16"), if it is one. */
    public static Optional<SafetensorsDtype> parse(String name) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** Types the safetensors format defines that have no constant here: 8-, 6- and 4-bit floats, complex numbers. */
    private static final java.util.Set<String> KNOWN_UNSUPPORTED = java.util.Set.of("F8_E4M3", "F8_E5M2", "F8_E8M0",
            "F8_E4M3FNUZ", "F8_E5M2FNUZ", "F6_E2M3", "F6_E3M2", "F4", "C64");

    /** True for a dtype name the safetensors format defines but this project cannot read (say "unsupported"). */
    public static boolean isKnownUnsupported(String name) {
        return KNOWN_UNSUPPORTED.contains(name);
    }

    /** The config.json spelling of a stored float type ("bfloat16"), used in torch_dtype. */
    public String torchName() {
        return switch (this) {
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            case F32 -> "float32";
            case F64 -> "float64";
            default -> name().toLowerCase(Locale.ROOT);
        };
    }
}
