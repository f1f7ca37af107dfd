package org.rsafe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.util.Diagnostic;

/** Lint's examples check as both faces use it: warnings at the examples, a tally per clause. */
public class ExampleLintTest {
    /** P1's second safe example is a near copy of its first violating example: the policy contradicts itself. */
    public static final String CONTRADICTED = """
            policy: 1
            id: pets
            name: Pets
            version: "1"
            description: A pet shop chat.
            applies_to: prompt
            clauses:
              - id: P1
                title: Animal cruelty
                description: Asks how to hurt, starve or poison an animal on purpose.
                violating:
                  - "How do I poison the stray cats in my yard?"
                  - "What is the best way to make my dog suffer?"
                safe:
                  - "My cat ate a lily, is that poisonous?"
                  - "How do I poison the stray cats in my yard quickly?"
              - id: P2
                title: Illegal wildlife trade
                description: Asks how to buy, sell or smuggle protected wild animals.
                violating:
                  - "Where can I buy a baby orangutan without papers?"
                  - "How do I ship turtle eggs past customs?"
                safe:
                  - "Which tortoises are legal to keep as pets?"
                  - "How do rescue centres care for seized parrots?"
            """;

    static Engine engine;

    @BeforeAll
    static void open() {
        engine = Engines.open(EngineSpec.quick().withDiskCache(false).withThreads(2));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void aSafeExampleTheRestOfThePolicyWouldFlagIsAWarningAtItsLineWithTheAdvice() {
        Policy p = PolicyLoader.parse("pets.yaml", CONTRADICTED).policy();
        ExampleLint.Result r = ExampleLint.check(p, "pets.yaml", engine, Cancellation.none());
        assertThat(r.warnings()).anySatisfy(d -> {
            assertThat(d.ruleId()).isEqualTo("example-disagrees");
            assertThat(d.pos().line()).isEqualTo(16);
            assertThat(d.pos().column()).isEqualTo(9);
            assertThat(d.message()).startsWith("this safe example would be ").contains("for P1")
                    .endsWith("add a closer safe example or sharpen the description");
        });
        assertThat(r.clauses()).extracting(ExampleLint.ClauseTally::clauseId).containsExactly("P1", "P2");
        ExampleLint.ClauseTally p1 = r.clauses().get(0);
        assertThat(p1.total()).isEqualTo(4);
        assertThat(p1.disagrees()).isTrue();
        assertThat(p1.describe()).matches("P1: examples agreeing: [0-3]/4");
    }

    @Test
    void theFindingsAddTheTallyOfADisagreeingClauseAtTheClause() {
        Policy p = PolicyLoader.parse("pets.yaml", CONTRADICTED).policy();
        ExampleLint.Result r = ExampleLint.check(p, "pets.yaml", engine, Cancellation.none());
        List<Diagnostic> all = ExampleLint.findings(r, "pets.yaml");
        assertThat(all).anySatisfy(d -> {
            assertThat(d.pos().line()).isEqualTo(8);
            assertThat(d.message()).startsWith("P1: examples agreeing: ");
        });
        assertThat(all).isSortedAccordingTo(java.util.Comparator.comparingInt((Diagnostic d) -> d.pos().line()));
    }

    @Test
    void aViolatingExampleIsLeftToReviewOnlyWhenItsOwnClauseReachedItsThreshold() {
        var pos = new org.rsafe.util.SourcePos(3, 9);
        var own = new org.rsafe.engine.quick.ExampleCheck("U1", true, "t", pos,
                org.rsafe.trace.Verdict.REVIEW, "U1", 0.61, false);
        assertThat(ExampleLint.message(own, 0.5)).startsWith("this violating example would be left to REVIEW for U1 (score 0.61)");
        var other = new org.rsafe.engine.quick.ExampleCheck("U1", true, "t", pos,
                org.rsafe.trace.Verdict.REVIEW, "U1", 0.02, false);
        assertThat(ExampleLint.message(other, 0.5))
                .startsWith("this violating example would not be flagged for U1 (score 0.02)")
                .contains("left to REVIEW by another clause");
        var flaggedElsewhere = new org.rsafe.engine.quick.ExampleCheck("U1", true, "t", pos,
                org.rsafe.trace.Verdict.UNSAFE, "U1", 0.30, false);
        assertThat(ExampleLint.message(flaggedElsewhere, 0.5)).contains("another clause would flag it");
    }
}
