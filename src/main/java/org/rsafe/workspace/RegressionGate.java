package org.rsafe.workspace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.rsafe.util.UserException;

/**
 * The limits a newer policy version must keep against the older one, as written on the command line:
 * {@code f1=0.01,new-fn=0,new-fp=2,fpr=0.02}.
 *
 * <ul>
 *   <li>{@code f1}, {@code precision}, {@code recall}, {@code accuracy}: the most the metric may drop;</li>
 *   <li>{@code fpr}, {@code parse-failures}: the most the false-positive rate / parse-failure rate may rise;</li>
 *   <li>{@code new-fn}, {@code new-fp}: how many rows may newly become false negatives / false positives
 *       (rows that were right, or had no verdict, before);</li>
 *   <li>{@code flips}: how many rows may change verdict at all.</li>
 * </ul>
 * A gate is broken when the observed change exceeds its limit; an improvement never breaks one.
 *
 * @param rules the limits, in the order written
 */
public record RegressionGate(List<Rule> rules) {

    /** One limit. */
    public record Rule(String name, double limit) {
        public Rule {
            Objects.requireNonNull(name, "name");
            if (!KINDS.containsKey(name)) {
                throw new IllegalArgumentException("unknown gate " + name);
            }
            if (!(limit >= 0) || Double.isInfinite(limit)) {
                throw new IllegalArgumentException("a gate's limit is a number >= 0, was " + limit);
            }
        }

        @Override
        public String toString() {
            return name + "=" + (KINDS.get(name) == Kind.COUNT ? Long.toString((long) limit) : fmt(limit));
        }
    }

    /** The outcome of one rule on one comparison. */
    public record Check(Rule rule, double observed, boolean passed, String message) { }

    private enum Kind { DROP, RISE, COUNT }

    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("f1", Kind.DROP);
        KINDS.put("precision", Kind.DROP);
        KINDS.put("recall", Kind.DROP);
        KINDS.put("accuracy", Kind.DROP);
        KINDS.put("fpr", Kind.RISE);
        KINDS.put("parse-failures", Kind.RISE);
        KINDS.put("new-fn", Kind.COUNT);
        KINDS.put("new-fp", Kind.COUNT);
        KINDS.put("flips", Kind.COUNT);
    }

    public RegressionGate {
        rules = List.copyOf(rules);
    }

    /** The gate names understood, in documentation order. */
    public static List<String> names() {
        return List.copyOf(KINDS.keySet());
    }

    /** Parses {@code name=limit,name=limit}; a mistake is a {@link UserException} naming the bad part. */
    public static RegressionGate parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new UserException("--fail-on-regression: no gates given; write e.g. f1=0.01,new-fn=0");
        }
        List<Rule> rules = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new UserException("--fail-on-regression: '" + p + "' is not name=limit (e.g. f1=0.01)");
            }
            String name = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = p.substring(eq + 1).strip();
            Kind kind = KINDS.get(name);
            if (kind == null) {
                throw new UserException("--fail-on-regression: unknown gate '" + name + "'; known gates: "
                        + String.join(", ", KINDS.keySet()));
            }
            double limit;
            try {
                limit = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new UserException("--fail-on-regression: " + name + " needs a number, got '" + value + "'");
            }
            if (!(limit >= 0) || Double.isInfinite(limit)) {
                throw new UserException("--fail-on-regression: " + name + " must be 0 or more, got '" + value + "'");
            }
            if (kind == Kind.COUNT && limit != Math.rint(limit)) {
                throw new UserException("--fail-on-regression: " + name + " counts rows, so it needs a whole number, got '"
                        + value + "'");
            }
            if (kind != Kind.COUNT && limit > 1) {
                throw new UserException("--fail-on-regression: " + name + " is a change of a rate (0 to 1), got '"
                        + value + "'");
            }
            rules.add(new Rule(name, limit));
        }
        if (rules.isEmpty()) {
            throw new UserException("--fail-on-regression: no gates given; write e.g. f1=0.01,new-fn=0");
        }
        return new RegressionGate(rules);
    }

    /** Checks every rule; the result keeps the rules' order. */
    public List<Check> check(RunComparison c) {
        List<Check> out = new ArrayList<>(rules.size());
        for (Rule r : rules) {
            out.add(check(r, c));
        }
        return out;
    }

    /** True when every rule holds. */
    public boolean passes(RunComparison c) {
        return check(c).stream().allMatch(Check::passed);
    }

    private static Check check(Rule r, RunComparison c) {
        // Rates are compared after rounding to 1e-9 so that 0.8 - 0.79 against 0.01 is not broken by binary noise.
        switch (KINDS.get(r.name())) {
            case DROP -> {
                MetricDelta d = c.delta(r.name());
                double drop = d.a() - d.b();
                boolean ok = round(drop) <= round(r.limit());
                String msg = r.name() + (drop > 0 ? " dropped by " + fmt(drop) : " did not drop (" + signed(-drop) + ")")
                        + " (" + fmt(d.a()) + " → " + fmt(d.b()) + "); allowed drop " + fmt(r.limit());
                return new Check(r, drop, ok, msg);
            }
            case RISE -> {
                MetricDelta d = c.delta(r.name().equals("fpr") ? "fpr" : "parse_failure_rate");
                double rise = d.b() - d.a();
                boolean ok = round(rise) <= round(r.limit());
                String msg = r.name() + (rise > 0 ? " rose by " + fmt(rise) : " did not rise (" + signed(rise) + ")")
                        + " (" + fmt(d.a()) + " → " + fmt(d.b()) + "); allowed rise " + fmt(r.limit());
                return new Check(r, rise, ok, msg);
            }
            default -> {
                long count = switch (r.name()) {
                    case "new-fn" -> c.flips(VerdictFlip.Effect.NEW_FALSE_NEGATIVE).size();
                    case "new-fp" -> c.flips(VerdictFlip.Effect.NEW_FALSE_POSITIVE).size();
                    default -> c.flips().size();
                };
                boolean ok = count <= (long) r.limit();
                String what = switch (r.name()) {
                    case "new-fn" -> "new false negative(s)";
                    case "new-fp" -> "new false positive(s)";
                    default -> "verdict flip(s)";
                };
                String msg = r.name() + ": " + count + " " + what + "; allowed " + (long) r.limit();
                return new Check(r, count, ok, msg);
            }
        }
    }

    private static double round(double x) {
        return Math.round(x * 1e9) / 1e9;
    }

    private static String fmt(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }

    private static String signed(double x) {
        return String.format(Locale.ROOT, "%+.4f", x);
    }

    @Override
    public String toString() {
        return String.join(",", rules.stream().map(Rule::toString).toList());
    }
}
