package org.rsafe.util;

/**
 * Python's string behaviour where the reference code's results depend on it. Java's {@link String#strip()} and
 * Python's {@code str.strip()} disagree: Python also removes U+0085, U+00A0, U+2007 and U+202F (Java treats the
 * no-break spaces as part of a word). Reading a model's answer like RSafe's reward function needs Python's set.
 */
public final class PythonText {

    private PythonText() { }

    /**
     * Whether Python's {@code str.isspace()} holds for this character: exactly the 29 code points U+0009–U+000D,
     * U+001C–U+001F, U+0020, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F and U+3000
     * (checked against CPython 3 over all of Unicode).
     */
    public static boolean isSpace(char c) {
        return (c >= '\t' && c <= '\r') || (c >= '\u001c' && c <= ' ') || c == '\u0085' || c == '\u00a0'
                || c == '\u1680' || (c >= '\u2000' && c <= '\u200a') || c == '\u2028' || c == '\u2029'
                || c == '\u202f' || c == '\u205f' || c == '\u3000';
    }

    /** Python's {@code text.strip()} with no argument. */
    public static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }
}
