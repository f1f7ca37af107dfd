package org.rsafe.eval;

/** The file formats a dataset can be read from (each optionally gzip-compressed). */
public enum DataFormat {
    /** Comma-, semicolon- or tab-separated values, RFC 4180 quoting, first record = header. */
    CSV,
    /** One JSON object per line. */
    JSONL,
    /** One JSON array of objects, read element by element. */
    JSON_ARRAY
}
