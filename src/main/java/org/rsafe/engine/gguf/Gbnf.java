package org.rsafe.engine.gguf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rsafe.util.UserException;

/**
 * GBNF grammars (llama.cpp's constrained-decoding format), checked in Java before use: llama.cpp ignores a grammar
 * it cannot parse without a word, so an unchecked mistake would silently switch the constraint off.
 */
public final class Gbnf {
    /**
     * RSafe's output shape: {@code <think>}, reasoning without a {@code <}, {@code </think>}, an optional newline,
     * then {@code \boxed{safe}} or {@code \boxed{unsafe}}. Once the closing brace is produced the grammar is complete
     * and llama.cpp allows only the end-of-sequence token.
     */
    public static final String RSAFE_FORMAT = """
            root    ::= "<think>" reason tail
            reason  ::= [^<]*
            tail    ::= "</think>" "\\n"? "\\\\boxed{" verdict "}"
            verdict ::= "safe" | "unsafe"
            """;

    /** The texts the tail of {@link #RSAFE_FORMAT} accepts. */
    static final java.util.List<String> RSAFE_TAILS = java.util.List.of("</think>\\boxed{safe}",
            "</think>\\boxed{unsafe}", "</think>\n\\boxed{safe}", "</think>\n\\boxed{unsafe}");

    /**
     * The grammar that completes an RSafe answer whose tail has begun with {@code partial} (the text from its
     * {@code </think>} on, possibly cut anywhere; empty when the tail has not begun), or empty when {@code partial}
     * cannot be completed (it is already complete, or not a beginning of the tail).
     */
    public static java.util.Optional<String> rsafeTailAfter(String partial) {
        java.util.List<String> rest = new ArrayList<>();
        for (String tail : RSAFE_TAILS) {
            if (tail.startsWith(partial) && tail.length() > partial.length()) {
                rest.add(literal(tail.substring(partial.length())));
            }
        }
        return rest.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of("root ::= " + String.join(" | ", rest) + "\n");
    }

    /** {@code text} as a GBNF string literal. */
    static String literal(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    /** Most tokens the tail can take (one byte each) plus the end token. */
    public static final int RSAFE_TAIL_TOKENS = 24;

    private Gbnf() { }

    /**
     * Checks {@code grammar}: every rule well formed (literals, character classes and groups closed, escapes known,
     * repetition bounds ordered), no rule defined twice, every referenced rule defined, and a {@code root}.
     * Returns the rule names; throws a UserException naming the line and column of the first mistake.
     */
    public static Set<String> validate(String grammar) {
        return new Checker(grammar).run();
    }

    private static final class Checker {
        private final String s;
        private int i;
        private final Map<String, Integer> defined = new LinkedHashMap<>();
        private final List<Object[]> referenced = new ArrayList<>();

        Checker(String s) {
            this.s = s;
        }

        Set<String> run() {
            skipSpace(true);
            while (i < s.length()) {
                int at = i;
                String name = name();
                if (name.isEmpty()) {
                    throw error(at, "expected a rule name");
                }
                if (defined.put(name, at) != null) {
                    throw error(at, "rule " + name + " is defined twice");
                }
                skipSpace(false);
                if (!s.startsWith("::=", i)) {
                    throw error(i, "expected ::= after " + name);
                }
                i += 3;
                skipSpace(true);
                alternatives(0);
                skipSpace(true);
            }
            if (!defined.containsKey("root")) {
                throw error(0, "the grammar has no root rule");
            }
            for (Object[] ref : referenced) {
                if (!defined.containsKey((String) ref[0])) {
                    throw error((Integer) ref[1], "rule " + ref[0] + " is used but never defined");
                }
            }
            return new LinkedHashSet<>(defined.keySet());
        }

        /** Alternatives up to the end of the rule (a newline not inside a group) or a closing parenthesis. */
        private void alternatives(int depth) {
            boolean any = false;
            while (i < s.length()) {
                skipSpace(depth > 0);
                if (i >= s.length()) {
                    break;
                }
                char c = s.charAt(i);
                if (c == '\n' && depth == 0) {
                    break; // outside a group a newline ends the rule, as in llama.cpp's parser
                }
                if (c == ')') {
                    if (depth == 0) {
                        throw error(i, "unmatched )");
                    }
                    break;
                }
                if (c == '|') {
                    i++;
                    skipSpace(true); // an alternative may start on the next line
                    continue;
                }
                term(depth);
                any = true;
            }
            if (!any) {
                throw error(i, "empty rule body");
            }
        }

        private void term(int depth) {
            int at = i;
            char c = s.charAt(i);
            if (c == '"') {
                i++;
                while (true) {
                    if (i >= s.length() || s.charAt(i) == '\n') {
                        throw error(at, "unclosed string literal");
                    }
                    if (s.charAt(i) == '"') {
                        i++;
                        break;
                    }
                    escapeOrChar();
                }
            } else if (c == '[') {
                i++;
                if (i < s.length() && s.charAt(i) == '^') {
                    i++;
                }
                boolean empty = true;
                while (true) {
                    if (i >= s.length() || s.charAt(i) == '\n') {
                        throw error(at, "unclosed character class");
                    }
                    if (s.charAt(i) == ']' && !empty) {
                        i++;
                        break;
                    }
                    escapeOrChar();
                    empty = false;
                }
            } else if (c == '(') {
                i++;
                alternatives(depth + 1);
                if (i >= s.length() || s.charAt(i) != ')') {
                    throw error(at, "unclosed (");
                }
                i++;
            } else if (c == '.') {
                i++;
            } else {
                String name = name();
                if (name.isEmpty()) {
                    throw error(at, "unexpected '" + c + "'");
                }
                referenced.add(new Object[] {name, at});
            }
            repetition();
        }

        private void repetition() {
            if (i >= s.length()) {
                return;
            }
            char c = s.charAt(i);
            if (c == '*' || c == '+' || c == '?') {
                i++;
            } else if (c == '{') {
                int at = i;
                int close = s.indexOf('}', i);
                if (close < 0) {
                    throw error(at, "unclosed repetition {");
                }
                String body = s.substring(i + 1, close).replace(" ", "");
                if (!body.matches("\\d+(,\\d*)?")) {
                    throw error(at, "repetition must be {m}, {m,} or {m,n}");
                }
                String[] parts = body.split(",", -1);
                if (parts.length == 2 && !parts[1].isEmpty() && Long.parseLong(parts[1]) < Long.parseLong(parts[0])) {
                    throw error(at, "repetition {" + body + "} has its maximum below its minimum");
                }
                i = close + 1;
            }
        }

        private void escapeOrChar() {
            if (s.charAt(i) != '\\') {
                i++;
                return;
            }
            int at = i;
            i++;
            if (i >= s.length()) {
                throw error(at, "dangling backslash");
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n', 'r', 't', '\\', '"', '[', ']', '-', '^' -> { }
                case 'x' -> hex(at, 2);
                case 'u' -> hex(at, 4);
                case 'U' -> hex(at, 8);
                default -> throw error(at, "unknown escape \\" + e);
            }
        }

        private void hex(int at, int digits) {
            for (int k = 0; k < digits; k++) {
                if (i >= s.length() || Character.digit(s.charAt(i), 16) < 0) {
                    throw error(at, "escape needs " + digits + " hex digits");
                }
                i++;
            }
        }

        private String name() {
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '-'
                    || s.charAt(i) == '_')) {
                i++;
            }
            return s.substring(start, i);
        }

        private void skipSpace(boolean newlines) {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '#') {
                    while (i < s.length() && s.charAt(i) != '\n') {
                        i++;
                    }
                } else if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n')) {
                    i++;
                } else {
                    break;
                }
            }
        }

        private UserException error(int at, String message) {
            int line = 1;
            int col = 1;
            for (int k = 0; k < at && k < s.length(); k++) {
                if (s.charAt(k) == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            return new UserException("grammar " + line + ":" + col + ": " + message);
        }
    }
}
