package org.rsafe.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Policy;

/**
 * The parts of a batch report that say how far its verdicts can be trusted, beside the metrics: rows whose reasoning
 * cites invalidly or disagrees with its verdict, the stability of sampled verdicts, and the clauses no row exercises.
 *
 * @param rows                 results counted
 * @param invalidCitationRows  rows whose reasoning cites an id the policy does not have, or names an id as another clause
 * @param invalidIds           how many rows cited each invalid id, ids in natural order
 * @param disagreementRows     rows whose verdict disagrees with their citations
 * @param sampledRows          rows judged more than once to measure stability (0 when not measured)
 * @param unstableRows         sampled rows whose samples did not all give the same verdict
 * @param meanMajorityShare    mean share of the majority verdict over the sampled rows (1 when none)
 * @param unexercised          clauses no row exercises: no gold category maps to them and no row flags them, in
 *                             policy order; empty when the data has no categories (coverage is then unknown)
 * @param coverageKnown        whether the data had gold categories, so that {@code unexercised} means something
 * @param stableByConstruction the engine does not sample, so every row is stable without drawing again
 */
public record EvidenceReport(int rows, int invalidCitationRows, Map<String, Integer> invalidIds, int disagreementRows,
        int sampledRows, int unstableRows, double meanMajorityShare, List<String> unexercised, boolean coverageKnown,
        boolean stableByConstruction) {

    public EvidenceReport {
        invalidIds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(invalidIds));
        unexercised = List.copyOf(unexercised);
    }

    public static EvidenceReport of(Policy policy, List<ResultRow> results, CategoryMap categories,
            boolean engineSamples) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(results, "results");
        CategoryMap map = categories == null ? CategoryMap.IDENTITY : categories;
        int invalidRows = 0;
        int disagreements = 0;
        int sampled = 0;
        int unstable = 0;
        double shareSum = 0;
        Map<String, Integer> ids = new TreeMap<>(Metrics::compareIds);
        Set<String> exercised = new HashSet<>();
        boolean anyCategories = false;
        for (ResultRow r : results) {
            RowEvidence ev = r.evidence();
            if (ev.hasInvalidCitations()) {
                invalidRows++;
                ev.invalidCitations().forEach(id -> ids.merge(id, 1, Integer::sum));
            }
            if (!ev.disagreement().isEmpty()) {
                disagreements++;
            }
            if (ev.samples() > 1) {
                sampled++;
                shareSum += ev.majorityShare();
                if (ev.unstable()) {
                    unstable++;
                }
            }
            if (!r.goldCategories().isEmpty()) {
                anyCategories = true;
                exercised.addAll(map.clausesOf(r.goldCategories()));
            }
            exercised.addAll(r.flagged());
        }
        List<String> unexercised = new ArrayList<>();
        if (anyCategories) {
            for (Clause c : policy.clauses()) {
                if (!exercised.contains(c.id())) {
                    unexercised.add(c.id());
                }
            }
        }
        return new EvidenceReport(results.size(), invalidRows, ids, disagreements, sampled, unstable,
                sampled == 0 ? 1.0 : shareSum / sampled, unexercised, anyCategories, !engineSamples);
    }

    /** Share of the sampled rows that were unstable (0 when none were sampled). */
    public double unstableShare() {
        return sampledRows == 0 ? 0 : (double) unstableRows / sampledRows;
    }

    /** The report.json object {@code evidence}. */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> citations = new LinkedHashMap<>();
        citations.put("rows_with_invalid_citations", invalidCitationRows);
        citations.put("invalid_ids", invalidIds);
        citations.put("rows_with_verdict_disagreement", disagreementRows);
        m.put("citations", citations);
        Map<String, Object> stability = new LinkedHashMap<>();
        stability.put("sampled_rows", sampledRows);
        stability.put("by_construction", sampledRows > 0 && stableByConstruction);
        stability.put("unstable_rows", unstableRows);
        stability.put("unstable_share", unstableShare());
        stability.put("mean_majority_share", meanMajorityShare);
        m.put("stability", stability);
        Map<String, Object> coverage = new LinkedHashMap<>();
        coverage.put("known", coverageKnown);
        coverage.put("unexercised_clauses", unexercised);
        m.put("coverage", coverage);
        return m;
    }

    /** Lines for people (terminal and report.md), one per finding; none when there is nothing to say. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        if (invalidCitationRows > 0) {
            StringBuilder ids = new StringBuilder();
            invalidIds.forEach((id, n) -> ids.append(ids.length() == 0 ? "" : ", ").append(id).append(" ×").append(n));
            out.add(String.format(Locale.ROOT, "invalid citations: %d of %d rows (%s)", invalidCitationRows, rows, ids));
        }
        if (disagreementRows > 0) {
            out.add(String.format(Locale.ROOT, "verdict disagrees with its citations: %d of %d rows", disagreementRows, rows));
        }
        if (sampledRows > 0 && stableByConstruction) {
            out.add("stability: 1 by construction (the engine does not sample; " + sampledRows
                    + " rows were judged once, not again)");
        } else if (sampledRows > 0) {
            out.add(String.format(Locale.ROOT, "stability: %d of %d sampled rows unstable (%.1f%%), mean majority share %.3f",
                    unstableRows, sampledRows, 100 * unstableShare(), meanMajorityShare));
        }
        if (coverageKnown && !unexercised.isEmpty()) {
            out.add("coverage: no row exercises " + String.join(", ", unexercised)
                    + " (no gold category maps to them and no row was flagged for them)");
        }
        return out;
    }
}
