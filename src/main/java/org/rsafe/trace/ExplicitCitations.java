package org.rsafe.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Policy;

/**
 * Finds the clauses a reasoning step names outright, by ID or by title.
 *
 * <p>Rule. An ID counts when it stands as a whole token, ignoring case: "U3" matches "U3:", "(u3)" and
 * "U3-related" but not "U30" or "XU3" (one-character IDs must match case too, so "I" is not cited by
 * every "i"). A title counts when it appears as whole words, ignoring case, where hyphen-like characters
 * (-, U+2010, U+2011, U+2012, U+2013) are interchangeable and may have spaces around them, any run of
 * whitespace matches any other, and "&amp;" matches "and". Whole words means not glued to a letter, digit,
 * underscore, hyphen or slash, so "Sexual" is not found in "asexual", "non-sexual" or "sexual/minors".
 * A title found only inside a longer title of another clause (e.g. "Hate" inside "Hate Speech &amp;
 * Discrimination") does not count. Each clause is cited at most once, in the order of its first mention,
 * as {@link Citation.Kind#EXPLICIT} with strength 1. A mention is a citation even when negated ("this is
 * not U3"): the step is about that clause either way, and the verdict says which way it went.
 */
public final class ExplicitCitations {

    private static final String DASHES = "\\-\u2010\u2011\u2012\u2013";
    private static final String ID_GLUE = "\\p{L}\\p{N}_";
    private static final String TITLE_GLUE = "\\p{L}\\p{N}_/" + DASHES;
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

    private ExplicitCitations() { }

    public static List<Citation> find(String stepText, Policy policy) {
        Objects.requireNonNull(stepText, "stepText");
        Objects.requireNonNull(policy, "policy");
        List<Mention> idMentions = new ArrayList<>();
        List<Mention> titleMentions = new ArrayList<>();
        for (Clause clause : policy.clauses()) {
            if (!clause.id().isBlank()) {
                collect(idPattern(clause.id()), stepText, clause.id(), idMentions);
            }
            if (!clause.title().isBlank()) {
                collect(titlePattern(clause.title()), stepText, clause.id(), titleMentions);
            }
        }
        List<Mention> counted = new ArrayList<>(idMentions);
        for (Mention m : titleMentions) {
            boolean insideLonger = titleMentions.stream().anyMatch(o -> !o.clauseId.equals(m.clauseId)
                    && o.start <= m.start && o.end >= m.end && o.end - o.start > m.end - m.start);
            if (!insideLonger) {
                counted.add(m);
            }
        }
        counted.sort(Comparator.comparingInt((Mention m) -> m.start));
        Map<String, Citation> byClause = new LinkedHashMap<>();
        for (Mention m : counted) {
            byClause.putIfAbsent(m.clauseId, new Citation(m.clauseId, Citation.Kind.EXPLICIT, 1.0));
        }
        return List.copyOf(byClause.values());
    }

    /**
     * The clauses named explicitly anywhere in {@code steps}, in policy order: what a reasoning guard flags when its
     * verdict is unsafe (the model gives no per-clause scores, so the clauses its reasoning names are its finding).
     */
    public static List<String> namedInPolicyOrder(List<TraceStep> steps, Policy policy) {
        Objects.requireNonNull(steps, "steps");
        Objects.requireNonNull(policy, "policy");
        Set<String> named = new HashSet<>();
        for (TraceStep step : steps) {
            for (Citation c : step.citations()) {
                if (c.kind() == Citation.Kind.EXPLICIT) {
                    named.add(c.clauseId());
                }
            }
        }
        List<String> ordered = new ArrayList<>();
        for (Clause clause : policy.clauses()) {
            if (named.contains(clause.id())) {
                ordered.add(clause.id());
            }
        }
        return ordered;
    }

    private static void collect(Pattern pattern, String text, String clauseId, List<Mention> into) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            into.add(new Mention(clauseId, m.start(), m.end()));
        }
    }

    private static Pattern idPattern(String id) {
        String core = Pattern.quote(id.strip());
        String glued = "(?<![" + ID_GLUE + "])" + core + "(?![" + ID_GLUE + "])";
        return id.strip().length() < 2 ? Pattern.compile(glued) : Pattern.compile(glued, FLAGS);
    }

    /** Builds a pattern from the title: literal words, flexible separators, whole-word bounds. */
    static Pattern titlePattern(String title) {
        String t = title.strip();
        StringBuilder re = new StringBuilder("(?<![" + TITLE_GLUE + "])");
        int i = 0;
        while (i < t.length()) {
            int j = i;
            while (j < t.length() && isSeparator(t.charAt(j))) {
                j++;
            }
            if (j > i) {
                String sep = t.substring(i, j);
                if (sep.chars().anyMatch(c -> DASHES.indexOf(c) >= 0 && c != '\\')) {
                    re.append("\\s*[").append(DASHES).append("]\\s*");
                } else if (sep.indexOf('&') >= 0) {
                    re.append("(?:\\s*&\\s*|\\s+and\\s+)");
                } else {
                    re.append("\\s+");
                }
                i = j;
                continue;
            }
            while (j < t.length() && !isSeparator(t.charAt(j))) {
                j++;
            }
            re.append(Pattern.quote(t.substring(i, j)));
            i = j;
        }
        re.append("(?![").append(TITLE_GLUE).append("])");
        return Pattern.compile(re.toString(), FLAGS);
    }

    private static boolean isSeparator(char c) {
        return Character.isWhitespace(c) || c == '&' || c == '-' || (c >= '\u2010' && c <= '\u2013');
    }

    private record Mention(String clauseId, int start, int end) { }
}
