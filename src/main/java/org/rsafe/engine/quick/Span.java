package org.rsafe.engine.quick;

/** A [start, end) range of characters in a text, such as one sentence-like chunk. */
public record Span(int start, int end) {
    public Span {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
        }
    }

    public int length() {
        return end - start;
    }

    public String of(String text) {
        return text.substring(start, end);
    }

    public Span shift(int offset) {
        return new Span(start + offset, end + offset);
    }
}
