package org.rsafe.workspace;

import java.time.Instant;
import java.util.Objects;

/**
 * One saved version of a policy file.
 *
 * @param number   1-based position in the file's history, oldest first ({@code v1} is the first save); 0 when the
 *                 revision predates the file's first save
 * @param commitId the full revision id (40 hex digits)
 * @param message  the message given when saving, in full
 * @param time     when it was saved
 * @param author   who saved it ("Name &lt;email&gt;")
 */
public record PolicyVersion(int number, String commitId, String message, Instant time, String author) {

    /** How many hex digits a short revision id shows. */
    public static final int SHORT_ID_LENGTH = 7;

    public PolicyVersion {
        Objects.requireNonNull(commitId, "commitId");
        message = message == null ? "" : message;
        Objects.requireNonNull(time, "time");
        author = author == null ? "" : author;
    }

    /** {@code v3}, or the short id when the revision is not one of the file's saves. */
    public String label() {
        return number > 0 ? "v" + number : shortId();
    }

    public String shortId() {
        return commitId.substring(0, Math.min(SHORT_ID_LENGTH, commitId.length()));
    }

    /** The first line of the message. */
    public String summary() {
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
