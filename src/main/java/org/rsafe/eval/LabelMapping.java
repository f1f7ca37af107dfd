package org.rsafe.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.rsafe.trace.Verdict;

/**
 * How the values of a label column (or a set of per-category flag columns) become SAFE / UNSAFE.
 *
 * <p>Values are compared after {@link #normalise}: trimmed, lower-cased, runs of spaces, '_' and '-' folded to one
 * space, and integral numbers written without a fraction ({@code "1.0"} becomes {@code "1"}). A number keeps its sign,
 * so {@code -1} is not {@code 1}: it is not understood unless the user's values name it.
 *
 * @param unsafeValues values that mean unsafe (normalised)
 * @param safeValues   values that mean safe (normalised)
 * @param inverted     for {@code is_safe}-like columns: the yes/no values (1/0, true/false, yes/no) swap meaning;
 *                     words such as "harmful" or "safe" keep theirs
 * @param flagColumns  when not empty, there is no label column: a row is unsafe when any of these columns holds a
 *                     true value (1/true/yes), and its categories are those columns
 * @param valueKey     when not null, the label cell holds {@code Key: value} lines and the value after the last
 *                     line starting with this key is the label (e.g. "Response" for "Request: None\nResponse: harmful")
 */
public record LabelMapping(Set<String> unsafeValues, Set<String> safeValues, boolean inverted,
                           List<String> flagColumns, String valueKey) {

    private static final Set<String> YES = Set.of("1", "true", "yes");
    private static final Set<String> NO = Set.of("0", "false", "no");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s_\\-]+");
    private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");

    /** Unsafe words and yes-values understood without flags. */
    public static final Set<String> DEFAULT_UNSAFE = orderedSet(List.of(
            "unsafe", "harmful", "toxic", "flagged", "violating", "violation", "not safe", "1", "true", "yes"));
    /** Safe words and no-values understood without flags. */
    public static final Set<String> DEFAULT_SAFE = orderedSet(List.of(
            "safe", "unharmful", "harmless", "not harmful", "non harmful", "benign", "non toxic", "nontoxic",
            "not toxic", "not flagged", "ok", "0", "false", "no"));

    public static final LabelMapping DEFAULT = new LabelMapping(DEFAULT_UNSAFE, DEFAULT_SAFE, false, List.of(), null);

    public LabelMapping {
        unsafeValues = normaliseAll(unsafeValues == null ? DEFAULT_UNSAFE : unsafeValues);
        safeValues = normaliseAll(safeValues == null ? DEFAULT_SAFE : safeValues);
        for (String v : unsafeValues) {
            if (safeValues.contains(v)) {
                throw new IllegalArgumentException("label value '" + v + "' is listed as both unsafe and safe");
            }
        }
        if (unsafeValues.isEmpty() || safeValues.isEmpty()) {
            throw new IllegalArgumentException("a label mapping needs at least one unsafe and one safe value");
        }
        flagColumns = flagColumns == null ? List.of() : List.copyOf(flagColumns);
        if (valueKey != null && valueKey.isBlank()) {
            valueKey = null;
        }
    }

    /** Values given by the user, taken literally: no inversion. */
    public static LabelMapping ofValues(Collection<String> unsafe, Collection<String> safe) {
        return new LabelMapping(orderedSet(unsafe), orderedSet(safe), false, List.of(), null);
    }

    /** Unsafe when any of the given 0/1 columns is 1; categories are the columns that are 1. */
    public static LabelMapping anyFlag(List<String> columns) {
        if (columns == null || columns.isEmpty()) {
            throw new IllegalArgumentException("a flag mapping needs at least one column");
        }
        return new LabelMapping(DEFAULT_UNSAFE, DEFAULT_SAFE, false, columns, null);
    }

    public LabelMapping withInverted(boolean newInverted) {
        return new LabelMapping(unsafeValues, safeValues, newInverted, flagColumns, valueKey);
    }

    public LabelMapping withValueKey(String newKey) {
        return new LabelMapping(unsafeValues, safeValues, inverted, flagColumns, newKey);
    }

    public LabelMapping withFlagColumns(List<String> columns) {
        return new LabelMapping(unsafeValues, safeValues, inverted, columns, valueKey);
    }

    /** User-given values replace the vocabulary; they are taken literally, so inversion is switched off. */
    public LabelMapping withValues(Collection<String> unsafe, Collection<String> safe) {
        return new LabelMapping(unsafe == null ? unsafeValues : orderedSet(unsafe),
                safe == null ? safeValues : orderedSet(safe), false, flagColumns, valueKey);
    }

    public boolean flags() {
        return !flagColumns.isEmpty();
    }

    /** The gold label a cell stands for; empty when the value is not one this mapping understands. */
    public Optional<Verdict> map(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String value = valueKey == null ? raw : keyedValue(raw, valueKey);
        if (value == null) {
            return Optional.empty();
        }
        String v = normalise(value);
        if (inverted) {
            if (YES.contains(v)) {
                return Optional.of(Verdict.SAFE);
            }
            if (NO.contains(v)) {
                return Optional.of(Verdict.UNSAFE);
            }
        }
        if (unsafeValues.contains(v)) {
            return Optional.of(Verdict.UNSAFE);
        }
        if (safeValues.contains(v)) {
            return Optional.of(Verdict.SAFE);
        }
        return Optional.empty();
    }

    /** A flag cell's truth; missing and empty cells are false. Empty result: the value is not a flag value. */
    public static Optional<Boolean> flagValue(String raw) {
        if (raw == null) {
            return Optional.of(false);
        }
        String v = normalise(raw);
        if (v.isEmpty() || NO.contains(v)) {
            return Optional.of(false);
        }
        if (YES.contains(v)) {
            return Optional.of(true);
        }
        return Optional.empty();
    }

    /** What this mapping understands, for error messages. */
    public String understood() {
        if (flags()) {
            return "flag columns " + flagColumns + " hold 0/1, true/false or yes/no (missing = 0)";
        }
        StringBuilder sb = new StringBuilder();
        if (valueKey != null) {
            sb.append("the value after '").append(valueKey).append(":'; ");
        }
        if (inverted) {
            sb.append("unsafe = 0, false, no; safe = 1, true, yes (inverted column); also ");
        }
        sb.append("unsafe = ").append(String.join(", ", unsafeValues))
          .append("; safe = ").append(String.join(", ", safeValues));
        return sb.toString();
    }

    /** Folds case, surrounding space, separators and number spelling so that equal labels compare equal. */
    public static String normalise(String raw) {
        String v = raw.trim().toLowerCase(Locale.ROOT);
        // A number keeps its sign: folding '-' as a separator would read -1 as 1 and mis-score ±1 labels.
        if (!NUMBER.matcher(v).matches()) {
            v = SEPARATORS.matcher(v).replaceAll(" ").trim();
        }
        if (NUMBER.matcher(v).matches()) {
            try {
                double d = Double.parseDouble(v);
                if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                    return Long.toString((long) d);
                }
            } catch (NumberFormatException e) {
                return v;
            }
        }
        return v;
    }

    /** The value of the last {@code key: value} line, or null when no line has that key. */
    static String keyedValue(String text, String key) {
        String found = null;
        String wanted = key.trim().toLowerCase(Locale.ROOT);
        for (String line : text.split("\n", -1)) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(wanted)) {
                found = line.substring(colon + 1).trim();
            }
        }
        return found;
    }

    /** The keys of {@code key: value} lines in a cell, in order (for detection). */
    static List<String> keys(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.add(line.substring(0, colon).trim());
            }
        }
        return out;
    }

    private static Set<String> normaliseAll(Collection<String> values) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String v : values) {
            if (v != null && !normalise(v).isEmpty()) {
                out.add(normalise(v));
            }
        }
        return Collections.unmodifiableSet(out);
    }

    private static Set<String> orderedSet(Collection<String> values) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }
}
