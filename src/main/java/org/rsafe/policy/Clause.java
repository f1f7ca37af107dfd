package org.rsafe.policy;

import java.util.List;
import java.util.Map;
import org.rsafe.util.SourcePos;

/**
 * One rule of a policy. {@code violating} examples break it; {@code safe} examples are near misses that
 * look alike but are allowed. {@code threshold} is null when the engine default applies.
 * {@code positions} maps field names (id, title, description, severity, threshold, violating, safe, aliases) to
 * where their values start; {@code pos} is where the clause itself starts. {@code aliases} are other names a
 * guard's reasoning may use for the clause ("suicide", "self-injury"); they never reach the prompt, they only
 * let citations be found.
 */
public record Clause(
        String id,
        String title,
        String description,
        List<Example> violating,
        List<Example> safe,
        String severity,
        Double threshold,
        SourcePos pos,
        Map<String, SourcePos> positions,
        List<String> aliases) {

    public Clause {
        id = id == null ? "" : id;
        title = title == null ? "" : title;
        description = description == null ? "" : description;
        violating = violating == null ? List.of() : List.copyOf(violating);
        safe = safe == null ? List.of() : List.copyOf(safe);
        pos = pos == null ? SourcePos.UNKNOWN : pos;
        positions = positions == null ? Map.of() : Map.copyOf(positions);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }

    /** A clause without aliases. */
    public Clause(String id, String title, String description, List<Example> violating, List<Example> safe,
            String severity, Double threshold, SourcePos pos, Map<String, SourcePos> positions) {
        this(id, title, description, violating, safe, severity, threshold, pos, positions, List.of());
    }

    /** Position of a field's value, or of the clause when the field is absent. */
    public SourcePos posOf(String field) {
        return positions.getOrDefault(field, pos);
    }

    /** The clause's own threshold, or {@code engineDefault} when it has none. */
    public double thresholdOr(double engineDefault) {
        return threshold != null ? threshold : engineDefault;
    }

    public Clause withThreshold(Double newThreshold) {
        return new Clause(id, title, description, violating, safe, severity, newThreshold, pos, positions, aliases);
    }
}
