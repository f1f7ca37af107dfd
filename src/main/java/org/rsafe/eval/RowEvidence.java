package org.rsafe.eval;

import java.util.List;
import java.util.Objects;
import org.rsafe.trace.Citation;
import org.rsafe.trace.CitationAudit;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.Stability;

/**
 * What a row's judgement says about how far to trust it, beyond its verdict: the ids it cited invalidly (unknown to
 * the policy, or named as another clause), whether its verdict disagrees with its citations
 * ({@link CitationAudit.Agreement} name, "" when it agrees or was not checked), and, when several sampled judgements
 * were drawn, how many and the share of the majority verdict among them.
 *
 * @param invalidCitations ids cited invalidly, in order of first mention
 * @param disagreement     {@code unsafe_but_only_ruled_out}, {@code safe_but_cites_support}, or ""
 * @param samples          sampled judgements drawn for the row; 0 when stability was not measured
 * @param majorityShare    share of the samples that gave the majority verdict, in 0..1; 1 when not measured
 */
public record RowEvidence(List<String> invalidCitations, String disagreement, int samples, double majorityShare) {

    public static final RowEvidence NONE = new RowEvidence(List.of(), "", 0, 1.0);

    public RowEvidence {
        invalidCitations = invalidCitations == null ? List.of() : List.copyOf(invalidCitations);
        disagreement = disagreement == null ? "" : disagreement;
        if (samples < 0 || !(majorityShare >= 0 && majorityShare <= 1)) {
            throw new IllegalArgumentException("samples must be >= 0 and the majority share in 0..1");
        }
    }

    /** The evidence of one judgement: its citations, and its stability when several draws were made. */
    public static RowEvidence of(Judgement judgement) {
        Objects.requireNonNull(judgement, "judgement");
        CitationAudit audit = CitationAudit.of(judgement);
        Stability s = judgement.stability();
        return new RowEvidence(audit.invalid().stream().map(Citation::clauseId).toList(),
                audit.disagrees() ? audit.agreement().name().toLowerCase(java.util.Locale.ROOT) : "",
                s == null ? 0 : s.samples(), s == null ? 1.0 : s.majorityShare());
    }

    public RowEvidence withStability(int sampleCount, double share) {
        return new RowEvidence(invalidCitations, disagreement, sampleCount, share);
    }

    public boolean hasInvalidCitations() {
        return !invalidCitations.isEmpty();
    }

    /** Sampled more than once, and the samples did not all agree. */
    public boolean unstable() {
        return samples > 1 && majorityShare < 1.0;
    }
}
