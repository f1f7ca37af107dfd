package org.rsafe.util;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.List;

/**
 * Reads lines (ending at LF, a CR before it dropped) with a cap on their length, so that a damaged or crafted file
 * with one endless line cannot exhaust the heap: a longer line is refused at its line number, or (for readers that
 * treat it as one bad record) read past and reported by {@link #lastLineTooLong()}.
 */
public final class BoundedLineReader implements Closeable {
    private final Reader in;
    private final String fileName;
    private final int maxChars;
    private final boolean skipLongLines;
    private boolean lastTooLong;
    private final char[] buf = new char[1 << 16];
    private final StringBuilder line = new StringBuilder();
    private int pos;
    private int lim;
    private long lineNumber;

    /** @param fileName names the file in the error for an over-long line */
    public BoundedLineReader(Reader in, String fileName, int maxChars) {
        this(in, fileName, maxChars, false);
    }

    private BoundedLineReader(Reader in, String fileName, int maxChars, boolean skipLongLines) {
        this.in = in;
        this.fileName = fileName;
        this.maxChars = maxChars;
        this.skipLongLines = skipLongLines;
    }

    /**
     * A reader that does not refuse a line longer than {@code maxChars}: it reads past it, keeping none of it, and
     * returns an empty line with {@link #lastLineTooLong()} true.
     */
    public static BoundedLineReader skippingLongLines(Reader in, int maxChars) {
        return new BoundedLineReader(in, "", maxChars, true);
    }

    /** True when the line last returned was longer than the cap (only for {@link #skippingLongLines}). */
    public boolean lastLineTooLong() {
        return lastTooLong;
    }

    /** The number of the line last returned (1-based). */
    public long lineNumber() {
        return lineNumber;
    }

    /**
     * The next line without its terminator, or null at the end.
     *
     * @throws UserException naming the file and line when the line runs past the cap
     */
    public String readLine() throws IOException {
        line.setLength(0);
        lastTooLong = false;
        boolean any = false;
        while (true) {
            if (pos >= lim) {
                int n = in.read(buf, 0, buf.length);
                if (n <= 0) {
                    if (!any) {
                        return null;
                    }
                    break;
                }
                pos = 0;
                lim = n;
            }
            any = true;
            int start = pos;
            while (pos < lim && buf[pos] != '\n') {
                pos++;
            }
            if (lastTooLong) {
                // already over: the rest of the line is only read past
            } else if (line.length() + (pos - start) <= maxChars + 1) {
                line.append(buf, start, pos - start);
            } else if (skipLongLines) {
                lastTooLong = true;
                line.setLength(0);
            } else {
                throw new UserException(List.of(Diagnostic.error(fileName,
                        new SourcePos((int) Math.min(lineNumber + 1, Integer.MAX_VALUE), maxChars + 1), "too-long",
                        "line " + (lineNumber + 1) + " is longer than " + maxChars + " characters, the limit for one line "
                                + "of this file; the file is damaged or is not what it is named")));
            }
            if (pos < lim) {
                pos++;
                break;
            }
        }
        lineNumber++;
        int len = line.length();
        if (len > 0 && line.charAt(len - 1) == '\r') {
            line.setLength(len - 1);
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
