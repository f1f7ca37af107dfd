package org.rsafe.engine.llm;

/**
 * Turns successive decodings of a growing token sequence into text deltas that never need taking back.
 *
 * <p>Byte-level tokens can split a multi-byte character; until its last byte arrives the decoded text ends in
 * U+FFFD, which must not be sent. When stop strings are in use, the last {@code holdBack} characters could be
 * the start of one, and are held until the text grows past them or the sequence ends. Once
 * {@code finished}, everything left is sent, so the deltas always add up to the final text. Not thread-safe.
 */
final class StreamedText {
    private final int holdBack;
    private int sent;   // characters already handed out

    /** @param holdBack characters to keep back while unfinished (longest stop string minus one; 0 for none) */
    StreamedText(int holdBack) {
        if (holdBack < 0) {
            throw new IllegalArgumentException("holdBack must be >= 0, was " + holdBack);
        }
        this.holdBack = holdBack;
    }

    /**
     * The part of {@code text} (the whole decoded output so far, or its final form when {@code finished}) that
     * can be sent now; empty when nothing new is certain.
     */
    String advance(String text, boolean finished) {
        int end = text.length();
        if (!finished) {
            while (end > sent && text.charAt(end - 1) == '\uFFFD') {
                end--;
            }
            end = Math.min(end, text.length() - holdBack);
        }
        if (end <= sent) {
            return "";
        }
        String delta = text.substring(sent, end);
        sent = end;
        return delta;
    }

    /** Characters sent so far. */
    int sent() {
        return sent;
    }
}
