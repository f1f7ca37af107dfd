package org.rsafe.workspace;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Example;
import org.rsafe.policy.Policy;

/**
 * What changed between two versions of a policy, in policy terms rather than lines: policy fields that changed,
 * and clauses added, removed or changed (matched by id, so a new title under the same id is a rename). Per clause it
 * compares title, description, severity, threshold and the violating and safe examples (as sets).
 *
 * @param policyFields changed top-level fields (id, name, version, description, applies_to, instructions)
 * @param clauses      clause changes: those of the older version's clauses in its order, then added ones in the
 *                     newer version's order
 */
public record PolicyDiff(List<FieldChange> policyFields, List<ClauseChange> clauses) {

    static final String TITLE = "title";

    public PolicyDiff {
        policyFields = List.copyOf(policyFields);
        clauses = List.copyOf(clauses);
    }

    /** Compares an older version {@code a} with a newer version {@code b}. */
    public static PolicyDiff between(Policy a, Policy b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        List<FieldChange> top = new ArrayList<>();
        value(top, "id", a.id(), b.id());
        value(top, "name", a.name(), b.name());
        value(top, "version", a.version(), b.version());
        value(top, "description", a.description(), b.description());
        value(top, "applies_to", a.appliesTo().yamlName(), b.appliesTo().yamlName());
        value(top, "instructions", a.instructions(), b.instructions());

        Map<String, Clause> before = byId(a.clauses());
        Map<String, Clause> after = byId(b.clauses());
        List<ClauseChange> changes = new ArrayList<>();
        for (Clause old : before.values()) {
            Clause now = after.get(old.id());
            if (now == null) {
                changes.add(new ClauseChange.ClauseRemoved(old));
                continue;
            }
            List<FieldChange> fields = clauseFields(old, now);
            if (!fields.isEmpty()) {
                changes.add(new ClauseChange.ClauseChanged(old.id(), fields));
            }
        }
        for (Clause now : after.values()) {
            if (!before.containsKey(now.id())) {
                changes.add(new ClauseChange.ClauseAdded(now));
            }
        }
        return new PolicyDiff(top, changes);
    }

    /** True when the two versions mean the same policy (formatting and comments may still differ). */
    public boolean isEmpty() {
        return policyFields.isEmpty() && clauses.isEmpty();
    }

    public List<ClauseChange.ClauseAdded> added() {
        return clauses.stream().filter(ClauseChange.ClauseAdded.class::isInstance)
                .map(ClauseChange.ClauseAdded.class::cast).toList();
    }

    public List<ClauseChange.ClauseRemoved> removed() {
        return clauses.stream().filter(ClauseChange.ClauseRemoved.class::isInstance)
                .map(ClauseChange.ClauseRemoved.class::cast).toList();
    }

    public List<ClauseChange.ClauseChanged> changed() {
        return clauses.stream().filter(ClauseChange.ClauseChanged.class::isInstance)
                .map(ClauseChange.ClauseChanged.class::cast).toList();
    }

    /**
     * One line counting the changes, as both faces show it: "none (the two versions mean the same policy)" or
     * "2 clause(s) added, 0 removed, 1 changed (0 renamed)".
     */
    public String summary() {
        if (isEmpty()) {
            return "none (the two versions mean the same policy)";
        }
        return String.format(java.util.Locale.ROOT, "%d clause(s) added, %d removed, %d changed (%d renamed)",
                added().size(), removed().size(), changed().size(), changed().stream().filter(c -> c.renamed()).count());
    }

    /** The changes as lines for a terminal or a report: {@code + K9 "Title" added}, {@code ~ K1 title: …}. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (FieldChange f : policyFields) {
            out.add("~ policy " + f.describe());
        }
        for (ClauseChange c : clauses) {
            if (c instanceof ClauseChange.ClauseAdded add) {
                out.add("+ " + add.id() + " \"" + add.clause().title() + "\" added");
            } else if (c instanceof ClauseChange.ClauseRemoved rem) {
                out.add("- " + rem.id() + " \"" + rem.clause().title() + "\" removed");
            } else if (c instanceof ClauseChange.ClauseChanged ch) {
                for (FieldChange f : ch.fields()) {
                    String what = f.field().equals(TITLE) ? "renamed: " + f.describe().substring(TITLE.length() + 2)
                            : f.describe();
                    out.add("~ " + ch.id() + " " + what);
                    if (f instanceof FieldChange.ExamplesChanged ex) {
                        ex.added().forEach(t -> out.add("    + \"" + t + "\""));
                        ex.removed().forEach(t -> out.add("    - \"" + t + "\""));
                    }
                }
            }
        }
        return out;
    }

    private static List<FieldChange> clauseFields(Clause a, Clause b) {
        List<FieldChange> out = new ArrayList<>();
        value(out, TITLE, a.title(), b.title());
        value(out, "description", a.description(), b.description());
        value(out, "severity", a.severity(), b.severity());
        value(out, "threshold", threshold(a.threshold()), threshold(b.threshold()));
        examples(out, "violating", a.violating(), b.violating());
        examples(out, "safe", a.safe(), b.safe());
        return out;
    }

    private static void value(List<FieldChange> out, String field, String before, String after) {
        String x = before == null ? "" : before;
        String y = after == null ? "" : after;
        if (!x.equals(y)) {
            out.add(new FieldChange.ValueChanged(field, x, y));
        }
    }

    private static void examples(List<FieldChange> out, String field, List<Example> before, List<Example> after) {
        Set<String> x = texts(before);
        Set<String> y = texts(after);
        List<String> added = y.stream().filter(t -> !x.contains(t)).toList();
        List<String> removed = x.stream().filter(t -> !y.contains(t)).toList();
        if (!added.isEmpty() || !removed.isEmpty()) {
            out.add(new FieldChange.ExamplesChanged(field, added, removed));
        }
    }

    private static Set<String> texts(List<Example> examples) {
        Set<String> out = new LinkedHashSet<>();
        for (Example e : examples) {
            out.add(e.text().strip());
        }
        return out;
    }

    /** A threshold as written: {@code 0.6}, or {@code default} when the clause leaves it to the engine. */
    static String threshold(Double t) {
        return t == null ? "default" : BigDecimal.valueOf(t).stripTrailingZeros().toPlainString();
    }

    private static Map<String, Clause> byId(List<Clause> clauses) {
        Map<String, Clause> m = new LinkedHashMap<>();
        for (Clause c : clauses) {
            m.putIfAbsent(c.id(), c);
        }
        return m;
    }
}
