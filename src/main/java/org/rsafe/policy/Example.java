package org.rsafe.policy;

import org.rsafe.util.SourcePos;

/** One example text of a clause, with where it stands in the policy file. */
public record Example(String text, SourcePos pos) {
    public Example {
        text = text == null ? "" : text;
        pos = pos == null ? SourcePos.UNKNOWN : pos;
    }

    public static Example of(String text) {
        return new Example(text, SourcePos.UNKNOWN);
    }
}
