package org.rsafe.engine.quick;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a text into sentence-like chunks: at sentence punctuation followed by white space and at line
 * breaks. Fragments of fewer than {@link #MIN_WORDS} words are joined to their neighbour, because a
 * lone "Thanks." or a list bullet carries too little meaning to compare with a policy on its own.
 */
public final class SentenceSplitter {
    static final int MIN_WORDS = 3;
    /** Very long sentences (run-on chat text without punctuation) are cut at clause punctuation beyond this. */
    static final int MAX_CHARS = 400;

    private SentenceSplitter() { }

    /** Chunks of {@code text} in order, trimmed of surrounding white space; empty for a blank text. */
    public static List<Span> split(String text) {
        List<Span> raw = new ArrayList<>();
        int n = text.length();
        int start = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean cut = false;
            int end = i + 1;
            if (c == '\n' || c == '\r') {
                cut = true;
                end = i;
            } else if (c == '.' || c == '!' || c == '?' || c == ';') {
                int j = i + 1;
                while (j < n && isCloser(text.charAt(j))) {
                    j++;
                }
                if (j >= n || Character.isWhitespace(text.charAt(j))) {
                    cut = true;
                    end = j;
                    i = j - 1;
                }
            }
            if (cut) {
                addTrimmed(text, start, end, raw);
                start = end;
            }
        }
        addTrimmed(text, start, n, raw);
        List<Span> bounded = new ArrayList<>();
        for (Span s : raw) {
            cutLong(text, s, bounded);
        }
        return mergeShort(text, bounded);
    }

    private static boolean isCloser(char c) {
        return c == '.' || c == '!' || c == '?' || c == '"' || c == '\'' || c == ')' || c == ']'
                || c == '\u201d' || c == '\u2019';
    }

    private static void addTrimmed(String text, int start, int end, List<Span> out) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (end > start) {
            out.add(new Span(start, end));
        }
    }

    /** Cuts an over-long chunk at commas or, failing that, at spaces, into pieces of at most MAX_CHARS. */
    private static void cutLong(String text, Span s, List<Span> out) {
        int start = s.start();
        while (s.end() - start > MAX_CHARS) {
            int limit = start + MAX_CHARS;
            int cut = -1;
            for (int i = limit - 1; i > start + MAX_CHARS / 2; i--) {
                char c = text.charAt(i);
                if (c == ',' || c == ':') {
                    cut = i + 1;
                    break;
                }
            }
            if (cut < 0) {
                for (int i = limit - 1; i > start; i--) {
                    if (Character.isWhitespace(text.charAt(i))) {
                        cut = i;
                        break;
                    }
                }
            }
            if (cut < 0) {
                cut = limit;
            }
            addTrimmed(text, start, cut, out);
            start = cut;
        }
        addTrimmed(text, start, s.end(), out);
    }

    private static List<Span> mergeShort(String text, List<Span> spans) {
        List<Span> out = new ArrayList<>();
        for (Span s : spans) {
            if (!out.isEmpty() && (words(text, s) < MIN_WORDS || words(text, out.get(out.size() - 1)) < MIN_WORDS)) {
                Span prev = out.remove(out.size() - 1);
                out.add(new Span(prev.start(), s.end()));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    private static int words(String text, Span s) {
        int count = 0;
        boolean inWord = false;
        for (int i = s.start(); i < s.end(); i++) {
            boolean letter = Character.isLetterOrDigit(text.charAt(i));
            if (letter && !inWord) {
                count++;
            }
            inWord = letter;
        }
        return count;
    }
}
