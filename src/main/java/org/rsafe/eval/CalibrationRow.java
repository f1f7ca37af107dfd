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
 */
public record CalibrationRow(long row, String id, Verdict gold, List<String> goldCategories, Map<String, Double> clauseScores) {

    public CalibrationRow {
        id = id == null ? "" : id;
        Objects.requireNonNull(gold, "gold");
        if (gold == Verdict.UNKNOWN) {
            throw new IllegalArgumentException("calibration rows need a safe/unsafe gold label (row " + row + ")");
        }
        goldCategories = goldCategories == null ? List.of() : List.copyOf(goldCategories);
        clauseScores = clauseScores == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(clauseScores));
    }

    /** The row's calibration view of a batch result, or null when the engine gave no scores for it. */
    public static CalibrationRow of(ResultRow r) {
        if (!r.parseOk() || r.clauseScores().isEmpty() || r.gold() == Verdict.UNKNOWN) {
            return null;
        }
        return new CalibrationRow(r.row(), r.id(), r.gold(), r.goldCategories(), r.clauseScores());
    }

    public boolean unsafe() {
        return gold == Verdict.UNSAFE;
    }

    public double score(String clauseId) {
        Double s = clauseScores.get(clauseId);
        return s == null ? 0.0 : s;
    }
}
