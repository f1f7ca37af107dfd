package org.rsafe.ui.editor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.fxmisc.richtext.model.StyleSpans;
import org.fxmisc.richtext.model.StyleSpansBuilder;
import org.rsafe.util.Diagnostic;

/**
 * Where lint findings sit in the editor text: the character range each one underlines, and the findings
 * of each line for the gutter. A finding underlines from its column to the end of its line's content; one
 * without a column underlines the whole line; one without a line is shown in the problems list only.
 */
public final class LintMarks {
    public static final String ERROR = "lint-error";
    public static final String WARNING = "lint-warning";

    /** One underlined range [start, end) and the finding behind it. */
    public record Mark(int start, int end, Diagnostic diagnostic) {
        public String styleClass() {
            return diagnostic.isError() ? ERROR : WARNING;
        }
    }

    private final List<Mark> marks;
    private final TreeMap<Integer, List<Diagnostic>> byLine = new TreeMap<>();

    private LintMarks(List<Mark> marks) {
        this.marks = List.copyOf(marks);
        for (Mark m : marks) {
            byLine.computeIfAbsent(m.diagnostic.pos().line(), k -> new ArrayList<>()).add(m.diagnostic);
        }
    }

    public static LintMarks empty() {
        return new LintMarks(List.of());
    }

    public static LintMarks of(String text, Collection<Diagnostic> diagnostics) {
        LineIndex index = new LineIndex(text);
        List<Mark> marks = new ArrayList<>();
        for (Diagnostic d : diagnostics) {
            if (!d.pos().known() || d.pos().line() > index.lineCount()) {
                continue;
            }
            int line = d.pos().line();
            int lineStart = index.lineStart(line);
            int lineEnd = index.lineEnd(line);
            String content = index.line(line);
            int contentEnd = lineStart + content.stripTrailing().length();
            int contentStart = lineStart + (content.length() - content.stripLeading().length());
            int start = d.pos().column() > 0 ? index.offset(line, d.pos().column()) : contentStart;
            if (start >= contentEnd) {
                start = contentStart;
            }
            int end = Math.max(start, contentEnd);
            if (end == start) {
                // An empty line: mark its break (or last char) so the squiggle is still visible.
                end = Math.min(text.length(), Math.max(lineEnd, start) + 1);
                if (end == start && start > 0) {
                    start--;
                }
            }
            marks.add(new Mark(start, end, d));
        }
        marks.sort(Comparator.comparingInt(Mark::start));
        return new LintMarks(marks);
    }

    public List<Mark> marks() {
        return marks;
    }

    /** Findings reported on 1-based {@code line}, errors first. */
    public List<Diagnostic> onLine(int line) {
        List<Diagnostic> list = new ArrayList<>(byLine.getOrDefault(line, List.of()));
        list.sort(Comparator.comparing(d -> d.isError() ? 0 : 1));
        return list;
    }

    /** The findings whose underline covers character {@code offset}. */
    public List<Diagnostic> at(int offset) {
        List<Diagnostic> out = new ArrayList<>();
        for (Mark m : marks) {
            if (offset >= m.start && offset < m.end) {
                out.add(m.diagnostic);
            }
        }
        return out;
    }

    public Optional<Diagnostic.Severity> worstOnLine(int line) {
        return onLine(line).stream().map(Diagnostic::severity).findFirst();
    }

    /** Adds the lint style classes to {@code base} (which covers {@code length} characters). */
    public StyleSpans<Collection<String>> overlay(StyleSpans<Collection<String>> base, int length) {
        if (marks.isEmpty() || length == 0) {
            return base;
        }
        StyleSpansBuilder<Collection<String>> b = new StyleSpansBuilder<>();
        int pos = 0;
        // Build a flat span list of lint classes over the text, then merge it into the highlighting.
        int[] boundaries = boundaries(length);
        for (int k = 0; k + 1 < boundaries.length; k++) {
            int s = boundaries[k];
            int e = boundaries[k + 1];
            if (e <= s) {
                continue;
            }
            Set<String> classes = new HashSet<>();
            for (Mark m : marks) {
                if (m.start <= s && m.end >= e) {
                    classes.add(m.styleClass());
                }
            }
            // An error wins over a warning on the same characters.
            if (classes.contains(ERROR)) {
                classes.remove(WARNING);
            }
            b.add(List.copyOf(classes), e - s);
            pos = e;
        }
        if (pos < length) {
            b.add(List.of(), length - pos);
        }
        StyleSpans<Collection<String>> lint = b.create();
        return base.overlay(lint, (a, c) -> {
            if (c.isEmpty()) {
                return a;
            }
            List<String> merged = new ArrayList<>(a);
            merged.addAll(c);
            return merged;
        });
    }

    private int[] boundaries(int length) {
        java.util.TreeSet<Integer> set = new java.util.TreeSet<>();
        set.add(0);
        set.add(length);
        for (Mark m : marks) {
            set.add(Math.min(length, m.start));
            set.add(Math.min(length, m.end));
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }
}
