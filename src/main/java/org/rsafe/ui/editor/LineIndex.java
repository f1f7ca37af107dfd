package org.rsafe.ui.editor;

import java.util.Arrays;

/** Maps between character offsets and 1-based line/column positions of one text snapshot. */
public final class LineIndex {
    private final String text;
    private final int[] lineStarts;

    public LineIndex(String text) {
        this.text = text;
        int[] starts = new int[16];
        int n = 0;
        starts[n++] = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                if (n == starts.length) {
                    starts = Arrays.copyOf(starts, n * 2);
                }
                starts[n++] = i + 1;
            }
        }
        this.lineStarts = Arrays.copyOf(starts, n);
    }

    public int lineCount() {
        return lineStarts.length;
    }

    /** Offset of the first character of 1-based {@code line}, clamped into the text. */
    public int lineStart(int line) {
        int i = Math.max(1, Math.min(line, lineStarts.length)) - 1;
        return lineStarts[i];
    }

    /** Offset just past the last character of 1-based {@code line}, excluding its line break. */
    public int lineEnd(int line) {
        int l = Math.max(1, Math.min(line, lineStarts.length));
        int end = l < lineStarts.length ? lineStarts[l] - 1 : text.length();
        return Math.max(lineStart(l), end);
    }

    /** Offset of a 1-based line and column, clamped to the line. */
    public int offset(int line, int column) {
        int start = lineStart(line);
        return Math.min(lineEnd(line), start + Math.max(0, column - 1));
    }

    /** 1-based line holding {@code offset}. */
    public int lineOf(int offset) {
        int i = Arrays.binarySearch(lineStarts, Math.max(0, Math.min(offset, text.length())));
        return i >= 0 ? i + 1 : -i - 1;
    }

    public String line(int line) {
        return text.substring(lineStart(line), lineEnd(line));
    }
}
