package org.rsafe.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Policy;

/**
 * How a dataset's gold category names relate to the clauses of the policy being measured, so that per-clause
 * metrics compare like with like. Data sets name their categories their own way ("Privacy", "violence",
 * "Sexual/Adult content"); a category counts for a clause when
 * <ol>
 *   <li>it is the clause's id (ignoring case), or</li>
 *   <li>its words are the words of the clause's title (ignoring case, punctuation and "and"/"or"/"&amp;"), or</li>
 *   <li>its distinctive words (not generic ones such as "harm" or "content") all occur in the title of exactly
 *       one clause ("Physical harm" → "Violence &amp; Physical Harm"), or</li>
 *   <li>no title has all of them, and exactly one title has some ("Expert advice" → "Unauthorized Professional
 *       Advice").</li>
 * </ol>
 * Anything else is unmapped and named in the report: per-clause metrics then leave out the unsafe rows whose
 * categories are all unmapped, since it is not known which clause they should have triggered.
 *
 * @param mapped   category name (as in the data) → clause id
 * @param unmapped category names with no clause
 */
public record CategoryMap(Map<String, String> mapped, Set<String> unmapped) {
    /** Maps every category to itself: for predictions whose gold categories already are clause ids. */
    public static final CategoryMap IDENTITY = new CategoryMap(Map.of(), Set.of());

    private static final Set<String> FILLER = Set.of("and", "or", "of", "the", "a", "an", "to", "in", "on", "for",
            "with");
    /** Words too common in category names to identify a clause (compared after the plural "s" is taken off). */
    private static final Set<String> GENERIC = Set.of("harm", "harmful", "content", "other", "related", "activity",
            "activitie", "behavior", "behaviour", "issue", "unsafe", "general", "misc", "crime");

    public CategoryMap {
        mapped = java.util.Collections.unmodifiableMap(new TreeMap<>(mapped));
        unmapped = java.util.Collections.unmodifiableSet(new TreeSet<>(unmapped));
    }

    /** Resolves {@code categories} (as they occur in the data) against the clauses of {@code policy}. */
    public static CategoryMap resolve(Policy policy, Collection<String> categories) {
        Map<String, String> mapped = new LinkedHashMap<>();
        Set<String> unmapped = new LinkedHashSet<>();
        for (String category : new LinkedHashSet<>(categories)) {
            String clause = clauseFor(policy, category);
            if (clause != null) {
                mapped.put(category, clause);
            } else {
                unmapped.add(category);
            }
        }
        return new CategoryMap(mapped, unmapped);
    }

    /** Resolves the gold categories of {@code predictions} against the clauses of {@code policy}. */
    public static CategoryMap resolve(Policy policy, List<Prediction> predictions) {
        Set<String> categories = new LinkedHashSet<>();
        predictions.forEach(p -> categories.addAll(p.goldCategories()));
        return resolve(policy, categories);
    }

    /** Whether this map changes nothing (every category already is a clause id, or there are none). */
    public boolean isIdentity() {
        return unmapped.isEmpty() && mapped.entrySet().stream().allMatch(e -> e.getKey().equals(e.getValue()));
    }

    /** The clause ids of a row's gold categories; unmapped categories are dropped. */
    public List<String> clausesOf(List<String> categories) {
        if (this == IDENTITY) {
            return categories;
        }
        List<String> out = new ArrayList<>(categories.size());
        for (String c : categories) {
            String id = mapped.get(c);
            if (id != null && !out.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** One line for people: which category counted for which clause, and which were left out. */
    public String describe() {
        StringBuilder sb = new StringBuilder("gold categories as clauses: ");
        if (mapped.isEmpty()) {
            sb.append("none matched a clause id or title");
        } else {
            List<String> pairs = new ArrayList<>();
            mapped.forEach((category, clause) -> pairs.add(category.equals(clause) ? clause : category + " → " + clause));
            sb.append(String.join(", ", pairs));
        }
        if (!unmapped.isEmpty()) {
            sb.append("; no clause for ").append(String.join(", ", unmapped))
                    .append(" (their unsafe rows are left out of the per-clause metrics)");
        }
        return sb.toString();
    }

    /** {@code {"mapped": {category: clause}, "unmapped": [category...]}} for report.json. */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mapped", mapped);
        m.put("unmapped", List.copyOf(unmapped));
        return m;
    }

    private static String clauseFor(Policy policy, String category) {
        String trimmed = category.trim();
        for (Clause c : policy.clauses()) {
            if (c.id().equalsIgnoreCase(trimmed)) {
                return c.id();
            }
        }
        List<String> words = words(trimmed);
        if (words.isEmpty()) {
            return null;
        }
        for (Clause c : policy.clauses()) {
            if (new TreeSet<>(words(c.title())).equals(new TreeSet<>(words))) {
                return c.id();
            }
        }
        List<String> distinctive = words.stream().filter(w -> !GENERIC.contains(w)).toList();
        if (distinctive.isEmpty()) {
            return null;
        }
        List<String> all = new ArrayList<>();
        List<String> some = new ArrayList<>();
        for (Clause c : policy.clauses()) {
            Set<String> title = new LinkedHashSet<>(words(c.title()));
            if (title.containsAll(distinctive)) {
                all.add(c.id());
            } else if (distinctive.stream().anyMatch(title::contains)) {
                some.add(c.id());
            }
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        // No title has every word: one clause sharing some of them still identifies it ("Expert advice" →
        // "Unauthorized Professional Advice"); two or more ("Harassment/Discrimination") are ambiguous.
        return all.isEmpty() && some.size() == 1 ? some.get(0) : null;
    }

    /**
     * Lower-case words without filler, a trailing plural "s" taken off ("weapons" = "weapon"), and "non" joined to
     * the word it negates, so that "Non-violent crime" does not match "Violent crimes".
     */
    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        String negation = "";
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.isEmpty() || FILLER.contains(w)) {
                continue;
            }
            if (w.equals("non") || w.equals("not")) {
                negation = "non";
                continue;
            }
            String stem = w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.substring(0, w.length() - 1) : w;
            out.add(negation + stem);
            negation = "";
        }
        return out;
    }
}
