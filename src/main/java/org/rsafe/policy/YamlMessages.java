package org.rsafe.policy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rsafe.util.SourcePos;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * SnakeYAML's syntax errors in words about what the policy author typed. The parser speaks of tokens ("expected
 * &lt;block end&gt;, but found '?'" in a file without a '?'); the author needs to hear which line is indented
 * differently, which quote is never closed, which value needs quotes. Each translation keeps the position the
 * author should look at: usually the parser's problem mark, the line that lacks a ':' when one is missing.
 */
final class YamlMessages {
    private YamlMessages() { }

    /** A syntax error for people: where to look and what is wrong there. */
    record Plain(SourcePos pos, String message) { }

    private static final Pattern FOUND = Pattern.compile("expected <block end>, but found '(.*)'");
    private static final Pattern BAD_START = Pattern.compile("found character '(.)' that cannot start any token.*");
    private static final Pattern ALIAS = Pattern.compile("found undefined alias (.*)");
    private static final Pattern ESCAPE = Pattern.compile("found unknown escape character (.)\\(\\d+\\)");

    static Plain of(MarkedYAMLException e, String text) {
        String problem = YamlTree.oneLine(e.getProblem());
        String context = YamlTree.oneLine(e.getContext());
        Mark problemMark = e.getProblemMark();
        Mark contextMark = e.getContextMark();
        SourcePos at = problemMark != null ? pos(problemMark) : contextMark != null ? pos(contextMark) : SourcePos.UNKNOWN;
        String opened = contextMark == null ? "" : " at " + pos(contextMark);

        if (problem.contains("\\t") || problem.contains("TAB") || problem.contains("'\t'")) {
            return new Plain(at, "tab character: YAML indentation must use spaces");
        }
        if (problem.startsWith("mapping values are not allowed")) {
            return new Plain(at, secondColon(text, problemMark)
                    ? "this value contains ': ', which YAML reads as the start of another key: put the whole value in"
                            + " quotes, e.g. name: \"Pets: the shop\""
                    : "this line is indented further than the line above it, so YAML reads it as more of the value"
                            + " above: line it up with the keys above it (check the indentation)");
        }
        Matcher found = FOUND.matcher(problem);
        if (found.matches()) {
            String token = found.group(1);
            if (token.equals("<scalar>") && afterClosingQuote(text, problemMark)) {
                return new Plain(at, "text goes on after a closing quote: inside single quotes write '' for an"
                        + " apostrophe (e.g. 'it''s'), or put the value in double quotes");
            }
            if (token.equals("-") || token.equals("<block sequence start>")) {
                return new Plain(at, "a list item ('- ') where a key was expected: the block that starts" + opened
                        + " holds 'key: value' lines; indent the list under the key it belongs to (check the"
                        + " indentation)");
            }
            return new Plain(at, "this line does not line up with the block that starts" + opened + ": entries of one"
                    + " list or one set of keys must start in the same column (check the indentation of this line)");
        }
        if (problem.startsWith("could not find expected ':'")) {
            SourcePos line = contextMark != null ? pos(contextMark) : at;
            return new Plain(line, "this line has no ':' but stands where a 'key: value' line belongs: add the ':',"
                    + " start it with '- ' if it is a list item, or indent it under the key whose text it continues");
        }
        if (problem.startsWith("found unexpected end of stream") && context.contains("quoted scalar")) {
            SourcePos quote = contextMark != null ? pos(contextMark) : at;
            return new Plain(quote, "this quote is never closed: add the closing quote (inside single quotes write ''"
                    + " for an apostrophe)");
        }
        if (problem.startsWith("expected ',' or ']'") || problem.startsWith("expected ',' or '}'")) {
            String bracket = problem.contains("]") ? "[...] list" : "{...} mapping";
            if (problem.endsWith("<stream end>")) {
                return new Plain(contextMark != null ? pos(contextMark) : at, "the " + bracket + " opened here is never"
                        + " closed: add the closing " + (problem.contains("]") ? "']'" : "'}'"));
            }
            return new Plain(at, "an item of the " + bracket + " opened" + opened + " has a character YAML reads as"
                    + " punctuation: quote items in [...] or {...} that contain ':', '?', '#' or ','");
        }
        Matcher badStart = BAD_START.matcher(problem);
        if (badStart.matches()) {
            return new Plain(at, "a value cannot start with '" + badStart.group(1) + "' (YAML reserves it): put the"
                    + " value in quotes");
        }
        Matcher alias = ALIAS.matcher(problem);
        if (alias.matches()) {
            return new Plain(at, "'*" + alias.group(1) + "' refers to an anchor '&" + alias.group(1) + "' that is not"
                    + " defined before it; put the value in quotes if the '*' is meant as text");
        }
        Matcher escape = ESCAPE.matcher(problem);
        if (escape.matches()) {
            return new Plain(at, "'\\" + escape.group(1) + "' is not an escape YAML knows inside double quotes: write"
                    + " '\\\\' for a backslash, or use single quotes");
        }
        // Anything else: the parser's own words, with where its construct started.
        String raw = problem.isEmpty() ? "invalid YAML" : problem;
        return new Plain(at, context.isEmpty() ? raw : raw + " (" + context + opened + ")");
    }

    /** Whether the line already holds a "key: " before the ':' the parser stopped at. */
    private static boolean secondColon(String text, Mark mark) {
        String line = lineText(text, mark);
        if (line == null) {
            return false;
        }
        int upTo = Math.min(mark.getColumn(), line.length());
        String before = line.substring(0, upTo);
        int colon = before.indexOf(": ");
        return colon >= 0 && !before.strip().startsWith("#");
    }

    /** Whether the text the parser did not expect comes right after a quote on its line. */
    private static boolean afterClosingQuote(String text, Mark mark) {
        String line = lineText(text, mark);
        int col = mark == null ? -1 : mark.getColumn();
        return line != null && col > 0 && col <= line.length()
                && (line.charAt(col - 1) == '\'' || line.charAt(col - 1) == '"');
    }

    private static String lineText(String text, Mark mark) {
        if (text == null || mark == null) {
            return null;
        }
        String[] lines = text.split("\\R", -1);
        return mark.getLine() < lines.length ? lines[mark.getLine()] : null;
    }

    private static SourcePos pos(Mark mark) {
        return YamlTree.pos(mark);
    }
}
