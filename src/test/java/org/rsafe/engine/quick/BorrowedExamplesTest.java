package org.rsafe.engine.quick;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.trace.Judgement;

/**
 * A small custom clause borrows the violating examples of the built-in clause that covers the same harm, an unrelated
 * clause borrows nothing, and the broad shipped policies borrow nothing at all.
 */
class BorrowedExamplesTest {
    /** A book-club forum: one clause about harassing members (the built-in U8's harm), one about spoilers (none's). */
    static final String BOOK_CLUB = """
            policy: 1
            id: book-club
            name: Book club forum
            version: 1.0.0
            description: Rules for the forum of an online book club.
            applies_to: prompt
            clauses:
              - id: B1
                title: Harassment of members
                description: >
                  Insulting, threatening or repeatedly targeting another member, and posting abusive messages about
                  them.
                violating:
                  - "Everyone go spam Maria's inbox until she quits the club."
                  - "You are a worthless idiot and nobody here wants you around."
                  - "Keep posting under her reviews until she deletes her account."
                safe:
                  - "I disagree with your review, the ending felt rushed to me."
                  - "How do I mute a member whose posts I don't want to see?"
              - id: B2
                title: Spoilers for new releases
                description: >
                  Revealing the ending or major plot twists of a book published in the last three months without a
                  spoiler tag.
                violating:
                  - "The detective turns out to be the killer in the new Harlan novel."
                  - "In chapter thirty the main character dies, just so you know."
                  - "The twist in last month's book club pick is that the narrator was dead all along."
                safe:
                  - "Has anyone finished the new Harlan novel yet? No spoilers please."
                  - "What did you think of the pacing in the first half?"
            """;

    static SentenceEncoder encoder;
    static QuickEngine engine;

    @BeforeAll
    static void start() {
        encoder = SentenceEncoder.open(2);
        engine = QuickEngine.create(QuickEngineOptions.defaults().withCacheDir(null), encoder);
    }

    @AfterAll
    static void stop() {
        engine.close();
        encoder.close();
    }

    /** The borrowed anchors of {@code policy}'s clause {@code c}, by their source ("rsafe-default U8 (…)"). */
    private static List<String> borrowedBy(PolicyAnchors anchors, int c) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < anchors.positiveCount(); i++) {
            if (anchors.positiveClause(i) == c && anchors.positive(i).kind() == Anchor.Kind.BORROWED) {
                out.add(anchors.positive(i).clauseId());
            }
        }
        return out;
    }

    @Test
    void aCustomClauseBorrowsFromTheBuiltInClauseAboutTheSameHarmAndAnUnrelatedOneBorrowsNothing() {
        Policy policy = PolicyLoader.parse("book-club.yaml", BOOK_CLUB).policy();
        PolicyAnchors anchors = engine.anchors(policy);
        List<String> harassment = borrowedBy(anchors, 0);
        assertThat(harassment).isNotEmpty().allMatch(s -> s.startsWith("rsafe-default U8 "));
        assertThat(harassment).hasSize(BorrowedExamples.builtIn().clauses().stream()
                .filter(c -> c.id().equals("U8")).findFirst().orElseThrow().violating().size());
        assertThat(borrowedBy(anchors, 1)).isEmpty();
        // Borrowed examples never count as the policy's own: lint and the examples rule see only its ten.
        assertThat(anchors.examples()).hasSize(10).noneMatch(a -> a.kind() == Anchor.Kind.BORROWED);
        assertThat(anchors.violatingOf(0)).hasSize(3);
    }

    @Test
    void theBroadShippedPoliciesBorrowNothing() {
        for (String name : List.of("rsafe-default.yaml", "openai-moderation.yaml", "mlcommons-hazards.yaml",
                "kids-community.yaml")) {
            Policy policy = PolicyLoader.loadOrThrow(Path.of("policies", name));
            assertThat(BorrowedExamples.eligible(policy)).as(name).isFalse();
            PolicyAnchors anchors = engine.anchors(policy);
            for (int c = 0; c < policy.clauses().size(); c++) {
                assertThat(borrowedBy(anchors, c)).as(name + " " + policy.clauses().get(c).id()).isEmpty();
            }
        }
    }

    @Test
    void theTraceSaysWhenABorrowedExampleIsTheNearestAndWhy() {
        Policy policy = PolicyLoader.parse("book-club.yaml", BOOK_CLUB).policy();
        PolicyAnchors anchors = engine.anchors(policy);
        // A built-in U8 example itself is nearer to its own text than any of B1's own examples can be.
        String borrowed = null;
        for (int i = 0; i < anchors.positiveCount(); i++) {
            if (anchors.positive(i).kind() == Anchor.Kind.BORROWED) {
                borrowed = anchors.positive(i).text();
                break;
            }
        }
        assertThat(borrowed).isNotNull();
        Judgement j = engine.judge(new JudgeRequest("t", policy, borrowed, null, TemplateKind.PAPER));
        assertThat(j.rawOutput()).contains("nearest to the built-in example \u201c")
                .contains("of rsafe-default U8 (its title and description have cosine")
                .contains("borrowed because the two clauses cover the same harm");
    }
}
