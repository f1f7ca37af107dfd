package org.rsafe.trace;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How stable a sampled verdict is: of {@code samples} judgements of the same input, drawn with the engine's
 * sampling, the share that gave the majority verdict. {@code byConstruction} marks an engine that does not sample
 * (greedy decoding, the quick engine): every draw would be the same, so the share is 1 without drawing again.
 *
 * @param samples        judgements drawn (or, by construction, that would have been drawn)
 * @param majorityShare  share of the samples with the most common verdict, in 0..1
 * @param counts         how many samples gave each verdict (unknown included)
 * @param byConstruction true when nothing was sampled because the engine is deterministic
 */
public record Stability(int samples, double majorityShare, Map<Verdict, Integer> counts, boolean byConstruction) {

    public Stability {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, was " + samples);
        }
        if (!(majorityShare >= 0 && majorityShare <= 1)) {
            throw new IllegalArgumentException("majority share must be in 0..1, was " + majorityShare);
        }
        Objects.requireNonNull(counts, "counts");
        counts = java.util.Collections.unmodifiableMap(new EnumMap<>(counts.isEmpty() ? Map.of(Verdict.UNKNOWN, 0) : counts));
    }

    /** A deterministic engine's stability: 1, without drawing. */
    public static Stability byConstruction(int samples, Verdict verdict) {
        return new Stability(samples, 1.0, Map.of(verdict, samples), true);
    }

    /** The stability of these verdicts; ties go to the verdict that comes first (unsafe, then safe, then unknown). */
    public static Stability of(Iterable<Verdict> verdicts) {
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        int n = 0;
        for (Verdict v : verdicts) {
            counts.merge(v, 1, Integer::sum);
            n++;
        }
        int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return new Stability(n, n == 0 ? 1.0 : (double) max / n, counts, false);
    }

    /** The most common verdict; on a tie, unsafe before safe before unknown (a guard errs towards flagging). */
    public Verdict majority() {
        Verdict best = Verdict.UNKNOWN;
        int max = -1;
        for (Verdict v : new Verdict[] {Verdict.UNSAFE, Verdict.SAFE, Verdict.UNKNOWN}) {
            int c = counts.getOrDefault(v, 0);
            if (c > max) {
                max = c;
                best = v;
            }
        }
        return best;
    }

    /** Whether the samples did not all agree. */
    public boolean unstable() {
        return majorityShare < 1.0;
    }

    /** One line for people: "4 of 5 samples unsafe (majority share 0.80)" or "1 by construction …". */
    public String describe() {
        if (byConstruction) {
            return "stability 1 by construction (the engine does not sample: every draw gives the same verdict)";
        }
        Verdict m = majority();
        return String.format(java.util.Locale.ROOT, "%d of %d samples %s (majority share %.2f)",
                counts.getOrDefault(m, 0), samples, m.label(), majorityShare);
    }
}
