package org.rsafe.ui.editor;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Policy;

/**
 * Finds which lines of a policy file each clause occupies, so the editor can highlight a whole clause.
 * A clause starts at its own position and runs over the lines indented deeper than its list dash;
 * trailing blank lines are left out.
 */
public final class ClauseLines {
    private ClauseLines() { }

    public static Map<String, LineRange> of(Policy policy, String text) {
        LineIndex index = new LineIndex(text);
        Map<String, LineRange> out = new LinkedHashMap<>();
        for (Clause c : policy.clauses()) {
            if (!c.pos().known() || c.pos().line() > index.lineCount()) {
                continue;
            }
            int first = c.pos().line();
            int dashIndent = indent(index.line(first));
            int last = first;
            for (int l = first + 1; l <= index.lineCount(); l++) {
                String line = index.line(l);
                if (line.isBlank()) {
                    continue;
                }
                if (indent(line) <= dashIndent) {
                    break;
                }
                last = l;
            }
            out.put(c.id(), new LineRange(first, last));
        }
        return out;
    }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
