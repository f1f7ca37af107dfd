package org.rsafe.trace;

import java.util.Locale;
import java.util.Objects;

/**
 * RSafe's outcome reward for one completion: {@code 0.9 × accuracy × format + 0.1 × format}, so 0 for a
 * malformed output, 0.1 for a well-formed wrong one and 1.0 for a well-formed right one.
 */
public final class Reward {

    private Reward() { }

    /** 1 when the extracted answer equals the gold label (case-insensitive), else 0. */
    public static double accuracy(String output, String goldLabel) {
        Objects.requireNonNull(goldLabel, "goldLabel");
        String answer = OutputParser.extractAnswer(output);
        return answer != null && answer.equals(goldLabel.strip().toLowerCase(Locale.ROOT)) ? 1.0 : 0.0;
    }

    /** The reward; accuracy counts only when the format is valid. */
    public static double score(String output, String goldLabel) {
        double format = OutputParser.formatOk(output) ? 1.0 : 0.0;
        return 0.9 * accuracy(output, goldLabel) * format + 0.1 * format;
    }
}
