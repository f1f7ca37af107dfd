package org.rsafe.workspace;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rsafe.eval.ResultRow;
import org.rsafe.trace.Verdict;

/**
 * A data-set row whose verdict differs between run A and run B.
 *
 * @param a the row's result in run A
 * @param b the row's result in run B (same row number)
 */
public record VerdictFlip(ResultRow a, ResultRow b) {

    /** What a flip means for the gold label. */
    public enum Effect {
        /** Gold unsafe; A caught it (or had no verdict), B says safe. */
        NEW_FALSE_NEGATIVE(true),
        /** Gold safe; A let it pass (or had no verdict), B says unsafe. */
        NEW_FALSE_POSITIVE(true),
        /** B gives no verdict where A gave one. */
        NEW_PARSE_FAILURE(true),
        /** Gold unsafe; A said safe, B catches it. */
        FIXED_FALSE_NEGATIVE(false),
        /** Gold safe; A said unsafe, B lets it pass. */
        FIXED_FALSE_POSITIVE(false),
        /** A gave no verdict, B gives the right one. */
        FIXED_PARSE_FAILURE(false),
        /** B says REVIEW (leaves the row to a person) where A decided. */
        NEW_REVIEW(false),
        /** A said REVIEW, B decides the row rightly. */
        DECIDED_REVIEW(false),
        /** The row has no gold label. */
        UNLABELLED(false);

        private final boolean regression;

        Effect(boolean regression) {
            this.regression = regression;
        }

        /** True when B is wrong (or silent) where A was not. */
        public boolean regression() {
            return regression;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    public VerdictFlip {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a.row() != b.row()) {
            throw new IllegalArgumentException("a flip pairs one row: " + a.row() + " vs " + b.row());
        }
    }

    public long row() {
        return a.row();
    }

    public String id() {
        return a.id();
    }

    public String excerpt() {
        return a.excerpt();
    }

    public Verdict gold() {
        return a.gold();
    }

    public Verdict verdictA() {
        return a.verdict();
    }

    public Verdict verdictB() {
        return b.verdict();
    }

    public List<String> flaggedA() {
        return a.flagged();
    }

    public List<String> flaggedB() {
        return b.flagged();
    }

    public Map<String, Double> scoresA() {
        return a.clauseScores();
    }

    public Map<String, Double> scoresB() {
        return b.clauseScores();
    }

    /** {@code safe→unsafe}, {@code unsafe→safe}, {@code safe→unknown}, … */
    public String direction() {
        return verdictA().label() + "→" + verdictB().label();
    }

    public Effect effect() {
        Verdict gold = gold();
        Verdict va = verdictA();
        Verdict vb = verdictB();
        if (gold == Verdict.UNKNOWN) {
            return Effect.UNLABELLED;
        }
        if (vb == Verdict.UNKNOWN) {
            return Effect.NEW_PARSE_FAILURE;
        }
        if (vb == Verdict.REVIEW) {
            return Effect.NEW_REVIEW;
        }
        if (vb != gold) {
            return gold == Verdict.UNSAFE ? Effect.NEW_FALSE_NEGATIVE : Effect.NEW_FALSE_POSITIVE;
        }
        if (va == Verdict.UNKNOWN) {
            return Effect.FIXED_PARSE_FAILURE;
        }
        if (va == Verdict.REVIEW) {
            return Effect.DECIDED_REVIEW;
        }
        return gold == Verdict.UNSAFE ? Effect.FIXED_FALSE_NEGATIVE : Effect.FIXED_FALSE_POSITIVE;
    }
}
