package org.rsafe.trace;

import java.util.Locale;
import java.util.Optional;

/** The decision of a guard. UNKNOWN means the output held no usable answer (a parse failure). */
public enum Verdict {
    SAFE, UNSAFE, UNKNOWN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Maps an extracted answer ("safe"/"unsafe", any case, trimmed) to a verdict; anything else is UNKNOWN. */
    public static Verdict fromAnswer(String answer) {
        if (answer == null) {
            return UNKNOWN;
        }
        return switch (answer.trim().toLowerCase(Locale.ROOT)) {
            case "safe" -> SAFE;
            case "unsafe" -> UNSAFE;
            default -> UNKNOWN;
        };
    }

    public static Optional<Verdict> parseLabel(String label) {
        Verdict v = fromAnswer(label);
        return v == UNKNOWN ? Optional.empty() : Optional.of(v);
    }
}
