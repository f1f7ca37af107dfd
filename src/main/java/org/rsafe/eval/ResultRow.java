package org.rsafe.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rsafe.trace.Verdict;

/**
 * The outcome of judging one dataset row in a batch run, as stored (one JSON line) in {@code results.jsonl}.
 *
 * @param row            dataset row number: the key of a result, since ids may repeat
 * @param id             the dataset id of the row
 * @param gold           the gold label; UNKNOWN when the row has none (it then counts in no metric)
 * @param verdict        the engine's verdict (UNKNOWN when its output held no answer)
 * @param flagged        clauses the engine held violated, in policy order
 * @param clauseScores   every clause's score in 0..1, in policy order
 * @param parseOk        false when the engine's output could not be parsed into a verdict
 * @param latencyMillis  engine time for the row
 * @param promptSha256   SHA-256 of the judged text: the prompt, plus a NUL and the response for response-level rows
 * @param goldCategories the gold categories from the dataset (may be empty)
 * @param excerpt        the start of the judged text, for reports
 * @param error          why the engine gave no output for the row (a server that kept failing), or null; such an
 *                       error row is neither judged nor a parse failure, and a report counts it apart
 * @param evidence       invalid citations, verdict/citation disagreement and stability ({@link RowEvidence#NONE} when
 *                       there is nothing to say)
 * @param reviewZ        per clause, the REVIEW data of an engine with a REVIEW band ({@code Judgement#reviewZ}), so
 *                       calibration can try other bands on the stored scores; empty for other engines
 */
public record ResultRow(
        long row,
        String id,
        Verdict gold,
        Verdict verdict,
        List<String> flagged,
        Map<String, Double> clauseScores,
        boolean parseOk,
        long latencyMillis,
        String promptSha256,
        List<String> goldCategories,
        String excerpt,
        String error,
        RowEvidence evidence,
        Map<String, Double> reviewZ) {

    /** Longest excerpt kept, in characters; enough to recognise a row in a report. */
    public static final int EXCERPT_CHARS = 160;

    public ResultRow {
        id = id == null ? "" : id;
        gold = gold == null ? Verdict.UNKNOWN : gold;
        Objects.requireNonNull(verdict, "verdict");
        flagged = flagged == null ? List.of() : List.copyOf(flagged);
        clauseScores = clauseScores == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(clauseScores));
        promptSha256 = promptSha256 == null ? "" : promptSha256;
        goldCategories = goldCategories == null ? List.of() : List.copyOf(goldCategories);
        excerpt = excerpt == null ? "" : excerpt;
        error = error == null || error.isBlank() ? null : error;
        evidence = evidence == null ? RowEvidence.NONE : evidence;
        reviewZ = reviewZ == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(reviewZ));
    }

    /** A row without REVIEW data. */
    public ResultRow(long row, String id, Verdict gold, Verdict verdict, List<String> flagged,
                     Map<String, Double> clauseScores, boolean parseOk, long latencyMillis, String promptSha256,
                     List<String> goldCategories, String excerpt, String error, RowEvidence evidence) {
        this(row, id, gold, verdict, flagged, clauseScores, parseOk, latencyMillis, promptSha256, goldCategories,
                excerpt, error, evidence, null);
    }

    /** A row the engine judged (no engine error), without evidence beyond its verdict. */
    public ResultRow(long row, String id, Verdict gold, Verdict verdict, List<String> flagged,
                     Map<String, Double> clauseScores, boolean parseOk, long latencyMillis, String promptSha256,
                     List<String> goldCategories, String excerpt) {
        this(row, id, gold, verdict, flagged, clauseScores, parseOk, latencyMillis, promptSha256, goldCategories,
                excerpt, null, RowEvidence.NONE);
    }

    /** The engine gave output for the row, but no verdict could be read from it. */
    public boolean parseFailure() {
        return !parseOk && error == null;
    }

    /** The engine failed to give any output for the row (see {@link #error()}). */
    public boolean engineError() {
        return error != null;
    }

    /** Shortens a text to {@link #EXCERPT_CHARS} characters on one line. */
    public static String excerptOf(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.strip().replaceAll("\\s+", " ");
        if (oneLine.length() <= EXCERPT_CHARS) {
            return oneLine;
        }
        int end = EXCERPT_CHARS - 1;
        if (Character.isHighSurrogate(oneLine.charAt(end - 1))) {
            end--;
        }
        return oneLine.substring(0, end) + "…";
    }

    public boolean falsePositive() {
        return gold == Verdict.SAFE && verdict == Verdict.UNSAFE;
    }

    public boolean falseNegative() {
        return gold == Verdict.UNSAFE && verdict == Verdict.SAFE;
    }
}
