package org.rsafe.trace;

import java.util.Locale;
import java.util.Optional;

/**
 * The decision of a guard. UNKNOWN means the output held no usable answer (a parse failure). REVIEW means the engine
 * decided not to decide: the input sits between what the policy allows and what it forbids (the quick engine's REVIEW
 * band, docs/quick-engine.md). A model's own output never reads as REVIEW: {@link #fromAnswer} knows only safe and
 * unsafe.
 */
public enum Verdict {
    SAFE, UNSAFE, UNKNOWN, REVIEW;

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

    /**
     * Reads a verdict as the product stores it (results.jsonl, prediction files): "safe", "unsafe", "review", any
     * case; anything else is UNKNOWN.
     */
    public static Verdict fromStored(String stored) {
        if (stored != null && stored.trim().equalsIgnoreCase("review")) {
            return REVIEW;
        }
        return fromAnswer(stored);
    }

    /** Safe or unsafe: the engine made a decision (not REVIEW, not a parse failure). */
    public boolean decided() {
        return this == SAFE || this == UNSAFE;
    }

    public static Optional<Verdict> parseLabel(String label) {
        Verdict v = fromAnswer(label);
        return v == UNKNOWN ? Optional.empty() : Optional.of(v);
    }
}
