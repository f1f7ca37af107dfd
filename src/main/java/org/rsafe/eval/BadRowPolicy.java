package org.rsafe.eval;

/** What a dataset reader does with a row it cannot use: record it and go on, or stop at the first one. */
public enum BadRowPolicy {
    /** Report the row in {@link DatasetReader#badRows()} and continue with the next one. */
    SKIP,
    /** Throw a {@link org.rsafe.util.UserException} naming the file, line and column of the first bad row. */
    FAIL
}
