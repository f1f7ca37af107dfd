package org.rsafe.ui.editor;

import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fxmisc.richtext.model.StyleSpans;
import org.fxmisc.richtext.model.StyleSpansBuilder;

/**
 * Splits YAML text into styled runs for the policy editor: comments, keys, list dashes, quoted strings,
 * block scalars, numbers, booleans and plain values. It works line by line and only carries the state a
 * policy file needs across lines (block scalars and quoted strings that span lines), so it stays fast and
 * never fails on broken YAML.
 */
public final class YamlHighlighter {
    public static final String COMMENT = "yaml-comment";
    public static final String KEY = "yaml-key";
    public static final String PUNCT = "yaml-punct";
    public static final String DASH = "yaml-dash";
    public static final String STRING = "yaml-string";
    public static final String BLOCK = "yaml-block";
    public static final String NUMBER = "yaml-number";
    public static final String BOOLEAN = "yaml-boolean";
    public static final String ANCHOR = "yaml-anchor";
    public static final String VALUE = "yaml-value";
    public static final String DOCUMENT = "yaml-document";

    private static final Pattern KEY_PATTERN =
            Pattern.compile("(\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^']|'')*'|[^\\s#'\"\\-\\[\\]{},][^:#]*?|-[^\\s:#][^:#]*?)\\s*(:)(?=\\s|$)");
    private static final Pattern NUMBER_PATTERN =
            Pattern.compile("[-+]?(\\d[\\d_]*(\\.\\d*)?([eE][-+]?\\d+)?|\\.\\d+|\\.inf|\\.nan|0x[0-9a-fA-F]+)");
    private static final Pattern BOOLEAN_PATTERN =
            Pattern.compile("(?i)true|false|yes|no|on|off|null|~");
    private static final Pattern BLOCK_HEADER = Pattern.compile("[|>][-+0-9]*");

    private YamlHighlighter() { }

    public static StyleSpans<Collection<String>> highlight(String text) {
        Runs runs = new Runs();
        int blockIndent = -1;          // indent of the key that opened a block scalar; -1 when none open
        char openQuote = 0;             // quote of a string continued from an earlier line
        int pos = 0;
        int len = text.length();
        while (pos <= len) {
            int eol = text.indexOf('\n', pos);
            if (eol < 0) {
                eol = len;
            }
            String line = text.substring(pos, eol);
            int indent = indentOf(line);
            if (blockIndent >= 0 && (line.isBlank() || indent > blockIndent)) {
                runs.add(STRING, line.length());
            } else if (openQuote != 0) {
                int close = closingQuote(line, 0, openQuote);
                if (close < 0) {
                    runs.add(STRING, line.length());
                } else {
                    runs.add(STRING, close + 1);
                    trailing(line, close + 1, runs);
                    openQuote = 0;
                }
            } else {
                blockIndent = -1;
                LineResult r = lineBody(line, 0, runs, indent);
                blockIndent = r.blockIndent;
                openQuote = r.openQuote;
            }
            if (eol < len) {
                runs.add(null, 1);
            }
            pos = eol + 1;
        }
        return runs.build();
    }

    private record LineResult(int blockIndent, char openQuote) { }

    private static LineResult lineBody(String line, int from, Runs runs, int indent) {
        int i = from;
        int n = line.length();
        i = skipSpaces(line, i, runs);
        if (i == 0 && (line.startsWith("---") || line.startsWith("...")) && (n == 3 || Character.isWhitespace(line.charAt(3)))) {
            runs.add(DOCUMENT, 3);
            i = 3;
            i = skipSpaces(line, i, runs);
        }
        // list dashes, possibly several ("- - x")
        while (i < n && line.charAt(i) == '-' && (i + 1 == n || line.charAt(i + 1) == ' ')) {
            runs.add(DASH, 1);
            i++;
            i = skipSpaces(line, i, runs);
        }
        int keyIndent = indent;
        if (i < n && line.charAt(i) != '#') {
            Matcher m = KEY_PATTERN.matcher(line);
            m.region(i, n);
            if (m.lookingAt()) {
                runs.add(KEY, m.end(1) - i);
                runs.add(null, m.start(2) - m.end(1));
                runs.add(PUNCT, 1);
                i = m.end(2);
                i = skipSpaces(line, i, runs);
            }
        }
        return value(line, i, runs, keyIndent);
    }

    private static LineResult value(String line, int i, Runs runs, int keyIndent) {
        int n = line.length();
        if (i >= n) {
            return new LineResult(-1, (char) 0);
        }
        char c = line.charAt(i);
        if (c == '#') {
            runs.add(COMMENT, n - i);
            return new LineResult(-1, (char) 0);
        }
        if (c == '"' || c == '\'') {
            int close = closingQuote(line, i + 1, c);
            if (close < 0) {
                runs.add(STRING, n - i);
                return new LineResult(-1, c);
            }
            runs.add(STRING, close + 1 - i);
            trailing(line, close + 1, runs);
            return new LineResult(-1, (char) 0);
        }
        Matcher block = BLOCK_HEADER.matcher(line);
        block.region(i, n);
        if (block.lookingAt() && restIsCommentOrBlank(line, block.end())) {
            runs.add(BLOCK, block.end() - i);
            trailing(line, block.end(), runs);
            return new LineResult(keyIndent, (char) 0);
        }
        // plain scalar: up to " #" (a comment) or the end of the line
        int end = plainEnd(line, i);
        String token = line.substring(i, end).strip();
        String style;
        if (c == '&' || c == '*') {
            style = ANCHOR;
        } else if (NUMBER_PATTERN.matcher(token).matches()) {
            style = NUMBER;
        } else if (BOOLEAN_PATTERN.matcher(token).matches()) {
            style = BOOLEAN;
        } else {
            style = VALUE;
        }
        runs.add(style, end - i);
        trailing(line, end, runs);
        return new LineResult(-1, (char) 0);
    }

    private static void trailing(String line, int i, Runs runs) {
        int n = line.length();
        int j = i;
        while (j < n && line.charAt(j) != '#') {
            j++;
        }
        runs.add(null, j - i);
        runs.add(COMMENT, n - j);
    }

    private static boolean restIsCommentOrBlank(String line, int i) {
        String rest = line.substring(i).strip();
        return rest.isEmpty() || rest.startsWith("#");
    }

    private static int plainEnd(String line, int i) {
        for (int j = i; j < line.length(); j++) {
            if (line.charAt(j) == '#' && j > i && Character.isWhitespace(line.charAt(j - 1))) {
                return j;
            }
        }
        return line.length();
    }

    /** Index of the quote closing a string whose content starts at {@code from}, or -1. */
    private static int closingQuote(String line, int from, char quote) {
        for (int j = from; j < line.length(); j++) {
            char ch = line.charAt(j);
            if (quote == '"' && ch == '\\') {
                j++;
            } else if (ch == quote) {
                if (quote == '\'' && j + 1 < line.length() && line.charAt(j + 1) == '\'') {
                    j++;
                } else {
                    return j;
                }
            }
        }
        return -1;
    }

    private static int skipSpaces(String line, int i, Runs runs) {
        int j = i;
        while (j < line.length() && (line.charAt(j) == ' ' || line.charAt(j) == '\t')) {
            j++;
        }
        runs.add(null, j - i);
        return j;
    }

    private static int indentOf(String line) {
        int j = 0;
        while (j < line.length() && line.charAt(j) == ' ') {
            j++;
        }
        return j;
    }

    /** Accumulates runs, merging neighbours of the same style. */
    private static final class Runs {
        private final StyleSpansBuilder<Collection<String>> builder = new StyleSpansBuilder<>();
        private String style;
        private int length;
        private boolean any;

        void add(String newStyle, int n) {
            if (n <= 0) {
                return;
            }
            if (length > 0 && java.util.Objects.equals(style, newStyle)) {
                length += n;
                return;
            }
            flush();
            style = newStyle;
            length = n;
        }

        private void flush() {
            if (length > 0) {
                builder.add(style == null ? List.of() : List.of(style), length);
                any = true;
            }
        }

        StyleSpans<Collection<String>> build() {
            flush();
            if (!any) {
                builder.add(List.of(), 0);
            }
            return builder.create();
        }
    }
}
