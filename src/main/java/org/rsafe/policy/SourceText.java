package org.rsafe.policy;

import java.util.ArrayList;
import java.util.List;
import org.rsafe.util.SourcePos;

/**
 * Converts between string offsets and the 1-based line/column positions that SnakeYAML reports.
 *
 * <p>SnakeYAML counts columns in code points, skips byte-order marks and treats {@code \n}, a lone
 * {@code \r}, {@code \r\n}, U+0085, U+2028 and U+2029 as line breaks; this class counts the same way so
 * that positions computed here agree with positions taken from YAML marks.
 */
final class SourceText {
    private final String text;
    private final int[] lineStarts;

    SourceText(String text) {
        this.text = text;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                continue;
            }
            if (isBreak(c)) {
                starts.add(i + 1);
            }
        }
        lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    static boolean isBreak(char c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    String text() {
        return text;
    }

    int lineCount() {
        return lineStarts.length;
    }

    /** Offset of the first character of a 1-based line. */
    int lineStart(int line) {
        return lineStarts[Math.max(0, Math.min(line, lineStarts.length) - 1)];
    }

    /** Offset just past the line's content, before its line break. */
    int lineContentEnd(int line) {
        int end = line < lineStarts.length ? lineStarts[line] : text.length();
        while (end > lineStart(line) && isBreak(text.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    /** Offset of the start of the next line, or the text's end for the last line. */
    int nextLineStart(int line) {
        return line < lineStarts.length ? lineStarts[line] : text.length();
    }

    /** 1-based line containing an offset. */
    int lineOf(int offset) {
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo + 1;
    }

    boolean isLineStart(int offset) {
        return lineStart(lineOf(offset)) == offset;
    }

    /** Offset of a 1-based line and 1-based code-point column (clamped to the line). */
    int offset(int line, int column) {
        int at = lineStart(line);
        int end = lineContentEnd(line);
        int col = 1;
        while (col < column && at < end) {
            int cp = text.codePointAt(at);
            at += Character.charCount(cp);
            if (cp != 0xFEFF) {
                col++;
            }
        }
        return at;
    }

    int offset(SourcePos pos) {
        return offset(pos.line(), pos.column());
    }

    /** The 1-based position of an offset. */
    SourcePos pos(int offset) {
        int line = lineOf(offset);
        int col = 1;
        int at = lineStart(line);
        while (at < offset) {
            int cp = text.codePointAt(at);
            at += Character.charCount(cp);
            if (cp != 0xFEFF) {
                col++;
            }
        }
        return new SourcePos(line, col);
    }

    /** The line break the file uses, so inserted lines match it. */
    String lineBreak() {
        int i = text.indexOf('\n');
        return i > 0 && text.charAt(i - 1) == '\r' ? "\r\n" : "\n";
    }
}
