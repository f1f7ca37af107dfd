package org.rsafe.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.engine.quick.ExampleCheck;
import org.rsafe.engine.quick.QuickEngine;
import org.rsafe.policy.Clause;
import org.rsafe.policy.LintRule;
import org.rsafe.policy.Policy;
import org.rsafe.trace.Verdict;
import org.rsafe.util.Diagnostic;

/**
 * Lint's "examples as tests" check, for both faces: every example of a policy is judged by the quick engine with
 * itself held out (leave-one-out, {@link QuickEngine#checkExamples}); each example the rest of the policy would judge
 * otherwise is a warning at the example's line:col, and each clause gets its tally of examples agreeing. Lives here,
 * not in the linter, because the core policy package does not know the engines.
 */
public final class ExampleLint {
    private ExampleLint() { }

    /**
     * How many of a clause's examples agree with the engine.
     *
     * @param clauseId the clause
     * @param agreeing examples judged as they say with themselves held out
     * @param total    the clause's non-blank examples
     */
    public record ClauseTally(String clauseId, org.rsafe.util.SourcePos pos, int agreeing, int total) {
        public boolean disagrees() {
            return agreeing < total;
        }

        /** "F1: examples agreeing: 4/5". */
        public String describe() {
            return clauseId + ": examples agreeing: " + agreeing + "/" + total;
        }
    }

    /** The warnings (one per disagreeing example, in file order) and one tally per clause with examples. */
    public record Result(List<Diagnostic> warnings, List<ClauseTally> clauses) {
        public Result {
            warnings = List.copyOf(warnings);
            clauses = List.copyOf(clauses);
        }

        public static final Result NONE = new Result(List.of(), List.of());
    }

    /**
     * Checks {@code policy}'s examples with {@code engine}; {@link Result#NONE} when the engine is not the quick engine
     * (the check is the quick engine's reading of the examples; another engine has none to offer).
     */
    public static Result check(Policy policy, String fileName, Engine engine, Cancellation cancellation) {
        QuickEngine quick = engine.unwrap(QuickEngine.class).orElse(null);
        if (quick == null) {
            return Result.NONE;
        }
        List<ExampleCheck> checks = quick.checkExamples(policy, cancellation);
        Map<String, int[]> tally = new LinkedHashMap<>();
        for (Clause c : policy.clauses()) {
            tally.put(c.id(), new int[2]);
        }
        List<Diagnostic> warnings = new ArrayList<>();
        for (ExampleCheck x : checks) {
            int[] t = tally.computeIfAbsent(x.clauseId(), k -> new int[2]);
            t[1]++;
            if (x.agrees()) {
                t[0]++;
            } else {
                warnings.add(LintRule.EXAMPLE_DISAGREES.at(fileName, x.pos(),
                        message(x, policy.clause(x.clauseId())
                                .map(c -> c.thresholdOr(quick.options().defaultThreshold()))
                                .orElse(quick.options().defaultThreshold()))));
            }
        }
        warnings.sort(java.util.Comparator.comparingInt((Diagnostic d) -> d.pos().line())
                .thenComparingInt(d -> d.pos().column()));
        List<ClauseTally> clauses = new ArrayList<>();
        tally.forEach((id, t) -> {
            if (t[1] > 0) {
                clauses.add(new ClauseTally(id, policy.clause(id).map(Clause::pos).orElse(null), t[0], t[1]));
            }
        });
        return new Result(warnings, clauses);
    }

    /**
     * Also the per-clause lines of the clauses whose examples disagree, as warnings at the clause, so that a face
     * that shows only findings (the GUI's Problems pane) shows the tally where it matters.
     */
    public static List<Diagnostic> findings(Result r, String fileName) {
        List<Diagnostic> out = new ArrayList<>(r.warnings());
        for (ClauseTally t : r.clauses()) {
            if (t.disagrees()) {
                out.add(LintRule.EXAMPLE_DISAGREES.at(fileName, t.pos(), t.describe()
                        + " (each example judged by the quick engine with itself left out of the policy)"));
            }
        }
        out.sort(java.util.Comparator.comparingInt((Diagnostic d) -> d.pos().line())
                .thenComparingInt(d -> d.pos().column()));
        return out;
    }

    /**
     * The warning's words. A violating example is "left to REVIEW" only when its own clause reached
     * {@code ownThreshold} and was held back; when its clause stays below while another clause is left to review,
     * it "would not be flagged" and the message names that other clause.
     */
    static String message(ExampleCheck x, double ownThreshold) {
        String score = String.format(Locale.ROOT, "%.2f", x.score());
        if (x.violating()) {
            boolean ownReview = x.verdict() == Verdict.REVIEW && x.score() >= ownThreshold;
            String outcome = ownReview ? "would be left to REVIEW" : "would not be flagged";
            String elsewhere = x.verdict() == Verdict.REVIEW && !ownReview ? "; the text would be left to REVIEW by another clause"
                    : x.verdict() == Verdict.UNSAFE ? "; another clause would flag it" : "";
            return "this violating example " + outcome + " for " + x.clauseId() + " (score " + score
                    + ") with itself left out" + elsewhere + "; add a closer violating example or sharpen the description";
        }
        String outcome = x.verdict() == Verdict.REVIEW ? "would be left to REVIEW" : "would be flagged";
        return "this safe example " + outcome + " for " + x.clause() + " at " + score
                + "; add a closer safe example or sharpen the description";
    }
}
