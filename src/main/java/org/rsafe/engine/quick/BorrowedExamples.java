package org.rsafe.engine.quick;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Example;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoadResult;
import org.rsafe.policy.PolicyLoader;

/**
 * Violating examples a small custom policy borrows from the project's built-in policy ({@code rsafe-default.yaml},
 * copied into the jar beside this class by the build, never read from the working directory). A custom clause with
 * three or four examples misses violations phrased in new words; the built-in clause about the same harm has about
 * two dozen. When a custom clause's title and description read like a built-in clause's (cosine of the two
 * normalised title-and-description means at least {@value #BAR}), that built-in clause's violating examples join the
 * custom clause's prototype with weight {@value #WEIGHT} beside its own examples ({@link PolicyAnchors}). They never
 * bind (only a clause's own examples do, docs/quick-engine.md section 3), never enter the example radius, the lean
 * direction or lint, and the trace names one when it is the clause's nearest anchor.
 *
 * <p>Only for a policy that is not the built-in one and whose clauses each have at most {@value #MAX_OWN} violating
 * examples: the broad shipped policies (rsafe-default, openai-moderation, mlcommons-hazards, kids-community) have
 * more and borrow nothing.
 */
final class BorrowedExamples {
    static final String RESOURCE = "rsafe-default.yaml";
    /**
     * Least cosine between a custom clause's and a built-in clause's title-and-description vectors. On the seven
     * steerability policies the pairs that are plainly the same harm (trading scams and fraud, doxxing and harassment,
     * candidate privacy and PII, suicide risk and self-harm) sit at 0.72 to 0.84 and the loose ones (cheats and
     * fraud 0.71, smuggling and espionage 0.69, graded homework and child abuse 0.65) below; 0.80 matched only three
     * clauses and changed almost nothing (docs/quick-engine.md section 2).
     */
    static final double BAR = 0.72;
    /**
     * Share of the borrowed examples' mean in the examples part of the borrowing clause's prototype: small, so that a
     * clause's own examples still say most of what it is about. Chosen among 0.15 to 0.4 on the steerability suites
     * (0.3 and more cost homework-helper its precision target).
     */
    static final double WEIGHT = 0.20;
    /** A policy borrows only when none of its clauses has more violating examples than this. */
    static final int MAX_OWN = 5;

    /** What a trace adds after naming a borrowed example, its similarity and its source. */
    static final String WHY = ", borrowed because the two clauses cover the same harm; borrowed examples weigh "
            + String.format(Locale.ROOT, "%.2f", WEIGHT) + " in the clause's prototype and never bind";

    /** One built-in clause a custom clause borrows from. */
    record Match(int clause, Clause from, double cosine) { }

    private BorrowedExamples() { }

    /** The built-in policy, parsed once from the jar (on first use, by the holder class's initialiser). */
    static Policy builtIn() {
        return Holder.POLICY;
    }

    private static final class Holder {
        static final Policy POLICY = read();
    }

    private static Policy read() {
        try (InputStream in = BorrowedExamples.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            PolicyLoadResult r = PolicyLoader.parse(RESOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (!r.ok()) {
                throw new IllegalStateException("the built-in " + RESOURCE + " does not load: " + r.errors());
            }
            return r.policy();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code policy} may borrow at all: not the built-in policy itself, and no clause with many examples. */
    static boolean eligible(Policy policy) {
        if (policy.id().equals(builtIn().id())) {
            return false;
        }
        for (Clause c : policy.clauses()) {
            if (c.violating().size() > MAX_OWN) {
                return false;
            }
        }
        return !policy.clauses().isEmpty();
    }

    /**
     * Per clause of {@code policy} whose label vector ({@code labels}, normalised; null for a clause without title and
     * description) reaches {@link #BAR} with a built-in clause's: the nearest such built-in clause. Empty when the
     * policy is not {@link #eligible}.
     */
    static List<Match> matches(Policy policy, float[][] labels, PolicyAnchors.Embedder embedder) {
        if (!eligible(policy)) {
            return List.of();
        }
        List<Clause> from = builtIn().clauses();
        List<String> texts = new ArrayList<>();
        for (Clause b : from) {
            texts.add(b.title().strip());
            texts.add(b.description().strip().replaceAll("\\s+", " "));
        }
        List<TextEmbedding> vectors = embedder.embed(texts);
        List<float[]> builtInLabels = new ArrayList<>();
        for (int i = 0; i < from.size(); i++) {
            float[] m = new float[SentenceEncoder.DIMENSION];
            float[] t = vectors.get(2 * i).mean();
            float[] d = vectors.get(2 * i + 1).mean();
            for (int k = 0; k < m.length; k++) {
                m[k] = t[k] + d[k];
            }
            builtInLabels.add(Vectors.normalize(m));
        }
        List<Match> out = new ArrayList<>();
        for (int c = 0; c < labels.length; c++) {
            if (labels[c] == null) {
                continue;
            }
            int best = -1;
            double bestSim = 0;
            for (int b = 0; b < from.size(); b++) {
                double sim = Vectors.dot(labels[c], builtInLabels.get(b));
                if (sim > bestSim) {
                    best = b;
                    bestSim = sim;
                }
            }
            if (best >= 0 && bestSim >= BAR) {
                out.add(new Match(c, from.get(best), bestSim));
            }
        }
        return out;
    }

    /** The borrowed examples of {@code matches}, embedded, as anchors of kind BORROWED; {@code clauseOf} gets each one's clause. */
    static List<Anchor> anchors(List<Match> matches, PolicyAnchors.Embedder embedder, List<Integer> clauseOf) {
        List<String> texts = new ArrayList<>();
        List<Anchor> out = new ArrayList<>();
        for (Match m : matches) {
            for (Example e : m.from().violating()) {
                texts.add(e.text().strip());
            }
        }
        if (texts.isEmpty()) {
            return out;
        }
        List<TextEmbedding> vectors = embedder.embed(texts);
        int k = 0;
        for (Match m : matches) {
            String source = builtIn().id() + " " + m.from().id() + String.format(Locale.ROOT,
                    " (its title and description have cosine %.2f with this clause's, at least %.2f)", m.cosine(), BAR);
            for (Example e : m.from().violating()) {
                out.add(new Anchor(source, Anchor.Kind.BORROWED, e.text().strip(), e.pos(), vectors.get(k++).mean()));
                clauseOf.add(m.clause());
            }
        }
        return out;
    }
}
