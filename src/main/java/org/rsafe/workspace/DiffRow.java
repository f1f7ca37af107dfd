package org.rsafe.workspace;

import java.util.Objects;

/**
 * One row of a side-by-side text comparison: a line of the left text, of the right text, or of both.
 *
 * @param leftLine  1-based line number in the left text; 0 when the row has no left line (an added line)
 * @param leftText  the left line, without its line break ("" when none)
 * @param rightLine 1-based line number in the right text; 0 when the row has no right line (a removed line)
 * @param rightText the right line ("" when none)
 * @param kind      how the two sides relate
 */
public record DiffRow(int leftLine, String leftText, int rightLine, String rightText, Kind kind) {

    /** How the two sides of a row relate. */
    public enum Kind {
        /** The same line on both sides. */
        SAME,
        /** A line replaced by another. */
        CHANGED,
        /** A line only on the left. */
        REMOVED,
        /** A line only on the right. */
        ADDED
    }

    /** A half-open range of characters, {@code [start, end)}, within one side's text. */
    public record Range(int start, int end) {
        public Range {
            if (start < 0 || end < start) {
                throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
            }
        }

        public boolean isEmpty() {
            return start == end;
        }
    }

    public DiffRow {
        leftText = leftText == null ? "" : leftText;
        rightText = rightText == null ? "" : rightText;
        Objects.requireNonNull(kind, "kind");
    }

    /** The characters of the left text to highlight: all of a removed line, the differing middle of a changed one. */
    public Range leftHighlight() {
        return switch (kind) {
            case SAME, ADDED -> new Range(0, 0);
            case REMOVED -> new Range(0, leftText.length());
            case CHANGED -> {
                int[] p = commonEnds();
                yield new Range(p[0], leftText.length() - p[1]);
            }
        };
    }

    /** The characters of the right text to highlight: all of an added line, the differing middle of a changed one. */
    public Range rightHighlight() {
        return switch (kind) {
            case SAME, REMOVED -> new Range(0, 0);
            case ADDED -> new Range(0, rightText.length());
            case CHANGED -> {
                int[] p = commonEnds();
                yield new Range(p[0], rightText.length() - p[1]);
            }
        };
    }

    /** Lengths of the common prefix and of the common suffix (not overlapping the prefix), surrogate-safe. */
    private int[] commonEnds() {
        int max = Math.min(leftText.length(), rightText.length());
        int prefix = 0;
        while (prefix < max && leftText.charAt(prefix) == rightText.charAt(prefix)) {
            prefix++;
        }
        if (prefix > 0 && prefix < max && Character.isHighSurrogate(leftText.charAt(prefix - 1))) {
            prefix--;
        }
        int suffix = 0;
        while (suffix < max - prefix
                && leftText.charAt(leftText.length() - 1 - suffix) == rightText.charAt(rightText.length() - 1 - suffix)) {
            suffix++;
        }
        if (suffix > 0 && suffix < max - prefix
                && Character.isLowSurrogate(leftText.charAt(leftText.length() - suffix))) {
            suffix--;
        }
        return new int[] {prefix, suffix};
    }
}
