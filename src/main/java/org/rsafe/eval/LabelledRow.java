package org.rsafe.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rsafe.trace.Verdict;

/**
 * One usable row of a dataset after column mapping: the text to judge, an optional response, and the gold label.
 *
 * @param rowNumber  1-based index of the data row (header and blank lines not counted; bad rows counted)
 * @param line       1-based line of the file where the row starts
 * @param id         the value of the id column, else {@code "row-N"} with N = rowNumber
 * @param prompt     the user text (never blank)
 * @param response   the model response to judge, or null for prompt-level rows
 * @param gold       SAFE or UNSAFE, or null when the dataset has no label
 * @param categories gold categories of the row (may be empty)
 * @param extra      the row's other columns, in file order
 */
public record LabelledRow(long rowNumber, long line, String id, String prompt, String response, Verdict gold,
                          List<String> categories, Map<String, String> extra) {

    public LabelledRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        if (gold == Verdict.UNKNOWN) {
            throw new IllegalArgumentException("a gold label is SAFE, UNSAFE or null, not UNKNOWN");
        }
        categories = categories == null ? List.of() : List.copyOf(categories);
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    public boolean labelled() {
        return gold != null;
    }

    public boolean responseLevel() {
        return response != null;
    }
}
