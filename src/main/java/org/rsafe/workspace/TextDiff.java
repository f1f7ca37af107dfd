package org.rsafe.workspace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Line-by-line comparison of two texts as side-by-side rows, using Myers' shortest-edit-script algorithm (so the
 * unchanged lines shown are as many as possible). Runs of removed and added lines between unchanged ones are paired
 * into "changed" rows, top to bottom; what is left over stays removed or added.
 *
 * <p>Line breaks ({@code \n} or {@code \r\n}) separate lines and are not part of them; a missing final line break
 * is not a difference. Very different large texts (more than {@value #MAX_EDIT_DISTANCE} edits between the common
 * start and end) are shown as one replaced block rather than spending unbounded time and memory.
 */
public final class TextDiff {

    /** Edits beyond which the middle of two texts is shown as replaced wholesale. */
    static final int MAX_EDIT_DISTANCE = 2000;

    private enum Op { EQUAL, DELETE, INSERT }

    private record Edit(Op op, int leftIndex, int rightIndex) { }

    private TextDiff() { }

    /** The side-by-side rows comparing {@code left} with {@code right}. */
    public static List<DiffRow> sideBySide(String left, String right) {
        return rows(lines(left), lines(right));
    }

    /** The side-by-side rows of two texts already split into lines. */
    public static List<DiffRow> rows(List<String> a, List<String> b) {
        List<Edit> edits = edits(a, b);
        List<DiffRow> out = new ArrayList<>(Math.max(a.size(), b.size()));
        List<Integer> removed = new ArrayList<>();
        List<Integer> added = new ArrayList<>();
        for (Edit e : edits) {
            switch (e.op) {
                case DELETE -> removed.add(e.leftIndex);
                case INSERT -> added.add(e.rightIndex);
                case EQUAL -> {
                    flush(a, b, removed, added, out);
                    out.add(new DiffRow(e.leftIndex + 1, a.get(e.leftIndex), e.rightIndex + 1, b.get(e.rightIndex),
                            DiffRow.Kind.SAME));
                }
            }
        }
        flush(a, b, removed, added, out);
        return List.copyOf(out);
    }

    /** True when the rows show any difference. */
    public static boolean hasChanges(List<DiffRow> rows) {
        return rows.stream().anyMatch(r -> r.kind() != DiffRow.Kind.SAME);
    }

    /** Splits a text into lines; a final line break does not start another line. */
    public static List<String> lines(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        String[] parts = text.split("\r?\n", -1);
        int n = parts.length;
        if (parts[n - 1].isEmpty()) {
            n--;
        }
        return List.of(Arrays.copyOf(parts, n));
    }

    private static void flush(List<String> a, List<String> b, List<Integer> removed, List<Integer> added,
                              List<DiffRow> out) {
        int paired = Math.min(removed.size(), added.size());
        for (int i = 0; i < paired; i++) {
            int l = removed.get(i);
            int r = added.get(i);
            out.add(new DiffRow(l + 1, a.get(l), r + 1, b.get(r), DiffRow.Kind.CHANGED));
        }
        for (int i = paired; i < removed.size(); i++) {
            int l = removed.get(i);
            out.add(new DiffRow(l + 1, a.get(l), 0, "", DiffRow.Kind.REMOVED));
        }
        for (int i = paired; i < added.size(); i++) {
            int r = added.get(i);
            out.add(new DiffRow(0, "", r + 1, b.get(r), DiffRow.Kind.ADDED));
        }
        removed.clear();
        added.clear();
    }

    /** The edit script turning {@code a} into {@code b}, in order. */
    private static List<Edit> edits(List<String> a, List<String> b) {
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        List<Edit> out = new ArrayList<>();
        for (int i = 0; i < prefix; i++) {
            out.add(new Edit(Op.EQUAL, i, i));
        }
        List<String> midA = a.subList(prefix, a.size() - suffix);
        List<String> midB = b.subList(prefix, b.size() - suffix);
        List<Edit> middle = myers(midA, midB);
        if (middle == null) {
            middle = new ArrayList<>();
            for (int i = 0; i < midA.size(); i++) {
                middle.add(new Edit(Op.DELETE, i, -1));
            }
            for (int j = 0; j < midB.size(); j++) {
                middle.add(new Edit(Op.INSERT, -1, j));
            }
        }
        for (Edit e : middle) {
            out.add(new Edit(e.op, e.leftIndex < 0 ? -1 : e.leftIndex + prefix, e.rightIndex < 0 ? -1 : e.rightIndex + prefix));
        }
        int shift = b.size() - a.size();
        for (int i = a.size() - suffix; i < a.size(); i++) {
            out.add(new Edit(Op.EQUAL, i, i + shift));
        }
        return out;
    }

    /**
     * Myers' greedy forward search with the frontier of every step kept for the backtrack. Returns null when the
     * texts need more than {@link #MAX_EDIT_DISTANCE} edits.
     */
    private static List<Edit> myers(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int max = n + m;
        if (max == 0) {
            return new ArrayList<>();
        }
        int offset = max + 1;
        int[] v = new int[2 * max + 3]; // v[offset + k] = furthest x reached on diagonal k (k = x - y)
        List<int[]> frontiers = new ArrayList<>();
        int steps = -1;
        search:
        for (int d = 0; d <= Math.min(max, MAX_EDIT_DISTANCE); d++) {
            // Keep diagonals -d-1 .. d+1 as they stand before step d: the backtrack of step d reads them.
            frontiers.add(Arrays.copyOfRange(v, offset - d - 1, offset + d + 2));
            for (int k = -d; k <= d; k += 2) {
                int x;
                if (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) {
                    x = v[offset + k + 1];
                } else {
                    x = v[offset + k - 1] + 1;
                }
                int y = x - k;
                while (x < n && y < m && a.get(x).equals(b.get(y))) {
                    x++;
                    y++;
                }
                v[offset + k] = x;
                if (x >= n && y >= m) {
                    steps = d;
                    break search;
                }
            }
        }
        if (steps < 0) {
            return null;
        }
        List<Edit> reversed = new ArrayList<>();
        int x = n;
        int y = m;
        for (int d = steps; d >= 0; d--) {
            int[] before = frontiers.get(d);
            int base = d + 1; // index of diagonal 0 in the kept slice
            int k = x - y;
            if (d == 0) {
                while (x > 0 && y > 0) {
                    reversed.add(new Edit(Op.EQUAL, --x, --y));
                }
                break;
            }
            int prevK = (k == -d || (k != d && before[base + k - 1] < before[base + k + 1])) ? k + 1 : k - 1;
            int prevX = before[base + prevK];
            int prevY = prevX - prevK;
            while (x > prevX && y > prevY) {
                reversed.add(new Edit(Op.EQUAL, --x, --y));
            }
            if (x == prevX) {
                reversed.add(new Edit(Op.INSERT, -1, prevY));
            } else {
                reversed.add(new Edit(Op.DELETE, prevX, -1));
            }
            x = prevX;
            y = prevY;
        }
        java.util.Collections.reverse(reversed);
        return reversed;
    }
}
