package org.rsafe.workspace;

import java.util.Objects;
import org.rsafe.eval.LabelledRow;
import org.rsafe.trace.Judgement;

/**
 * A flipped row judged again under both policy versions, so its two traces can be read side by side.
 *
 * @param flip the flip
 * @param row  the data-set row (full prompt and response)
 * @param a    the judgement under version A, with its steps and citations
 * @param b    the judgement under version B
 */
public record FlipTraces(VerdictFlip flip, LabelledRow row, Judgement a, Judgement b) {
    public FlipTraces {
        Objects.requireNonNull(flip, "flip");
        Objects.requireNonNull(row, "row");
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
    }
}
