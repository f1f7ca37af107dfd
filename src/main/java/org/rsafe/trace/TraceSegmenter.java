package org.rsafe.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a guard model's raw output into reasoning steps that a reviewer can read and cite.
 *
 * <p>Rule. The reasoning is the text inside the first {@code <think>} … {@code </think>}; from
 * {@code <think>} to the end when the tag is never closed; from the start up to {@code </think>} when the
 * output has no {@code <think>} but closes one; when it has neither tag, everything before the line holding the
 * last {@code \boxed{}} (the whole output if that line is the first). It is split by the first of these that
 * yields at least two parts:
 * <ol>
 *   <li>numbered items: a line starting with {@code 1.}, {@code 2)}, {@code Step 3:} (optionally after
 *       Markdown {@code #} or {@code *}); each item runs to the next one, and any text before the first
 *       item is a step of its own;</li>
 *   <li>paragraphs, separated by blank lines;</li>
 *   <li>sentences, ending at {@code .}, {@code !} or {@code ?} followed by whitespace (so "e.g. this"
 *       is cut too: a step is a reading aid, not a grammar); a lone list marker such as "1." stays with
 *       the sentence after it.</li>
 * </ol>
 * The text after {@code </think>} (the final answer), or the line of the last box when there are no tags, is
 * one more step, so the conclusion is visible next to the reasoning. Step texts are stripped of surrounding whitespace and
 * their spans {@code [start, end)} are character offsets into the raw output of exactly that text; empty
 * steps are dropped; indexes count from 0.
 */
public final class TraceSegmenter {

    private static final Pattern NUMBERED_ITEM = Pattern.compile(
            "^[ \\t]*(?:[#*]+[ \\t]*)?(?:(?i:step)[ \\t]*\\d{1,3}[ \\t]*[:.)\\-]?|\\d{1,3}[.)])(?=\\s|\\*|$)",
            Pattern.MULTILINE);
    private static final Pattern BLANK_LINES = Pattern.compile("\\n[ \\t\\x0B\\f\\r]*\\n\\s*");
    private static final Pattern BARE_MARKER = Pattern.compile("(?:[#*]+\\s*)?(?:(?i:step)\\s*)?\\d{1,3}[:.)]");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");

    private TraceSegmenter() { }

    public static List<TraceStep> segment(String rawOutput) {
        Objects.requireNonNull(rawOutput, "rawOutput");
        int open = rawOutput.indexOf(OutputParser.THINK_OPEN);
        int from = open < 0 ? 0 : open + OutputParser.THINK_OPEN.length();
        int close = rawOutput.indexOf(OutputParser.THINK_CLOSE, from);
        int to = close < 0 ? rawOutput.length() : close;
        int answerFrom = close < 0 ? -1 : close + OutputParser.THINK_CLOSE.length();
        if (open < 0 && close < 0) {
            // No tags at all: the line holding the last box is the answer, when reasoning comes before it.
            int box = rawOutput.lastIndexOf(OutputParser.BOX);
            int line = box < 0 ? -1 : rawOutput.lastIndexOf('\n', box) + 1;
            if (line > 0 && !rawOutput.substring(0, line).isBlank()) {
                to = line;
                answerFrom = line;
            }
        }

        List<int[]> spans = splitReasoning(rawOutput, from, to);
        if (answerFrom >= 0) {
            spans.add(new int[] {answerFrom, rawOutput.length()});
        }
        List<TraceStep> steps = new ArrayList<>();
        for (int[] span : spans) {
            int s = span[0];
            int e = span[1];
            while (s < e && Character.isWhitespace(rawOutput.charAt(s))) {
                s++;
            }
            while (e > s && Character.isWhitespace(rawOutput.charAt(e - 1))) {
                e--;
            }
            if (s < e) {
                steps.add(new TraceStep(steps.size(), rawOutput.substring(s, e), s, e, List.of()));
            }
        }
        return steps;
    }

    private static List<int[]> splitReasoning(String raw, int from, int to) {
        List<int[]> numbered = numberedItems(raw, from, to);
        if (nonBlank(raw, numbered) >= 2) {
            return numbered;
        }
        List<int[]> paragraphs = splitAt(raw, from, to, BLANK_LINES);
        if (nonBlank(raw, paragraphs) >= 2) {
            return paragraphs;
        }
        return mergeBareMarkers(raw, splitAt(raw, from, to, SENTENCE_END));
    }

    /** "1." or "Step 2:" alone is a list marker cut off by the sentence rule; it belongs to what follows. */
    private static List<int[]> mergeBareMarkers(String raw, List<int[]> spans) {
        List<int[]> merged = new ArrayList<>();
        int[] pending = null;
        for (int[] span : spans) {
            int[] current = pending == null ? span : new int[] {pending[0], span[1]};
            pending = null;
            if (BARE_MARKER.matcher(raw.substring(current[0], current[1]).strip()).matches()) {
                pending = current;
            } else {
                merged.add(current);
            }
        }
        if (pending != null) {
            merged.add(pending);
        }
        return merged;
    }

    private static List<int[]> numberedItems(String raw, int from, int to) {
        // The region's start counts as a line start: the think tag opens the block.
        Matcher m = NUMBERED_ITEM.matcher(raw).region(from, to);
        List<Integer> itemStarts = new ArrayList<>();
        while (m.find()) {
            itemStarts.add(m.start());
        }
        if (itemStarts.size() < 2) {
            return new ArrayList<>();
        }
        List<int[]> spans = new ArrayList<>();
        if (itemStarts.get(0) > from) {
            spans.add(new int[] {from, itemStarts.get(0)});
        }
        for (int i = 0; i < itemStarts.size(); i++) {
            int end = i + 1 < itemStarts.size() ? itemStarts.get(i + 1) : to;
            spans.add(new int[] {itemStarts.get(i), end});
        }
        return spans;
    }

    private static List<int[]> splitAt(String raw, int from, int to, Pattern separator) {
        Matcher m = separator.matcher(raw).region(from, to);
        List<int[]> spans = new ArrayList<>();
        int start = from;
        while (m.find()) {
            spans.add(new int[] {start, m.start()});
            start = m.end();
        }
        spans.add(new int[] {start, to});
        return spans;
    }

    private static int nonBlank(String raw, List<int[]> spans) {
        int n = 0;
        for (int[] span : spans) {
            if (!raw.substring(span[0], span[1]).isBlank()) {
                n++;
            }
        }
        return n;
    }
}
