package org.rsafe.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Policy;

/**
 * Finds the clauses a reasoning step names outright, by id, title, part of a title or alias, checks each cited id
 * against the name the step gives it, and reads whether the mention argues for the clause or rules it out.
 *
 * <p>Ids. An id counts when it stands as a whole token, ignoring case: "U3" matches "U3:", "(u3)" and
 * "U3-related" but not "U30" or "XU3" (one-character ids must match case too, so "I" is not cited by every "i").
 * A range "U1-U18" ("U1–U18", "U1 to U18", "U1 through U18") cites every id from its first to its last number.
 * An id-shaped token the policy does not have (capital letters then digits: "U19", "S1") is cited as an
 * {@link Citation.Problem#UNKNOWN_ID unknown id} when it shares its letters with the policy's ids, when a name
 * follows it, or when a word such as "category", "clause" or "under" comes just before it.
 *
 * <p>Stated names. A name written right after an id, as "U2 (Weapons)", "U2 - Weapons" or "U2: Weapons" (at most
 * {@value #MAX_NAME_WORDS} words), is compared with the clauses' titles and aliases: it fits a clause when it
 * contains one of the clause's names, or shares a content word with them (words compared by their first five
 * letters, so "violent" fits "Violence"; "non-violent" is not "violent"). A name that fits other clauses and not the
 * cited one makes the citation a {@link Citation.Problem#NAME_MISMATCH mismatch}; a name that fits nothing says
 * nothing. The words of a stated name cite nothing themselves.
 *
 * <p>Titles. A title counts when it appears as whole words, ignoring case, where hyphen-like characters (-, U+2010,
 * U+2011, U+2012, U+2013) are interchangeable and may have spaces around them, any run of whitespace matches any
 * other, and "&amp;" matches "and". Whole words means not glued to a letter, digit, underscore, hyphen or slash, so
 * "Sexual" is not found in "asexual", "non-sexual" or "sexual/minors". The parts of a title count too: the groups
 * between " / " and the parts between "&amp;" ("Hate Speech", "Manipulation &amp; Coercion", "Suicide"), and the
 * title without a bracketed qualifier ("Child Abuse"); a part may end in a plural "s" or drop it, and a part that
 * belongs to several clauses ("Manipulation") cites none. Aliases ({@code aliases:} in the policy) count like
 * titles. A name found only inside a longer name of another clause ("Hate" inside "Hate Speech &amp;
 * Discrimination") does not count.
 *
 * <p>Polarity. A mention {@link Citation.Polarity#RULES_OUT rules its clause out} when a negation ("not", "no",
 * "n't", "without", "neither", "nor", "rather than", "instead of", "unrelated to") comes before it in the same part
 * of the sentence ("this is not about weapons", "not hate speech or harassment"), or one of the
 * {@value #AFTER_WORDS} words after it is one ("U2 does not apply", "U1: not relevant"). A negated verdict word
 * ("not safe because it explains weapons") negates nothing. Parts of a sentence end at . ! ? ; : brackets, line
 * breaks, "but", "however", "because", "since", "although", "while", "so", "which", and at a comma unless only a
 * listed name stands between the comma and the mention.
 *
 * <p>Each clause (and each unknown id) is cited at most once per step, in the order of its first mention, with
 * strength 1: invalid when any of its mentions is, supporting when any valid mention supports it.
 */
public final class ExplicitCitations {

    static final int MAX_NAME_WORDS = 5;
    static final int AFTER_WORDS = 3;
    private static final int BEFORE_WORDS = 8;
    private static final int MAX_RANGE = 200;

    private static final String DASHES = "\\-\u2010\u2011\u2012\u2013";
    private static final String ID_GLUE = "\\p{L}\\p{N}_";
    private static final String TITLE_GLUE = "\\p{L}\\p{N}_/" + DASHES;
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

    private static final Pattern RANGE = Pattern.compile("(?<![" + ID_GLUE + "])([A-Za-z]{1,4})(\\d{1,3})"
            + "\\s*(?:[" + DASHES + "\u2014]|\\bto\\b|\\bthrough\\b|\\bthru\\b)\\s*(?:\\1)?(\\d{1,3})(?![" + ID_GLUE + "])",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ID_SHAPE = Pattern.compile("(?<![" + ID_GLUE + "])([A-Z]{1,3})(\\d{1,3})(?![" + ID_GLUE + "])");
    private static final Pattern CUE_BEFORE_ID = Pattern.compile(
            "(?:category|categories|clause|clauses|rule|rules|section|policy|under|violates|violation\\s+of|code|label)"
                    + "\\s*[#:]?\\s*$", FLAGS);
    private static final Pattern NAME_IN_BRACKETS = Pattern.compile("\\G\\s*\\(([^()\\n]{1,80})\\)");
    private static final Pattern NAME_AFTER_MARK = Pattern.compile("\\G\\s*(?:[:\u2014" + DASHES + "])\\s*(\\p{L}[^.,;:()\\n!?]{0,79})");
    private static final Pattern NEGATION = Pattern.compile(
            "(?<![\\p{L}])(?:not(?!\\s+only)|no|never|neither|nor|without|none|rather\\s+than|instead\\s+of|unrelated|"
                    + "irrelevant|inapplicable|excludes?|ruled?\\s+out|rules\\s+out)(?![\\p{L}])|n't(?![\\p{L}])", FLAGS);
    private static final Pattern VERDICT_WORD = Pattern.compile(
            "\\s+(?:a\\s+)?(?:safe|unsafe|harmful|harmless|allowed|acceptable|appropriate|okay|ok|benign|fine|problem|"
                    + "problematic|dangerous|violating|a\\s+violation|permitted)(?![\\p{L}])", FLAGS);
    private static final Pattern HARD_BOUNDARY = Pattern.compile(
            "[.!?;:()\\[\\]\\n]|(?<![\\p{L}])(?:but|however|because|since|although|though|while|whereas|so|which|yet)(?![\\p{L}])",
            FLAGS);
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");
    private static final Set<String> LIST_WORDS = Set.of("or", "and", "nor", "either", "the", "a", "an", "any");
    /** Words too common in harm taxonomies, or too empty, to tell one clause's name from another's. */
    private static final Set<String> WEAK_WORDS = Set.of("and", "or", "the", "a", "an", "of", "for", "to", "in", "on",
            "with", "by", "about", "is", "are", "this", "that", "it", "its", "user", "content", "harm", "harms",
            "harmful", "related", "other", "general", "category", "categories", "issue", "issues", "activity",
            "activities", "non", "illegal", "unsafe", "safe");

    private ExplicitCitations() { }

    public static List<Citation> find(String stepText, Policy policy) {
        Objects.requireNonNull(stepText, "stepText");
        Objects.requireNonNull(policy, "policy");
        List<Name> names = names(policy);
        List<Mention> ids = idMentions(stepText, policy, names);
        List<int[]> statedNames = new ArrayList<>();
        for (Mention m : ids) {
            if (m.nameSpan != null) {
                statedNames.add(m.nameSpan);
            }
        }
        List<Mention> named = new ArrayList<>();
        for (Name n : names) {
            Matcher matcher = n.pattern.matcher(stepText);
            while (matcher.find()) {
                int s = matcher.start();
                int e = matcher.end();
                if (statedNames.stream().noneMatch(span -> s >= span[0] && e <= span[1])) {
                    named.add(new Mention(n.clauseId, n.via, s, e, Citation.Problem.NONE, "", null));
                }
            }
        }
        List<Mention> counted = new ArrayList<>(ids);
        for (Mention m : named) {
            boolean insideLonger = named.stream().anyMatch(o -> !o.clauseId.equals(m.clauseId)
                    && o.start <= m.start && o.end >= m.end && o.end - o.start > m.end - m.start);
            if (!insideLonger) {
                counted.add(m);
            }
        }
        counted.sort(Comparator.comparingInt((Mention m) -> m.start));
        Map<String, Citation> byClause = new LinkedHashMap<>();
        for (Mention m : counted) {
            Citation.Polarity polarity = polarity(stepText, m.start, m.end);
            Citation c = new Citation(m.clauseId, Citation.Kind.EXPLICIT, 1.0, m.via, polarity, m.problem, m.note);
            byClause.merge(m.clauseId, c, ExplicitCitations::merge);
        }
        return List.copyOf(byClause.values());
    }

    /** Two mentions of one clause in a step: the first's way of finding, invalid if either is, supporting if either does. */
    private static Citation merge(Citation first, Citation later) {
        Citation.Problem problem = first.invalid() ? first.problem() : later.problem();
        String note = first.invalid() ? first.note() : later.note();
        Citation.Polarity polarity = first.polarity() == Citation.Polarity.SUPPORTS
                || later.polarity() == Citation.Polarity.SUPPORTS ? Citation.Polarity.SUPPORTS : Citation.Polarity.RULES_OUT;
        return new Citation(first.clauseId(), Citation.Kind.EXPLICIT, 1.0, first.via(), polarity, problem, note);
    }

    /**
     * The clauses named in support anywhere in {@code steps}, in policy order: what a reasoning guard flags when its
     * verdict is unsafe (the model gives no per-clause scores, so the clauses its reasoning argues for are its
     * finding). Negated mentions, invalid citations and inferred links are left out.
     */
    public static List<String> namedInPolicyOrder(List<TraceStep> steps, Policy policy) {
        Objects.requireNonNull(steps, "steps");
        Objects.requireNonNull(policy, "policy");
        Set<String> named = new HashSet<>();
        for (TraceStep step : steps) {
            for (Citation c : step.citations()) {
                if (c.kind() == Citation.Kind.EXPLICIT && c.supports()) {
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

    // ---- ids, ranges and stated names ----

    private static List<Mention> idMentions(String text, Policy policy, List<Name> names) {
        Map<String, String> policyIds = new LinkedHashMap<>();
        Set<String> idLetters = new HashSet<>();
        for (Clause clause : policy.clauses()) {
            String id = clause.id().strip();
            if (!id.isEmpty()) {
                policyIds.putIfAbsent(id.toLowerCase(Locale.ROOT), clause.id());
                Matcher shape = ID_SHAPE.matcher(id);
                if (shape.matches()) {
                    idLetters.add(shape.group(1));
                }
            }
        }
        List<Mention> out = new ArrayList<>();
        List<int[]> ranges = new ArrayList<>();
        Matcher r = RANGE.matcher(text);
        while (r.find()) {
            int lo = Integer.parseInt(r.group(2));
            int hi = Integer.parseInt(r.group(3));
            String letters = r.group(1);
            boolean known = policyIds.containsKey((letters + lo).toLowerCase(Locale.ROOT));
            if (hi <= lo || hi - lo > MAX_RANGE || !(known || idLetters.contains(letters))) {
                continue;
            }
            ranges.add(new int[] {r.start(), r.end()});
            for (int n = lo; n <= hi; n++) {
                String written = letters + n;
                String id = policyIds.get(written.toLowerCase(Locale.ROOT));
                out.add(id != null
                        ? new Mention(id, Citation.Via.ID, r.start(), r.end(), Citation.Problem.NONE, "", null)
                        : unknown(written, r.start(), r.end(), ""));
            }
        }
        for (Clause clause : policy.clauses()) {
            if (clause.id().isBlank()) {
                continue;
            }
            Matcher m = idPattern(clause.id()).matcher(text);
            while (m.find()) {
                if (!inside(ranges, m.start(), m.end())) {
                    out.add(checkedName(text, m.start(), m.end(), clause.id(), names, policy));
                }
            }
        }
        Matcher m = ID_SHAPE.matcher(text);
        while (m.find()) {
            if (policyIds.containsKey(m.group().toLowerCase(Locale.ROOT)) || inside(ranges, m.start(), m.end())) {
                continue;
            }
            int[] nameSpan = statedName(text, m.end());
            boolean cued = CUE_BEFORE_ID.matcher(text.substring(Math.max(0, m.start() - 30), m.start())).find();
            if (idLetters.contains(m.group(1)) || nameSpan != null || cued) {
                String name = nameSpan == null ? "" : text.substring(nameSpan[0], nameSpan[1]).strip();
                Mention u = unknown(m.group(), m.start(), m.end(), name);
                out.add(new Mention(u.clauseId, u.via, u.start, u.end, u.problem, u.note, nameSpan));
            }
        }
        return out;
    }

    private static Mention unknown(String id, int start, int end, String statedName) {
        String note = id + " is not a clause of this policy" + (statedName.isEmpty() ? "" : " (named '" + statedName + "')");
        return new Mention(id, Citation.Via.ID, start, end, Citation.Problem.UNKNOWN_ID, note, null);
    }

    /** An id mention, checked against the name written after it. */
    private static Mention checkedName(String text, int start, int end, String clauseId, List<Name> names, Policy policy) {
        int[] span = statedName(text, end);
        if (span == null) {
            return new Mention(clauseId, Citation.Via.ID, start, end, Citation.Problem.NONE, "", null);
        }
        String name = text.substring(span[0], span[1]).strip();
        Set<String> fits = fits(name, names, policy);
        if (fits.isEmpty() || fits.contains(clauseId)) {
            return new Mention(clauseId, Citation.Via.ID, start, end, Citation.Problem.NONE, "", span);
        }
        String title = policy.clause(clauseId).map(Clause::title).orElse("");
        String note = clauseId + " is '" + title.strip() + "', but the step names it '" + name + "', which fits "
                + String.join(", ", fits);
        return new Mention(clauseId, Citation.Via.ID, start, end, Citation.Problem.NAME_MISMATCH, note, span);
    }

    /** The span of a name written right after an id, or null. */
    private static int[] statedName(String text, int idEnd) {
        Matcher b = NAME_IN_BRACKETS.matcher(text).region(idEnd, text.length());
        if (b.lookingAt()) {
            return new int[] {b.start(1), b.end(1)};
        }
        Matcher a = NAME_AFTER_MARK.matcher(text).region(idEnd, text.length());
        if (!a.lookingAt()) {
            return null;
        }
        int start = a.start(1);
        Matcher w = WORD.matcher(text).region(start, a.end(1));
        int end = start;
        int words = 0;
        while (w.find() && words < MAX_NAME_WORDS) {
            end = w.end();
            words++;
        }
        return words == 0 ? null : new int[] {start, end};
    }

    /** The clauses a stated name fits: it contains one of their names, or shares a content word with them. */
    static Set<String> fits(String statedName, List<Name> names, Policy policy) {
        Set<String> out = new LinkedHashSet<>();
        for (Name n : names) {
            if (n.pattern.matcher(statedName).find()) {
                out.add(n.clauseId);
            }
        }
        if (!out.isEmpty()) {
            return out;
        }
        Set<String> stated = stems(statedName);
        for (Clause c : policy.clauses()) {
            Set<String> own = stems(c.title() + " " + String.join(" ", c.aliases()));
            if (own.stream().anyMatch(stated::contains)) {
                out.add(c.id());
            }
        }
        return out;
    }

    private static Set<String> stems(String text) {
        String cleaned = text.replaceAll("(?i)(?<![\\p{L}])non[" + DASHES + "\\s]?\\p{L}+", " ");
        Set<String> out = new HashSet<>();
        Matcher w = WORD.matcher(cleaned.toLowerCase(Locale.ROOT));
        while (w.find()) {
            String word = w.group();
            if (word.length() < 3 || WEAK_WORDS.contains(word)) {
                continue;
            }
            out.add(word.length() > 5 ? word.substring(0, 5) : word.replaceAll("s$", ""));
        }
        return out;
    }

    private static boolean inside(List<int[]> spans, int start, int end) {
        return spans.stream().anyMatch(s -> start >= s[0] && end <= s[1]);
    }

    // ---- polarity ----

    static Citation.Polarity polarity(String text, int start, int end) {
        return negatedBefore(text, start) || negatedAfter(text, end) ? Citation.Polarity.RULES_OUT : Citation.Polarity.SUPPORTS;
    }

    private static boolean negatedBefore(String text, int start) {
        int from = Math.max(0, start - 120);
        String before = text.substring(from, start);
        Matcher b = HARD_BOUNDARY.matcher(before);
        int cut = 0;
        while (b.find()) {
            cut = b.end();
        }
        before = before.substring(cut);
        // A comma ends the part unless only a listed name stands between it and the mention ("not X, Y or Z").
        int comma = before.lastIndexOf(',');
        while (comma >= 0) {
            if (contentWords(before.substring(comma + 1)) > 1) {
                before = before.substring(comma + 1);
                break;
            }
            comma = before.lastIndexOf(',', comma - 1);
        }
        List<int[]> words = words(before);
        if (words.size() > BEFORE_WORDS) {
            before = before.substring(words.get(words.size() - BEFORE_WORDS)[0]);
        }
        Matcher n = NEGATION.matcher(before);
        while (n.find()) {
            if (!VERDICT_WORD.matcher(before).region(n.end(), before.length()).lookingAt()) {
                return true;
            }
        }
        return false;
    }

    private static boolean negatedAfter(String text, int end) {
        String after = text.substring(end, Math.min(text.length(), end + 80));
        Matcher b = Pattern.compile("[.!?;,\\n]|(?<![\\p{L}])(?:but|however|because|since|while|whereas)(?![\\p{L}])",
                FLAGS).matcher(after);
        if (b.find()) {
            after = after.substring(0, b.start());
        }
        List<int[]> words = words(after);
        int counted = 0;
        int limit = 0;
        for (int[] w : words) {
            String word = after.substring(w[0], w[1]).toLowerCase(Locale.ROOT);
            limit = w[1];
            if (!word.endsWith("ly")) {
                counted++;
            }
            if (counted >= AFTER_WORDS) {
                break;
            }
        }
        Matcher n = NEGATION.matcher(after.substring(0, limit));
        return n.find();
    }

    private static List<int[]> words(String text) {
        List<int[]> out = new ArrayList<>();
        Matcher w = WORD.matcher(text);
        while (w.find()) {
            out.add(new int[] {w.start(), w.end()});
        }
        return out;
    }

    private static int contentWords(String text) {
        int n = 0;
        Matcher w = WORD.matcher(text);
        while (w.find()) {
            if (!LIST_WORDS.contains(w.group().toLowerCase(Locale.ROOT))) {
                n++;
            }
        }
        return n;
    }

    // ---- names: titles, their parts, aliases ----

    /** Every name a step may use for a clause; a title part shared by several clauses is left out. */
    static List<Name> names(Policy policy) {
        List<Name> full = new ArrayList<>();
        Map<String, Set<String>> partOwners = new LinkedHashMap<>();
        Map<String, List<Name>> parts = new LinkedHashMap<>();
        Set<String> fullKeys = new HashSet<>();
        for (Clause clause : policy.clauses()) {
            String title = clause.title().strip();
            if (!title.isEmpty()) {
                full.add(new Name(clause.id(), Citation.Via.TITLE, titlePattern(title, false)));
                fullKeys.add(key(title));
            }
            for (String alias : clause.aliases()) {
                if (!alias.isBlank()) {
                    full.add(new Name(clause.id(), Citation.Via.ALIAS, titlePattern(alias, false)));
                    fullKeys.add(key(alias));
                }
            }
            for (String part : titleParts(title)) {
                String k = key(part);
                partOwners.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(clause.id());
                parts.computeIfAbsent(k, x -> new ArrayList<>())
                        .add(new Name(clause.id(), Citation.Via.TITLE, titlePattern(part, true)));
            }
        }
        List<Name> out = new ArrayList<>(full);
        // A part equal to a full title or alias is left to that name; a part of several clauses cites none.
        parts.forEach((k, list) -> {
            if (partOwners.get(k).size() == 1 && !fullKeys.contains(k)) {
                out.add(list.get(0));
            }
        });
        return out;
    }

    /** The groups between " / ", the parts between "&amp;", and the title without a bracketed qualifier. */
    static List<String> titleParts(String title) {
        Set<String> out = new LinkedHashSet<>();
        String bare = title.replaceAll("\\s*\\([^()]*\\)\\s*", " ").strip();
        if (!bare.isEmpty() && !bare.equals(title)) {
            out.add(bare);
        }
        for (String group : bare.split("\\s+/\\s+")) {
            if (!group.isBlank()) {
                out.add(group.strip());
            }
            for (String part : group.split("\\s*&\\s*")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        out.remove(title.strip());
        return List.copyOf(out);
    }

    private static String key(String name) {
        return name.strip().replaceAll("[\\s" + DASHES + "]+", " ").toLowerCase(Locale.ROOT);
    }

    private static Pattern idPattern(String id) {
        String core = Pattern.quote(id.strip());
        String glued = "(?<![" + ID_GLUE + "])" + core + "(?![" + ID_GLUE + "])";
        return id.strip().length() < 2 ? Pattern.compile(glued) : Pattern.compile(glued, FLAGS);
    }

    /** Builds a pattern from the title: literal words, flexible separators, whole-word bounds. */
    static Pattern titlePattern(String title) {
        return titlePattern(title, false);
    }

    /** As {@link #titlePattern(String)}; {@code loosePlural} lets the last word gain or lose a plural "s". */
    private static Pattern titlePattern(String title, boolean loosePlural) {
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
            String word = t.substring(i, j);
            boolean last = j >= t.length();
            if (loosePlural && last && word.length() > 3 && Character.isLetter(word.charAt(word.length() - 1))) {
                String stem = word.toLowerCase(Locale.ROOT).endsWith("s") ? word.substring(0, word.length() - 1) : word;
                re.append(Pattern.quote(stem)).append("s?");
            } else {
                re.append(Pattern.quote(word));
            }
            i = j;
        }
        re.append("(?![").append(TITLE_GLUE).append("])");
        return Pattern.compile(re.toString(), FLAGS);
    }

    private static boolean isSeparator(char c) {
        return Character.isWhitespace(c) || c == '&' || c == '-' || (c >= '\u2010' && c <= '\u2013');
    }

    /** One name of a clause and how a mention of it was found. */
    record Name(String clauseId, Citation.Via via, Pattern pattern) { }

    private record Mention(String clauseId, Citation.Via via, int start, int end, Citation.Problem problem, String note,
            int[] nameSpan) { }
}
