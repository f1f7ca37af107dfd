package org.rsafe.policy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rsafe.util.Hashing;
import org.rsafe.util.SourcePos;

/**
 * A safety policy as written by its author (format version 1). {@code source} is the exact file text it
 * was loaded from (empty for policies built in code); {@code sha256} identifies that text so results can
 * be tied to the policy version that produced them.
 *
 * <p>{@code reviewBand} is the top-level {@code review_band:} setting: how far past a clause's bar (in standard
 * deviations) an engine with a REVIEW outcome still leaves a flag to a person; null when the policy sets none (the
 * engine's default applies). Engines without REVIEW ignore it.
 */
public record Policy(
        int formatVersion,
        String id,
        String name,
        String version,
        String description,
        AppliesTo appliesTo,
        String instructions,
        List<Clause> clauses,
        Map<String, SourcePos> positions,
        String source,
        Double reviewBand) {

    /** Widest {@code review_band} a policy may set: past it nearly every flag would be left to review. */
    public static final double MAX_REVIEW_BAND = 3.0;

    /** A policy that sets no review band. */
    public Policy(int formatVersion, String id, String name, String version, String description, AppliesTo appliesTo,
                  String instructions, List<Clause> clauses, Map<String, SourcePos> positions, String source) {
        this(formatVersion, id, name, version, description, appliesTo, instructions, clauses, positions, source, null);
    }

    public Policy {
        id = id == null ? "" : id;
        name = name == null ? "" : name;
        version = version == null ? "" : version;
        description = description == null ? "" : description;
        appliesTo = appliesTo == null ? AppliesTo.BOTH : appliesTo;
        instructions = instructions == null ? "" : instructions;
        clauses = clauses == null ? List.of() : List.copyOf(clauses);
        positions = positions == null ? Map.of() : Map.copyOf(positions);
        source = source == null ? "" : source;
    }

    public SourcePos posOf(String field) {
        return positions.getOrDefault(field, SourcePos.UNKNOWN);
    }

    public Optional<Clause> clause(String clauseId) {
        return clauses.stream().filter(c -> c.id().equals(clauseId)).findFirst();
    }

    /** The policy's {@code review_band}, when it sets one. */
    public Optional<Double> reviewBandSetting() {
        return Optional.ofNullable(reviewBand);
    }

    public boolean hasInstructions() {
        return !instructions.isBlank();
    }

    /** SHA-256 of the source text, or of a canonical rendering when the policy has no source. */
    public String sha256() {
        return Hashing.sha256(source.isEmpty() ? toString() : source);
    }
}
