package org.rsafe.eval;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Counts the characters a streaming parser takes and refuses to deliver more than {@link RecordSource#MAX_RECORD_CHARS}
 * (plus one parser buffer) after {@link #startRecord()}: a JSON array element that never ends, or ends after gigabytes,
 * stops with {@link TooLong} before the parser can build it in memory.
 */
final class RecordLimitReader extends FilterReader {
    /** Slack for the parser's read-ahead: it may hold the next few thousand characters before the record starts. */
    private static final long SLACK = 1 << 16;

    private long delivered;
    private long budgetEnd = Long.MAX_VALUE;

    /** The current record ran past the limit. */
    static final class TooLong extends IOException {
        private static final long serialVersionUID = 1L;

        TooLong() {
            super(RecordSource.tooLong("the record"));
        }
    }

    RecordLimitReader(Reader in) {
        super(in);
    }

    /** A record starts here: the limit counts from now. */
    void startRecord() {
        budgetEnd = delivered + RecordSource.MAX_RECORD_CHARS + SLACK;
    }

    @Override
    public int read() throws IOException {
        char[] one = new char[1];
        return read(one, 0, 1) < 0 ? -1 : one[0];
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (delivered >= budgetEnd) {
            throw new TooLong();
        }
        int n = super.read(cbuf, off, (int) Math.min(len, budgetEnd - delivered));
        if (n > 0) {
            delivered += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip is not supported");
    }
}
