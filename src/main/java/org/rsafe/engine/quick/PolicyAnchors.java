package org.rsafe.engine.quick;

import java.util.ArrayList;
import java.util.List;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Example;
import org.rsafe.policy.Policy;
import org.rsafe.policy.SourcePos;

/**
 * The anchors of one policy, embedded: per clause its title, description and violating examples
 * (positive), and one shared pool of negatives: every clause's safe examples plus, when enabled, the
 * built-in near-misses. A safe example of any clause is an allowed text, so it speaks against all clauses.
 * Immutable; built once per policy content hash and model.
 */
public final class PolicyAnchors {
    /** Embedding scheme of anchor texts inside the input cache. */
    static final String SCHEME = "anchor-v1";

    private final List<String> clauseIds;
    private final Anchor[] positives;
    private final int[] positiveClause;   // index into clauseIds, per positive anchor
    private final Anchor[] negatives;

    private PolicyAnchors(List<String> clauseIds, Anchor[] positives, int[] positiveClause, Anchor[] negatives) {
        this.clauseIds = clauseIds;
        this.positives = positives;
        this.positiveClause = positiveClause;
        this.negatives = negatives;
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
                drafts.add(new Draft(-1, "", e.responseOnly() ? Anchor.Kind.REFUSAL : Anchor.Kind.NEAR_MISS, e.text(),
                        new SourcePos(e.line(), 1)));
            }
        }
        return drafts;
    }

    record Draft(int clauseIndex, String clauseId, Anchor.Kind kind, String text, SourcePos pos) { }

    static PolicyAnchors build(Policy policy, boolean builtInNearMisses, Embedder embedder) {
        List<Draft> drafts = drafts(policy, builtInNearMisses);
        List<TextEmbedding> vectors = embedder.embed(drafts.stream().map(Draft::text).toList());
        List<Anchor> pos = new ArrayList<>();
        List<Integer> posClause = new ArrayList<>();
        List<Anchor> neg = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            Draft d = drafts.get(i);
            TextEmbedding e = vectors.get(i);
            Anchor a = new Anchor(d.kind().positive() || d.kind() == Anchor.Kind.SAFE ? d.clauseId() : "",
                    d.kind(), d.text(), d.pos(), e.whole(), e.mean());
            if (d.kind().positive()) {
                pos.add(a);
                posClause.add(d.clauseIndex());
            } else {
                neg.add(a);
            }
        }
        return new PolicyAnchors(policy.clauses().stream().map(Clause::id).toList(), pos.toArray(new Anchor[0]),
                posClause.stream().mapToInt(Integer::intValue).toArray(), neg.toArray(new Anchor[0]));
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
}
