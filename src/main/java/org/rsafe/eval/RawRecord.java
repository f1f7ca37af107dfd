package org.rsafe.eval;

import java.util.Map;
import org.rsafe.util.SourcePos;

/**
 * One record as it stands in the file, before column mapping: values by column name and where each value starts,
 * or the problem that made the record unreadable.
 *
 * @param start     where the record starts
 * @param values    column name to value; missing JSON keys and JSON nulls are absent
 * @param positions column name to the position of its value
 * @param problem   why the record cannot be used, or null
 */
record RawRecord(SourcePos start, Map<String, String> values, Map<String, SourcePos> positions, Problem problem) {

    /**
     * A record-level problem.
     *
     * @param fatal the rest of the file cannot be read after it (e.g. broken JSON inside an array)
     */
    record Problem(SourcePos pos, String rule, String message, boolean fatal) { }

    static RawRecord bad(SourcePos start, SourcePos pos, String rule, String message) {
        return new RawRecord(start, Map.of(), Map.of(), new Problem(pos, rule, message, false));
    }

    static RawRecord fatal(SourcePos start, SourcePos pos, String rule, String message) {
        return new RawRecord(start, Map.of(), Map.of(), new Problem(pos, rule, message, true));
    }

    SourcePos positionOf(String column) {
        SourcePos p = positions.get(column);
        return p == null ? start : p;
    }
}
