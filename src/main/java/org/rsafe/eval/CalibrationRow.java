package org.rsafe.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rsafe.trace.Verdict;

/**
 * One labelled row as calibration sees it: the gold label and the engine's score for every clause.
 *
 * @param row            the dataset row number (unique even when ids repeat)
 * @param id             the dataset id, for reports
 * @param gold           SAFE or UNSAFE
 * @param goldCategories the gold categories, when the dataset has them (for per-clause metrics)
 * @param clauseScores   clause id to score in 0..1
 * @param reviewZ        clause id to the REVIEW data of an engine with a REVIEW band ({@code ResultRow#reviewZ});
 *                       empty when the engine has none
 */
public record CalibrationRow(long row, String id, Verdict gold, List<String> goldCategories, Map<String, Double> clauseScores,
                             Map<String, Double> reviewZ) {

    /** A row without REVIEW data. */
    public CalibrationRow(long row, String id, Verdict gold, List<String> goldCategories, Map<String, Double> clauseScores) {
        this(row, id, gold, goldCategories, clauseScores, null);
    }

    public CalibrationRow {
        id = id == null ? "" : id;
        Objects.requireNonNull(gold, "gold");
        if (gold == Verdict.UNKNOWN) {
            throw new IllegalArgumentException("calibration rows need a safe/unsafe gold label (row " + row + ")");
        }
        goldCategories = goldCategories == null ? List.of() : List.copyOf(goldCategories);
        clauseScores = clauseScores == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(clauseScores));
        reviewZ = reviewZ == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(reviewZ));
    }

    /** The row's calibration view of a batch result, or null when the engine gave no scores for it. */
    public static CalibrationRow of(ResultRow r) {
        if (!r.parseOk() || r.clauseScores().isEmpty() || r.gold() == Verdict.UNKNOWN) {
            return null;
        }
        return new CalibrationRow(r.row(), r.id(), r.gold(), r.goldCategories(), r.clauseScores(), r.reviewZ());
    }

    public boolean unsafe() {
        return gold == Verdict.UNSAFE;
    }

    /** Whether the row carries REVIEW data for every one of {@code clauseIds}. */
    public boolean hasReviewData(List<String> clauseIds) {
        return reviewZ.keySet().containsAll(clauseIds);
    }

    /** The clause's REVIEW data; positive infinity (never REVIEW) when the row has none. */
    public double reviewZ(String clauseId) {
        Double z = reviewZ.get(clauseId);
        return z == null ? Double.POSITIVE_INFINITY : z;
    }

    public double score(String clauseId) {
        Double s = clauseScores.get(clauseId);
        return s == null ? 0.0 : s;
    }
}
