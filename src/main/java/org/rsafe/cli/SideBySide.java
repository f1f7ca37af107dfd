package org.rsafe.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.rsafe.workspace.DiffRow;

/** Prints side-by-side text for a terminal: text-diff rows with context, and two texts in two columns. */
final class SideBySide {

    private SideBySide() { }

    /**
     * Prints diff rows as {@code NNN left | NNN right} with a marker between the columns ({@code |} changed,
     * {@code <} removed, {@code >} added); runs of more than {@code 2 * context} unchanged rows are cut to their
     * ends with a "…" line.
     */
    static void printDiff(PrintWriter out, List<DiffRow> rows, int width, int context) {
        int column = Math.max(20, (width - 3) / 2);
        int text = column - 5;
        List<Boolean> show = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            boolean near = false;
            for (int j = Math.max(0, i - context); j <= Math.min(rows.size() - 1, i + context) && !near; j++) {
                near = rows.get(j).kind() != DiffRow.Kind.SAME;
            }
            show.add(near);
        }
        boolean skipping = false;
        for (int i = 0; i < rows.size(); i++) {
            if (!show.get(i)) {
                if (!skipping) {
                    out.println(pad("  …", column) + "   " + "  …");
                    skipping = true;
                }
                continue;
            }
            skipping = false;
            DiffRow r = rows.get(i);
            String marker = switch (r.kind()) {
                case SAME -> " ";
                case CHANGED -> "|";
                case REMOVED -> "<";
                case ADDED -> ">";
            };
            String left = r.leftLine() == 0 ? "" : String.format("%4d %s", r.leftLine(), fit(r.leftText(), text));
            String right = r.rightLine() == 0 ? "" : String.format("%4d %s", r.rightLine(), fit(r.rightText(), text));
            out.println((pad(left, column) + " " + marker + " " + right).stripTrailing());
        }
    }

    /** Prints two texts in two columns under their titles, wrapping long lines. */
    static void printColumns(PrintWriter out, String leftTitle, String left, String rightTitle, String right, int width) {
        int column = Math.max(20, (width - 3) / 2);
        List<String> l = wrap(left, column);
        List<String> r = wrap(right, column);
        out.println(pad(fit(leftTitle, column), column) + " │ " + fit(rightTitle, column));
        out.println("─".repeat(column) + "─┼─" + "─".repeat(column));
        for (int i = 0; i < Math.max(l.size(), r.size()); i++) {
            String a = i < l.size() ? l.get(i) : "";
            String b = i < r.size() ? r.get(i) : "";
            out.println((pad(a, column) + " │ " + b).stripTrailing());
        }
    }

    static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        for (String line : text.replace("\t", "    ").split("\r?\n", -1)) {
            String rest = line;
            while (rest.codePointCount(0, rest.length()) > width) {
                int cut = rest.offsetByCodePoints(0, width);
                int space = rest.lastIndexOf(' ', cut);
                // break at the last space when it leaves a reasonably full line, else mid-word
                if (space > cut / 2) {
                    cut = space + 1;
                }
                out.add(rest.substring(0, cut).stripTrailing());
                rest = rest.substring(cut);
            }
            out.add(rest);
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    static String fit(String s, int width) {
        String t = s.replace("\t", "    ");
        if (t.codePointCount(0, t.length()) <= width) {
            return t;
        }
        return t.substring(0, t.offsetByCodePoints(0, width - 1)) + "…";
    }

    static String pad(String s, int width) {
        int n = s.codePointCount(0, s.length());
        return n >= width ? s : s + " ".repeat(width - n);
    }
}
