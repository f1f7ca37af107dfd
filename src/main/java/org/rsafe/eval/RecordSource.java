package org.rsafe.eval;

import java.io.Closeable;
import java.io.IOException;

/** A lazy sequence of raw records from one file format. */
interface RecordSource extends Closeable {
    /** The next record (possibly a bad one), or null at the end of the file. */
    RawRecord next() throws IOException;
}
