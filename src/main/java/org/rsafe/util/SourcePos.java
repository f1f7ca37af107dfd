package org.rsafe.util;

/** A 1-based line and column in a source file; {@link #UNKNOWN} when a value has no source. */
public record SourcePos(int line, int column) {
    public static final SourcePos UNKNOWN = new SourcePos(0, 0);

    public boolean known() {
        return line > 0;
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
