package org.rsafe.ui.editor;

/** An inclusive range of 1-based lines. */
public record LineRange(int first, int last) {
    public LineRange {
        if (first < 1 || last < first) {
            throw new IllegalArgumentException("bad line range " + first + ".." + last);
        }
    }

    public boolean contains(int line) {
        return line >= first && line <= last;
    }
}
