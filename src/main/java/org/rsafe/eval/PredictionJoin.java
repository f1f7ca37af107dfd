package org.rsafe.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rsafe.util.UserException;

/**
 * Joins gold rows and predictions on id. Gold rows without a prediction are "missing predictions" (reported, never
 * counted as parse failures); predictions whose id is not in the gold data are "unmatched".
 */
public final class PredictionJoin {

    /**
     * The joined rows.
     *
     * @param predictions rows with both a gold label and a prediction, in gold order
     * @param missingIds  labelled gold rows with no prediction, in gold order
     * @param unmatchedIds predictions whose id is not in the gold data, in prediction order
     * @param unlabelled  gold rows without a label (left out)
     */
    public record Result(List<Prediction> predictions, List<String> missingIds, List<String> unmatchedIds,
                         int unlabelled) {
        public Result {
            predictions = List.copyOf(predictions);
            missingIds = List.copyOf(missingIds);
            unmatchedIds = List.copyOf(unmatchedIds);
        }
    }

    /**
     * Most rows joined (10 million): the join keeps one small entry per row (id, labels, categories; never the texts),
     * so this bounds its memory whatever the files hold.
     */
    public static final int MAX_ROWS = 10_000_000;

    private PredictionJoin() { }

    /**
     * Joins gold rows, read as they come (a {@link DatasetReader} streams them, so their texts are never all held),
     * with the predictions.
     *
     * @throws UserException when a gold id appears twice (the join would be ambiguous), or past {@link #MAX_ROWS}
     */
    public static Result join(Iterable<LabelledRow> gold, List<PredictedRow> predicted) {
        Map<String, PredictedRow> byId = new LinkedHashMap<>();
        for (PredictedRow p : predicted) {
            byId.putIfAbsent(p.id(), p);
        }
        Map<String, Long> goldLines = new HashMap<>();
        List<Prediction> joined = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        int unlabelled = 0;
        for (LabelledRow g : gold) {
            if (goldLines.size() >= MAX_ROWS) {
                throw tooMany("gold rows");
            }
            Long before = goldLines.putIfAbsent(g.id(), g.line());
            if (before != null) {
                throw new UserException("gold id '" + g.id() + "' appears twice (lines " + before + " and " + g.line()
                        + "); ids must be unique to join predictions");
            }
            if (g.gold() == null) {
                unlabelled++;
                continue;
            }
            PredictedRow p = byId.get(g.id());
            if (p == null) {
                missing.add(g.id());
            } else {
                joined.add(new Prediction(g.id(), g.gold(), p.verdict(), g.categories(), p.flaggedClauses()));
            }
        }
        List<String> unmatched = new ArrayList<>();
        for (String id : byId.keySet()) {
            if (!goldLines.containsKey(id)) {
                unmatched.add(id);
            }
        }
        return new Result(joined, missing, unmatched, unlabelled);
    }

    static UserException tooMany(String what) {
        return new UserException("more than " + MAX_ROWS + " " + what + ": metrics keeps one entry per row, and stops "
                + "here to bound its memory; score a part of the data (split the file)");
    }
}
