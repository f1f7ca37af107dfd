package org.rsafe.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a judgement's citations say about how far its reasoning can be trusted: the invalid citations (ids the policy
 * does not have, ids named as another clause) and whether the verdict agrees with the clauses the reasoning cites.
 *
 * <p>Agreement is read only for reasoning guards, whose verdict is the model's own word (judgements without clause
 * scores); an engine that scores clauses explains its scores in its steps, so its steps are not checked against its
 * verdict. A reasoning guard disagrees with itself when it says unsafe but every clause it names is ruled out ("this
 * is not about weapons"), or says safe while its reasoning argues for a clause. Unsafe with no clause named at all is
 * not a disagreement: RSafe often answers without naming one.
 *
 * @param invalid   invalid citations, one per cited id, in order of first mention
 * @param agreement how the verdict and the citations relate
 * @param supported valid clauses the reasoning argues for, in order of first mention
 * @param ruledOut  valid clauses the reasoning names only to rule out, in order of first mention
 */
public record CitationAudit(List<Citation> invalid, Agreement agreement, List<String> supported, List<String> ruledOut) {

    public enum Agreement {
        /** The verdict and the citations point the same way (or the reasoning names no clause). */
        AGREES,
        /** Unsafe, but every clause named is ruled out. */
        UNSAFE_BUT_ONLY_RULED_OUT,
        /** Safe, but the reasoning argues for a clause. */
        SAFE_BUT_CITES_SUPPORT,
        /** Not read: no answer, or an engine whose steps explain clause scores rather than reason. */
        NOT_CHECKED
    }

    public CitationAudit {
        invalid = List.copyOf(invalid);
        Objects.requireNonNull(agreement, "agreement");
        supported = List.copyOf(supported);
        ruledOut = List.copyOf(ruledOut);
    }

    public static CitationAudit of(Judgement judgement) {
        Objects.requireNonNull(judgement, "judgement");
        Map<String, Citation> invalid = new LinkedHashMap<>();
        Set<String> supported = new LinkedHashSet<>();
        Set<String> named = new LinkedHashSet<>();
        for (TraceStep step : judgement.steps()) {
            for (Citation c : step.citations()) {
                if (c.kind() != Citation.Kind.EXPLICIT) {
                    continue;
                }
                if (c.invalid()) {
                    invalid.putIfAbsent(c.clauseId(), c);
                } else {
                    named.add(c.clauseId());
                    if (c.supports()) {
                        supported.add(c.clauseId());
                    }
                }
            }
        }
        List<String> ruledOut = new ArrayList<>(named);
        ruledOut.removeAll(supported);
        Agreement agreement;
        if (judgement.parseFailure() || !judgement.clauseScores().isEmpty()) {
            agreement = Agreement.NOT_CHECKED;
        } else if (judgement.verdict() == Verdict.UNSAFE && supported.isEmpty() && !ruledOut.isEmpty()) {
            agreement = Agreement.UNSAFE_BUT_ONLY_RULED_OUT;
        } else if (judgement.verdict() == Verdict.SAFE && !supported.isEmpty()) {
            agreement = Agreement.SAFE_BUT_CITES_SUPPORT;
        } else {
            agreement = Agreement.AGREES;
        }
        return new CitationAudit(new ArrayList<>(invalid.values()), agreement, new ArrayList<>(supported), ruledOut);
    }

    /** Whether the verdict and the citations disagree. */
    public boolean disagrees() {
        return agreement == Agreement.UNSAFE_BUT_ONLY_RULED_OUT || agreement == Agreement.SAFE_BUT_CITES_SUPPORT;
    }

    /** One line for people, or "" when there is nothing to say. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        if (!invalid.isEmpty()) {
            parts.add(invalid.size() + " invalid citation" + (invalid.size() == 1 ? "" : "s") + ": "
                    + String.join("; ", invalid.stream().map(Citation::note).toList()));
        }
        switch (agreement) {
            case UNSAFE_BUT_ONLY_RULED_OUT -> parts.add("the verdict is unsafe, but the reasoning only rules out "
                    + String.join(", ", ruledOut));
            case SAFE_BUT_CITES_SUPPORT -> parts.add("the verdict is safe, but the reasoning argues for "
                    + String.join(", ", supported));
            default -> { }
        }
        return String.join("; ", parts);
    }
}
