package org.rsafe.trace;

import java.util.Objects;

/**
 * A link from a trace step to a policy clause, with how it was found and which way it points.
 *
 * <p>{@code kind}: EXPLICIT when the step names the clause, INFERRED when the clause linker found the step close
 * in meaning. {@code via} says more exactly how: by the clause's {@link Via#ID id}, its {@link Via#TITLE title}
 * (or a part of it), one of its {@link Via#ALIAS aliases}, or {@link Via#INFERRED inferred}. {@code polarity} is
 * {@link Polarity#RULES_OUT} for a negated mention ("this is not about weapons", "U2 does not apply"), else
 * {@link Polarity#SUPPORTS}. {@code problem} marks an invalid citation: an id the policy does not have
 * ({@link Problem#UNKNOWN_ID}, e.g. "U19") or an id whose stated name belongs to another clause
 * ({@link Problem#NAME_MISMATCH}, "U2 (Violent crimes)" when U2 is Weapons); {@code note} then says what was
 * written and what it fits. Strength is 0..1.
 */
public record Citation(String clauseId, Kind kind, double strength, Via via, Polarity polarity, Problem problem,
        String note) {
    public enum Kind { EXPLICIT, INFERRED }

    /** How the clause was found in the step. */
    public enum Via { ID, TITLE, ALIAS, INFERRED }

    /** Whether the mention argues for the clause or rules it out. */
    public enum Polarity { SUPPORTS, RULES_OUT }

    /** Why a citation is invalid; NONE for a valid one. */
    public enum Problem { NONE, UNKNOWN_ID, NAME_MISMATCH }

    public Citation {
        Objects.requireNonNull(clauseId, "clauseId");
        Objects.requireNonNull(kind, "kind");
        if (!(strength >= 0 && strength <= 1)) {
            throw new IllegalArgumentException("citation strength must be in 0..1, was " + strength);
        }
        via = via == null ? (kind == Kind.INFERRED ? Via.INFERRED : Via.ID) : via;
        if ((via == Via.INFERRED) != (kind == Kind.INFERRED)) {
            throw new IllegalArgumentException("a citation is inferred exactly when it was found by inference");
        }
        polarity = polarity == null ? Polarity.SUPPORTS : polarity;
        problem = problem == null ? Problem.NONE : problem;
        note = note == null ? "" : note;
    }

    /** A valid, supporting citation found the plain way for its kind (by id when explicit). */
    public Citation(String clauseId, Kind kind, double strength) {
        this(clauseId, kind, strength, null, null, null, null);
    }

    /** A valid explicit citation found {@code via} with a polarity. */
    public static Citation named(String clauseId, Via via, Polarity polarity) {
        return new Citation(clauseId, Kind.EXPLICIT, 1.0, via, polarity, Problem.NONE, "");
    }

    /** Whether this citation is hallucinated or mismatched. */
    public boolean invalid() {
        return problem != Problem.NONE;
    }

    /** Whether the step argues for this clause: a valid citation that is not a negated mention. */
    public boolean supports() {
        return !invalid() && polarity == Polarity.SUPPORTS;
    }
}
