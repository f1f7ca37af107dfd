package org.rsafe.engine.quick;

import java.util.ArrayList;
import java.util.List;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Example;
import org.rsafe.policy.Policy;
import org.rsafe.util.SourcePos;

/**
 * The anchors of one policy, embedded, and what the scorer derives from them once: per clause a
 * prototype (the normalised mix of its violating examples and its title and description), one shared
 * pool of allowed texts (every clause's safe examples plus, when enabled, the built-in near-misses; a
 * safe example of any clause is an allowed text, so it speaks against all clauses), and per clause the
 * mean and spread of the margins the allowed texts themselves get, which the scorer standardises with.
 * Immutable; built once per policy content hash, model and scoring settings.
 */
public final class PolicyAnchors {
    /** Embedding scheme of anchor texts inside the input cache. */
    static final String SCHEME = "anchor-v1";
    /** Fewer allowed texts than this give unreliable statistics; typical values are used instead. */
    static final int MIN_ALLOWED_FOR_STATS = 10;
    static final double TYPICAL_MEAN = 0.38;
    static final double TYPICAL_SPREAD = 0.064;
    private static final double MIN_SPREAD = 0.02;

    private final List<String> clauseIds;
    private final Anchor[] positives;
    private final int[] positiveClause;   // index into clauseIds, per positive anchor
    private final float[][] prototypes;   // (clauses, DIMENSION)
    private final Anchor[] negatives;
    private final double[] allowedMean;   // (clauses)
    private final double[] allowedSpread; // (clauses)
    private final float[] prototypesT;    // (DIMENSION, clauses): transposed for the scoring loop
    private final float[] negativesT;     // (DIMENSION, negatives): mean vectors, transposed

    private PolicyAnchors(List<String> clauseIds, Anchor[] positives, int[] positiveClause, float[][] prototypes,
                          Anchor[] negatives, double lambda) {
        this.clauseIds = clauseIds;
        this.positives = positives;
        this.positiveClause = positiveClause;
        this.prototypes = prototypes;
        this.negatives = negatives;
        this.allowedMean = new double[clauseIds.size()];
        this.allowedSpread = new double[clauseIds.size()];
        this.prototypesT = Vectors.stackTransposed(java.util.Arrays.asList(prototypes));
        List<float[]> negMeans = new ArrayList<>();
        for (Anchor a : negatives) {
            negMeans.add(a.mean());
        }
        this.negativesT = Vectors.stackTransposed(negMeans);
        allowedStatistics(lambda);
    }

    /** Embeds function: texts in, one whole-text embedding (no spans) per text out, in order. */
    public interface Embedder {
        List<TextEmbedding> embed(List<String> texts);
    }

    /** The texts this policy contributes, in the order {@link #build} embeds them. */
    static List<Draft> drafts(Policy policy, boolean builtInNearMisses) {
        List<Draft> drafts = new ArrayList<>();
        for (int c = 0; c < policy.clauses().size(); c++) {
            Clause clause = policy.clauses().get(c);
            if (!clause.title().isBlank()) {
                drafts.add(new Draft(c, clause.id(), Anchor.Kind.TITLE, clause.title().strip(), clause.posOf("title")));
            }
            if (!clause.description().isBlank()) {
                drafts.add(new Draft(c, clause.id(), Anchor.Kind.DESCRIPTION,
                        clause.description().strip().replaceAll("\\s+", " "), clause.posOf("description")));
            }
            for (Example e : clause.violating()) {
                if (!e.text().isBlank()) {
                    drafts.add(new Draft(c, clause.id(), Anchor.Kind.VIOLATING, e.text().strip(), e.pos()));
                }
            }
            for (Example e : clause.safe()) {
                if (!e.text().isBlank()) {
                    drafts.add(new Draft(-1, clause.id(), Anchor.Kind.SAFE, e.text().strip(), e.pos()));
                }
            }
        }
        if (builtInNearMisses) {
            for (NearMisses.Entry e : NearMisses.all()) {
                drafts.add(new Draft(-1, "", e.kind(), e.text(),
                        new SourcePos(e.line(), 1)));
            }
        }
        return drafts;
    }

    record Draft(int clauseIndex, String clauseId, Anchor.Kind kind, String text, SourcePos pos) { }

    static PolicyAnchors build(Policy policy, QuickEngineOptions o, Embedder embedder) {
        List<Draft> drafts = drafts(policy, o.builtInNearMisses());
        List<TextEmbedding> vectors = embedder.embed(drafts.stream().map(Draft::text).toList());
        List<Anchor> pos = new ArrayList<>();
        List<Integer> posClause = new ArrayList<>();
        List<Anchor> neg = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            Draft d = drafts.get(i);
            TextEmbedding e = vectors.get(i);
            Anchor a = new Anchor(d.kind().positive() || d.kind() == Anchor.Kind.SAFE ? d.clauseId() : "",
                    d.kind(), d.text(), d.pos(), e.mean());
            if (d.kind().positive()) {
                pos.add(a);
                posClause.add(d.clauseIndex());
            } else {
                neg.add(a);
            }
        }
        int clauses = policy.clauses().size();
        float[][] prototypes = new float[clauses][];
        for (int c = 0; c < clauses; c++) {
            prototypes[c] = prototype(pos, posClause, c, o.labelWeight());
        }
        return new PolicyAnchors(policy.clauses().stream().map(Clause::id).toList(), pos.toArray(new Anchor[0]),
                posClause.stream().mapToInt(Integer::intValue).toArray(), prototypes, neg.toArray(new Anchor[0]),
                o.lambda());
    }

    /** normalise((1 - w) * mean(violating) + w * mean(title, description)); either part alone when the other is missing. */
    private static float[] prototype(List<Anchor> pos, List<Integer> posClause, int clause, double labelWeight) {
        float[] examples = new float[SentenceEncoder.DIMENSION];
        float[] labels = new float[SentenceEncoder.DIMENSION];
        int ne = 0;
        int nl = 0;
        for (int i = 0; i < pos.size(); i++) {
            if (posClause.get(i) != clause) {
                continue;
            }
            Anchor a = pos.get(i);
            boolean example = a.kind() == Anchor.Kind.VIOLATING;
            float[] acc = example ? examples : labels;
            for (int d = 0; d < acc.length; d++) {
                acc[d] += a.mean()[d];
            }
            if (example) {
                ne++;
            } else {
                nl++;
            }
        }
        double we = ne == 0 ? 0 : nl == 0 ? 1 : 1 - labelWeight;
        double wl = nl == 0 ? 0 : ne == 0 ? 1 : labelWeight;
        float[] p = new float[SentenceEncoder.DIMENSION];
        for (int d = 0; d < p.length; d++) {
            p[d] = (float) ((ne == 0 ? 0 : we * examples[d] / ne) + (nl == 0 ? 0 : wl * labels[d] / nl));
        }
        return Vectors.normalize(p);
    }

    /**
     * Margin statistics of the allowed texts: each allowed text is scored like an input, its nearest
     * allowed neighbour other than itself standing in for the negative term. Refusals are left out, as
     * they are only allowed in responses.
     */
    private void allowedStatistics(double lambda) {
        List<Anchor> allowed = new ArrayList<>();
        for (Anchor a : negatives) {
            if (!a.kind().responseOnly()) {
                allowed.add(a);
            }
        }
        int clauses = clauseIds.size();
        if (allowed.size() < MIN_ALLOWED_FOR_STATS) {
            java.util.Arrays.fill(allowedMean, TYPICAL_MEAN);
            java.util.Arrays.fill(allowedSpread, TYPICAL_SPREAD);
            return;
        }
        double[] sum = new double[clauses];
        double[] sumSq = new double[clauses];
        for (int i = 0; i < allowed.size(); i++) {
            float[] v = allowed.get(i).mean();
            double nearest = 0;
            for (int j = 0; j < allowed.size(); j++) {
                double sim = Vectors.dot(v, allowed.get(j).mean());
                if (j != i && sim < 0.9999) {
                    nearest = Math.max(nearest, sim);
                }
            }
            for (int c = 0; c < clauses; c++) {
                double m = Vectors.dot(v, prototypes[c]) - lambda * nearest;
                sum[c] += m;
                sumSq[c] += m * m;
            }
        }
        for (int c = 0; c < clauses; c++) {
            double mean = sum[c] / allowed.size();
            double var = Math.max(0, sumSq[c] / allowed.size() - mean * mean);
            allowedMean[c] = mean;
            allowedSpread[c] = Math.max(MIN_SPREAD, Math.sqrt(var));
        }
    }

    public List<String> clauseIds() {
        return clauseIds;
    }

    public int positiveCount() {
        return positives.length;
    }

    public int negativeCount() {
        return negatives.length;
    }

    Anchor positive(int i) {
        return positives[i];
    }

    int positiveClause(int i) {
        return positiveClause[i];
    }

    Anchor negative(int i) {
        return negatives[i];
    }

    float[] prototypesTransposed() {
        return prototypesT;
    }

    float[] negativesTransposed() {
        return negativesT;
    }

    /** Mean margin of the allowed texts on this clause. */
    public double allowedMean(int clause) {
        return allowedMean[clause];
    }

    /** Standard deviation of the allowed texts' margins on this clause (at least 0.02). */
    public double allowedSpread(int clause) {
        return allowedSpread[clause];
    }
}
