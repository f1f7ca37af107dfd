package org.rsafe.eval;

import java.io.Closeable;
import java.io.IOException;

/** A lazy sequence of raw records from one file format. */
interface RecordSource extends Closeable {
    /**
     * Longest record accepted, in characters (16 Mi): a JSON Lines line, a CSV record with all its fields, a JSON
     * array element. Far beyond any real prompt and response, small enough for the heap; a longer record is a bad row,
     * read past without being kept, so one endless line cannot exhaust memory.
     */
    int MAX_RECORD_CHARS = 1 << 24;

    /** What a record over {@link #MAX_RECORD_CHARS} is told. */
    static String tooLong(String what) {
        return what + " is longer than " + MAX_RECORD_CHARS + " characters, the limit for one record";
    }

    /** The next record (possibly a bad one), or null at the end of the file. */
    RawRecord next() throws IOException;
}
