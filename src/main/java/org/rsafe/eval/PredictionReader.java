package org.rsafe.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rsafe.trace.Verdict;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.SourcePos;
import org.rsafe.util.UserException;

/**
 * Reads a predictions file (CSV, JSON Lines or a JSON array, optionally gzipped) with an id column, a verdict column
 * ({@code verdict}, else {@code prediction}, {@code predicted}, {@code pred}, {@code label} or {@code answer}) and an
 * optional flagged-clauses column ({@code flagged_clauses}, {@code flagged} or {@code clauses}; {@code U1;U3} or a
 * JSON array). A verdict that reads as a label (unsafe/safe, harmful/unharmful, 1/0, …) is kept; anything else,
 * blank included, is a parse failure.
 */
public final class PredictionReader {
    static final List<String> ID_NAMES = List.of("id", "row_id", "sample_id", "uid");
    static final List<String> VERDICT_NAMES = List.of("verdict", "prediction", "predicted", "pred", "label", "answer");
    static final List<String> FLAG_NAMES = List.of("flagged_clauses", "flagged", "clauses", "flagged_categories");

    private PredictionReader() { }

    /**
     * Reads every prediction.
     *
     * @throws UserException when a needed column is missing, an id is blank or repeated, or a record is unreadable
     */
    public static List<PredictedRow> read(Path file) {
        try (RawInput input = RawInput.open(file, DatasetReader.SAMPLE_ROWS)) {
            String name = file.toString();
            List<String> header = input.header();
            String idCol = find(header, ID_NAMES);
            String verdictCol = find(header, VERDICT_NAMES);
            String flagCol = find(header, FLAG_NAMES);
            if (idCol == null || verdictCol == null) {
                throw RawInput.userError(name, new SourcePos(1, 1), "pred-columns", "a predictions file needs an 'id' "
                        + "column and a verdict column (one of " + String.join(", ", VERDICT_NAMES) + "); columns are: "
                        + String.join(", ", header));
            }
            List<PredictedRow> out = new ArrayList<>();
            Map<String, Long> firstLine = new HashMap<>();
            RawRecord r;
            while ((r = input.next()) != null) {
                if (out.size() >= PredictionJoin.MAX_ROWS) {
                    throw PredictionJoin.tooMany("predictions in " + name);
                }
                if (r.problem() != null) {
                    throw new UserException(List.of(Diagnostic.error(name, r.problem().pos(), r.problem().rule(),
                            r.problem().message())));
                }
                String id = r.values().get(idCol);
                if (id == null || id.isBlank()) {
                    throw RawInput.userError(name, r.positionOf(idCol), "pred-id", "missing id in column '" + idCol + "'");
                }
                id = id.trim();
                Long seen = firstLine.putIfAbsent(id, (long) r.start().line());
                if (seen != null) {
                    throw RawInput.userError(name, r.positionOf(idCol), "pred-id",
                            "id '" + id + "' appears again (first at line " + seen + ")");
                }
                String raw = r.values().get(verdictCol);
                Verdict verdict = raw == null ? Verdict.UNKNOWN : Verdict.fromStored(raw) == Verdict.REVIEW ? Verdict.REVIEW
                        : LabelMapping.DEFAULT.map(raw).orElse(Verdict.UNKNOWN);
                List<String> flagged = flagCol == null ? List.of() : DatasetReader.parseCategories(r.values().get(flagCol));
                out.add(new PredictedRow(r.start().line(), id, verdict, flagged));
            }
            return out;
        } catch (IOException e) {
            throw new UserException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String find(List<String> header, List<String> names) {
        for (String n : names) {
            for (String h : header) {
                if (ColumnMapping.normaliseName(h).equals(ColumnMapping.normaliseName(n))) {
                    return h;
                }
            }
        }
        return null;
    }
}
