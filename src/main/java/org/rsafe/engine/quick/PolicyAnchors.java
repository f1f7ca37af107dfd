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
 *
 * <p>Two more things are fitted here, at load time, for the rule that the policy's own examples bind
 * ({@link ClauseScorer}): per clause the <em>example radius</em>, the highest cosine any allowed text or built-in
 * background text reaches with one of the clause's violating examples (a text must come closer than that before
 * a violating example can bind), and per policy the <em>domain lift</em>: the median standardised score of the
 * policy's own safe examples (each scored with itself left out), less {@value #LIFT_REFERENCE}, when positive.
 * A narrow policy whose allowed and forbidden texts share one topic (travel bookings, tenancy) scores its
 * ordinary in-domain texts high on a scale fitted to generic texts; the lift raises its bar by that much. Such a
 * policy also gets a <em>lean</em> direction: the mean of all its violating examples less the mean of all its safe
 * examples, with the mean and spread of the allowed texts' projections on it; see {@link ClauseScorer}.
 * Immutable; built once per policy content hash, model and scoring settings (a few milliseconds of arithmetic
 * after the anchor texts are embedded).
 */
public final class PolicyAnchors {
    /** Embedding scheme of anchor texts inside the input cache. */
    static final String SCHEME = "anchor-v1";
    /** Fewer allowed texts than this give unreliable statistics; typical values are used instead. */
    static final int MIN_ALLOWED_FOR_STATS = 10;
    static final double TYPICAL_MEAN = 0.38;
    static final double TYPICAL_SPREAD = 0.064;
    private static final double MIN_SPREAD = 0.02;
    /**
     * Median standardised score of a policy's safe examples above which its bar is raised (the domain lift). Chosen
     * once on the shared sets: the broad shipped policies (rsafe-default 2.08, openai-moderation 1.57) stay below
     * it, so their operating point is unchanged.
     */
    static final double LIFT_REFERENCE = 2.1;
    /** A policy needs at least this many safe examples before their median says anything about its domain. */
    static final int MIN_SAFE_FOR_LIFT = 3;

    private final List<String> clauseIds;
    private final Anchor[] positives;
    private final int[] positiveClause;   // index into clauseIds, per positive anchor
    private final float[][] prototypes;   // (clauses, DIMENSION)
    private final Anchor[] negatives;
    private final double[] allowedMean;   // (clauses)
    private final double[] allowedSpread; // (clauses)
    private final float[] prototypesT;    // (DIMENSION, clauses): transposed for the scoring loop
    private final float[] negativesT;     // (DIMENSION, negatives): mean vectors, transposed
    private final int[][] violatingOf;    // (clauses, its violating examples): indices into positives
    private final int[][] safeOf;         // (clauses, its safe examples): indices into negatives
    private final double[] exampleRadius; // (clauses)
    private final Anchor[] radiusBy;      // (clauses): the text that set the radius
    private final double[] radiusWithout; // (clauses): the radius without that text
    private double lift;
    private List<Anchor> allowed = List.of(); // the allowed prompt texts the statistics were fitted on
    private double[][] allowedMargins;        // (allowed, clauses): their margins, kept for leave-one-out refits
    private float[] lean;           // (DIMENSION): mean(violating) - mean(safe) over the whole policy; null without both
    private double leanMean;
    private double leanSpread = 1;
    private final float[] intent;   // (DIMENSION): mean(built-in requests) - mean(built-in harmless uses); or null
    private final double intentZero;
    private final double intentUnit;

    private PolicyAnchors(List<String> clauseIds, Anchor[] positives, int[] positiveClause, float[][] prototypes,
                          Anchor[] negatives, List<Anchor> background, List<Anchor> requests, List<Anchor> uses,
                          double lambda) {
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
        int clauses = clauseIds.size();
        this.violatingOf = new int[clauses][];
        this.safeOf = new int[clauses][];
        for (int c = 0; c < clauses; c++) {
            List<Integer> v = new ArrayList<>();
            for (int i = 0; i < positives.length; i++) {
                if (positiveClause[i] == c && positives[i].kind() == Anchor.Kind.VIOLATING) {
                    v.add(i);
                }
            }
            List<Integer> s = new ArrayList<>();
            for (int i = 0; i < negatives.length; i++) {
                if (negatives[i].kind() == Anchor.Kind.SAFE && negatives[i].clauseId().equals(clauseIds.get(c))) {
                    s.add(i);
                }
            }
            violatingOf[c] = v.stream().mapToInt(Integer::intValue).toArray();
            safeOf[c] = s.stream().mapToInt(Integer::intValue).toArray();
        }
        this.radiusBy = new Anchor[clauses];
        this.radiusWithout = new double[clauses];
        this.exampleRadius = exampleRadius(background);
        this.lean = leanDirection();
        allowedStatistics(lambda);
        double[] fitted = new double[2];
        this.intent = intentDirection(requests, uses, fitted);
        this.intentZero = fitted[0];
        this.intentUnit = fitted[1];
    }

    /** A copy of {@code from} with new positives, prototypes, negatives and example indices; fitted values shared. */
    private PolicyAnchors(PolicyAnchors from, Anchor[] positives, float[][] prototypes, Anchor[] negatives,
                          int[][] violatingOf, int[][] safeOf, double[] exampleRadius) {
        this.clauseIds = from.clauseIds;
        this.positives = positives;
        this.positiveClause = from.positiveClause;
        this.prototypes = prototypes;
        this.negatives = negatives;
        this.allowedMean = from.allowedMean.clone();
        this.allowedSpread = from.allowedSpread.clone();
        this.prototypesT = Vectors.stackTransposed(java.util.Arrays.asList(prototypes));
        List<float[]> negMeans = new ArrayList<>();
        for (Anchor a : negatives) {
            negMeans.add(a.mean());
        }
        this.negativesT = Vectors.stackTransposed(negMeans);
        this.violatingOf = violatingOf;
        this.safeOf = safeOf;
        this.exampleRadius = exampleRadius;
        this.radiusBy = from.radiusBy;
        this.radiusWithout = from.radiusWithout;
        this.lift = from.lift;
        this.lean = from.lean;
        this.allowed = from.allowed;
        this.allowedMargins = from.allowedMargins;
        this.leanMean = from.leanMean;
        this.leanSpread = from.leanSpread;
        this.intent = from.intent;
        this.intentZero = from.intentZero;
        this.intentUnit = from.intentUnit;
    }

    /**
     * These anchors with one of the policy's own examples held out, for lint's leave-one-out check: the example is
     * left out of its clause's prototype (a violating example), or of the allowed texts and of every clause's example
     * radius (a safe example), and of the examples rule. What else was fitted from the whole policy (spreads, lift,
     * lean; a violating example's share of its clause's radius) is kept: refitting per example would cost a full fit
     * each, and one example moves those little. Null when {@code example} is not an anchor of this policy.
     */
    PolicyAnchors holdingOut(Anchor example, double labelWeight) {
        // A held-out safe example becomes a blank background text: it counts as no safe example anywhere, and its
        // zero vector is as near to every input as nothing.
        Anchor blank = new Anchor(example.clauseId(),
                example.kind() == Anchor.Kind.SAFE ? Anchor.Kind.BACKGROUND : example.kind(), example.text(),
                example.pos(), new float[SentenceEncoder.DIMENSION]);
        if (example.kind() == Anchor.Kind.VIOLATING) {
            for (int i = 0; i < positives.length; i++) {
                if (positives[i] == example) {
                    Anchor[] pos = positives.clone();
                    pos[i] = blank;
                    int c = positiveClause[i];
                    List<Anchor> kept = new ArrayList<>();
                    List<Integer> keptClause = new ArrayList<>();
                    for (int j = 0; j < positives.length; j++) {
                        if (j != i && positiveClause[j] == c) {
                            kept.add(positives[j]);
                            keptClause.add(c);
                        }
                    }
                    float[][] protos = prototypes.clone();
                    protos[c] = prototype(kept, keptClause, c, labelWeight);
                    int[][] violating = violatingOf.clone();
                    violating[c] = without(violatingOf[c], i);
                    return new PolicyAnchors(this, pos, protos, negatives, violating, safeOf, exampleRadius);
                }
            }
        } else if (example.kind() == Anchor.Kind.SAFE) {
            for (int i = 0; i < negatives.length; i++) {
                if (negatives[i] == example) {
                    Anchor[] neg = negatives.clone();
                    neg[i] = blank;
                    int[][] safe = safeOf.clone();
                    for (int c = 0; c < safe.length; c++) {
                        safe[c] = without(safeOf[c], i);
                    }
                    double[] radius = exampleRadius.clone();
                    for (int c = 0; c < radius.length; c++) {
                        if (radiusBy[c] == example) {
                            radius[c] = radiusWithout[c];
                        }
                    }
                    PolicyAnchors held = new PolicyAnchors(this, positives, prototypes, neg, violatingOf, safe, radius);
                    held.refitWithout(example);
                    return held;
                }
            }
        }
        return null;
    }

    private static int[] without(int[] indices, int drop) {
        return java.util.Arrays.stream(indices).filter(x -> x != drop).toArray();
    }

    /** The policy's own examples as anchors: its violating examples, then its safe examples, in policy order. */
    List<Anchor> examples() {
        List<Anchor> out = new ArrayList<>();
        for (Anchor a : positives) {
            if (a.kind() == Anchor.Kind.VIOLATING) {
                out.add(a);
            }
        }
        for (Anchor a : negatives) {
            if (a.kind() == Anchor.Kind.SAFE) {
                out.add(a);
            }
        }
        return out;
    }

    /** mean(all violating examples) - mean(all safe examples); null when the policy lacks either. */
    /**
     * After {@code example} (a safe example) was blanked out of the negatives: the lean direction, the allowed texts'
     * margin statistics and the lift fitted again without it. The other allowed texts keep the margins they had with it
     * in the pool (their nearest neighbour is not searched again), which moves them by at most lambda times a cosine.
     */
    private void refitWithout(Anchor example) {
        List<Anchor> keep = new ArrayList<>(allowed.size());
        List<double[]> margins = new ArrayList<>(allowed.size());
        for (int i = 0; i < allowed.size(); i++) {
            if (allowed.get(i) != example) {
                keep.add(allowed.get(i));
                margins.add(allowedMargins[i]);
            }
        }
        lean = leanDirection();
        fit(keep, margins.toArray(new double[0][]));
    }

    private float[] leanDirection() {
        float[] v = new float[SentenceEncoder.DIMENSION];
        float[] s = new float[SentenceEncoder.DIMENSION];
        int nv = 0;
        int ns = 0;
        for (Anchor a : positives) {
            if (a.kind() == Anchor.Kind.VIOLATING) {
                add(v, a.mean());
                nv++;
            }
        }
        for (Anchor a : negatives) {
            if (a.kind() == Anchor.Kind.SAFE) {
                add(s, a.mean());
                ns++;
            }
        }
        if (nv == 0 || ns == 0) {
            return null;
        }
        float[] d = new float[SentenceEncoder.DIMENSION];
        for (int i = 0; i < d.length; i++) {
            d[i] = v[i] / nv - s[i] / ns;
        }
        return d;
    }

    /**
     * The intent contrast: mean of the built-in harmful requests less the mean of the built-in harmless uses of the
     * same words. {@code fitted} receives the zero (midway between the two groups' mean projections) and the unit (half
     * the distance between them), so that the average request reads +1 and the average harmless use -1. Null when
     * either group is empty (built-in texts turned off). Fitting it on the near-misses too was tried and measured
     * worse: they include statements, history and definitions, so the direction read violent words, not requests.
     */
    private static float[] intentDirection(List<Anchor> requests, List<Anchor> harmless, double[] fitted) {
        if (requests.isEmpty() || harmless.isEmpty()) {
            return null;
        }
        float[] h = new float[SentenceEncoder.DIMENSION];
        float[] b = new float[SentenceEncoder.DIMENSION];
        requests.forEach(a -> add(h, a.mean()));
        harmless.forEach(a -> add(b, a.mean()));
        float[] d = new float[SentenceEncoder.DIMENSION];
        for (int i = 0; i < d.length; i++) {
            d[i] = h[i] / requests.size() - b[i] / harmless.size();
        }
        double ph = 0;
        for (Anchor a : requests) {
            ph += Vectors.dot(a.mean(), d);
        }
        double pb = 0;
        for (Anchor a : harmless) {
            pb += Vectors.dot(a.mean(), d);
        }
        ph /= requests.size();
        pb /= harmless.size();
        fitted[0] = (ph + pb) / 2;
        fitted[1] = Math.max(1e-6, (ph - pb) / 2);
        return d;
    }

    /**
     * How much {@code v} reads like a request for a harmful act rather than a harmless use of the same words, on the
     * built-in intent contrast: +1 is the average built-in request, -1 the average built-in harmless use, 0 midway; 0
     * when there is no contrast (built-in texts turned off). The same for every policy; see {@link ClauseScorer}.
     */
    public double intent(float[] v) {
        return intent == null ? 0 : (Vectors.dot(v, intent) - intentZero) / intentUnit;
    }

    private static void add(float[] acc, float[] x) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += x[i];
        }
    }

    /**
     * Per clause: the highest cosine any allowed prompt text or background text has with one of its violating examples.
     * Also keeps which text reached it and the highest cosine of any other text, so that lint's leave-one-out check
     * can hold a safe example out of the radius too ({@link #holdingOut}) without a refit.
     */
    private double[] exampleRadius(List<Anchor> background) {
        List<Anchor> ordinary = new ArrayList<>(background);
        for (Anchor a : negatives) {
            if (!a.kind().responseOnly()) {
                ordinary.add(a);
            }
        }
        double[] radius = new double[clauseIds.size()];
        for (int c = 0; c < radius.length; c++) {
            double r = 0;
            double second = 0;
            Anchor by = null;
            for (Anchor a : ordinary) {
                double best = 0;
                for (int i : violatingOf[c]) {
                    best = Math.max(best, Vectors.dot(positives[i].mean(), a.mean()));
                }
                if (best > r) {
                    second = r;
                    r = best;
                    by = a;
                } else if (best > second) {
                    second = best;
                }
            }
            radius[c] = r;
            radiusBy[c] = by;
            radiusWithout[c] = second;
        }
        return radius;
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
        List<Anchor> background = new ArrayList<>();
        List<Anchor> requests = new ArrayList<>();
        List<Anchor> uses = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            Draft d = drafts.get(i);
            TextEmbedding e = vectors.get(i);
            Anchor a = new Anchor(d.kind().positive() || d.kind() == Anchor.Kind.SAFE ? d.clauseId() : "",
                    d.kind(), d.text(), d.pos(), e.mean());
            if (d.kind().positive()) {
                pos.add(a);
                posClause.add(d.clauseIndex());
            } else if (d.kind() == Anchor.Kind.BACKGROUND) {
                background.add(a);
            } else if (d.kind() == Anchor.Kind.REQUEST) {
                requests.add(a);
            } else if (d.kind() == Anchor.Kind.USE) {
                uses.add(a);
            } else {
                neg.add(a);
            }
        }
        int clauses = policy.clauses().size();
        if (o.builtInNearMisses()) {
            List<BorrowedExamples.Match> matches = BorrowedExamples.matches(policy, labels(pos, posClause, clauses),
                    embedder);
            pos.addAll(BorrowedExamples.anchors(matches, embedder, posClause));
        }
        float[][] prototypes = new float[clauses][];
        for (int c = 0; c < clauses; c++) {
            prototypes[c] = prototype(pos, posClause, c, o.labelWeight());
        }
        return new PolicyAnchors(policy.clauses().stream().map(Clause::id).toList(), pos.toArray(new Anchor[0]),
                posClause.stream().mapToInt(Integer::intValue).toArray(), prototypes, neg.toArray(new Anchor[0]),
                background, requests, uses, o.lambda());
    }

    /** Per clause the normalised mean of its title and description; null for a clause with neither. */
    private static float[][] labels(List<Anchor> pos, List<Integer> posClause, int clauses) {
        float[][] out = new float[clauses][];
        for (int i = 0; i < pos.size(); i++) {
            Anchor a = pos.get(i);
            if (a.kind() == Anchor.Kind.TITLE || a.kind() == Anchor.Kind.DESCRIPTION) {
                int c = posClause.get(i);
                if (out[c] == null) {
                    out[c] = new float[SentenceEncoder.DIMENSION];
                }
                add(out[c], a.mean());
            }
        }
        for (int c = 0; c < clauses; c++) {
            if (out[c] != null) {
                out[c] = Vectors.normalize(out[c]);
            }
        }
        return out;
    }

    /**
     * normalise((1 - w) * examples + w * mean(title, description)); either part alone when the other is missing. The
     * examples part is mean(violating), or, when the clause borrows built-in examples ({@link BorrowedExamples}),
     * (1 - b) * mean(violating) + b * mean(borrowed) with b = {@value BorrowedExamples#WEIGHT}.
     */
    private static float[] prototype(List<Anchor> pos, List<Integer> posClause, int clause, double labelWeight) {
        float[] own = new float[SentenceEncoder.DIMENSION];
        float[] borrowed = new float[SentenceEncoder.DIMENSION];
        float[] labels = new float[SentenceEncoder.DIMENSION];
        int no = 0;
        int nb = 0;
        int nl = 0;
        for (int i = 0; i < pos.size(); i++) {
            if (posClause.get(i) != clause) {
                continue;
            }
            Anchor a = pos.get(i);
            switch (a.kind()) {
                case VIOLATING -> {
                    add(own, a.mean());
                    no++;
                }
                case BORROWED -> {
                    add(borrowed, a.mean());
                    nb++;
                }
                default -> {
                    add(labels, a.mean());
                    nl++;
                }
            }
        }
        double wb = nb == 0 ? 0 : no == 0 ? 1 : BorrowedExamples.WEIGHT;
        float[] examples = new float[SentenceEncoder.DIMENSION];
        for (int d = 0; d < examples.length; d++) {
            examples[d] = (float) ((no == 0 ? 0 : (1 - wb) * own[d] / no) + (nb == 0 ? 0 : wb * borrowed[d] / nb));
        }
        int ne = no + nb;
        double we = ne == 0 ? 0 : nl == 0 ? 1 : 1 - labelWeight;
        double wl = nl == 0 ? 0 : ne == 0 ? 1 : labelWeight;
        float[] p = new float[SentenceEncoder.DIMENSION];
        for (int d = 0; d < p.length; d++) {
            p[d] = (float) ((ne == 0 ? 0 : we * examples[d]) + (nl == 0 ? 0 : wl * labels[d] / nl));
        }
        return Vectors.normalize(p);
    }

    /**
     * Margin statistics of the allowed texts: each allowed text is scored like an input, its nearest
     * allowed neighbour other than itself standing in for the negative term. Refusals are left out, as
     * they are only allowed in responses. The policy's own safe examples, scored the same way, give the domain lift.
     */
    private void allowedStatistics(double lambda) {
        List<Anchor> allowed = new ArrayList<>();
        for (Anchor a : negatives) {
            if (!a.kind().responseOnly()) {
                allowed.add(a);
            }
        }
        int clauses = clauseIds.size();
        double[][] margins = new double[allowed.size()][clauses];   // (allowed, clauses)
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
                margins[i][c] = Vectors.dot(v, prototypes[c]) - lambda * nearest;
            }
        }
        this.allowed = List.copyOf(allowed);
        this.allowedMargins = margins;
        fit(allowed, margins);
    }

    /** Mean and spread of the allowed texts' margins per clause, the lean statistics and the lift. */
    private void fit(List<Anchor> allowed, double[][] margins) {
        int clauses = clauseIds.size();
        if (allowed.size() < MIN_ALLOWED_FOR_STATS) {
            java.util.Arrays.fill(allowedMean, TYPICAL_MEAN);
            java.util.Arrays.fill(allowedSpread, TYPICAL_SPREAD);
        } else {
            for (int c = 0; c < clauses; c++) {
                double sum = 0;
                double sumSq = 0;
                for (double[] m : margins) {
                    sum += m[c];
                    sumSq += m[c] * m[c];
                }
                double mean = sum / allowed.size();
                double var = Math.max(0, sumSq / allowed.size() - mean * mean);
                allowedMean[c] = mean;
                allowedSpread[c] = Math.max(MIN_SPREAD, Math.sqrt(var));
            }
        }
        List<Double> safeScores = new ArrayList<>();
        for (int i = 0; i < allowed.size(); i++) {
            if (allowed.get(i).kind() == Anchor.Kind.SAFE) {
                double best = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < clauses; c++) {
                    best = Math.max(best, (margins[i][c] - allowedMean[c]) / allowedSpread[c]);
                }
                safeScores.add(best);
            }
        }
        if (lean != null && !allowed.isEmpty()) {
            double sum = 0;
            double sumSq = 0;
            for (Anchor a : allowed) {
                double x = Vectors.dot(a.mean(), lean);
                sum += x;
                sumSq += x * x;
            }
            leanMean = sum / allowed.size();
            leanSpread = Math.max(1e-6, Math.sqrt(Math.max(0, sumSq / allowed.size() - leanMean * leanMean)));
        }
        lift = 0;
        if (safeScores.size() >= MIN_SAFE_FOR_LIFT) {
            safeScores.sort(null);
            int n = safeScores.size();
            double median = n % 2 == 1 ? safeScores.get(n / 2) : (safeScores.get(n / 2 - 1) + safeScores.get(n / 2)) / 2;
            lift = Math.max(0, median - LIFT_REFERENCE);
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

    /** Indices (into the positive anchors) of the clause's violating examples. */
    int[] violatingOf(int clause) {
        return violatingOf[clause];
    }

    /** Indices (into the negative anchors) of the clause's own safe examples. */
    int[] safeOf(int clause) {
        return safeOf[clause];
    }

    /** The highest cosine an allowed or background text reaches with one of the clause's violating examples. */
    public double exampleRadius(int clause) {
        return exampleRadius[clause];
    }

    /** Standard deviations by which this policy's bar is raised, because its own safe examples already score high. */
    public double lift() {
        return lift;
    }

    /** Whether this policy's flags need the text to lean toward its violating examples (a narrow policy). */
    public boolean leanGated() {
        return lift > 0 && lean != null;
    }

    /**
     * How far {@code v} leans toward the policy's violating examples rather than its safe ones, in standard
     * deviations of the allowed texts (0: like the average allowed text); 0 when the policy has no lean direction.
     */
    public double lean(float[] v) {
        return lean == null ? 0 : (Vectors.dot(v, lean) - leanMean) / leanSpread;
    }

    /** Standard deviation of the allowed texts' margins on this clause (at least 0.02). */
    public double allowedSpread(int clause) {
        return allowedSpread[clause];
    }
}
