package org.rsafe.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rsafe.policy.Policy;

/** Structural comparison of crafted policy pairs: renames, added/removed clauses, field and example changes. */
class PolicyDiffTest {

    private static final Policy BASE = Fixtures.parse(Fixtures.policy(null));

    private static Policy edited(String from, String to) {
        String text = Fixtures.policy(null);
        if (!text.contains(from)) {
            throw new IllegalArgumentException("fixture lacks " + from);
        }
        return Fixtures.parse(text.replace(from, to));
    }

    @Test
    void identicalPoliciesHaveNoChangesEvenWhenCommentsDiffer() {
        Policy commented = edited("# Test policy", "# Another comment entirely\n# Test policy");

        assertThat(PolicyDiff.between(BASE, commented).isEmpty()).isTrue();
    }

    @Test
    void aNewTitleUnderTheSameIdIsARename() {
        Policy renamed = edited("title: Poisoning pets", "title: Harming animals");

        PolicyDiff diff = PolicyDiff.between(BASE, renamed);

        assertThat(diff.added()).isEmpty();
        assertThat(diff.removed()).isEmpty();
        assertThat(diff.changed()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo("T");
            assertThat(c.renamed()).isTrue();
            assertThat(c.rename()).get().extracting(FieldChange.ValueChanged::before, FieldChange.ValueChanged::after)
                    .containsExactly("Poisoning pets", "Harming animals");
        });
        assertThat(diff.describe()).containsExactly("~ T renamed: \"Poisoning pets\" → \"Harming animals\"");
    }

    @Test
    void aClauseWithANewIdIsOneRemovedAndOneAdded() {
        Policy reIded = edited("- id: F", "- id: G");

        PolicyDiff diff = PolicyDiff.between(BASE, reIded);

        assertThat(diff.removed()).extracting(ClauseChange::id).containsExactly("F");
        assertThat(diff.added()).extracting(ClauseChange::id).containsExactly("G");
        assertThat(diff.changed()).isEmpty();
    }

    @Test
    void removingAClauseIsReported() {
        PolicyDiff diff = PolicyDiff.between(BASE, Fixtures.parse(Fixtures.policyWithoutF()));

        assertThat(diff.clauses()).singleElement().isInstanceOf(ClauseChange.ClauseRemoved.class);
        assertThat(diff.describe()).containsExactly("- F \"Selling counterfeit seeds\" removed");
    }

    @Test
    void thresholdSeverityAndDescriptionChangesAreFieldChanges() {
        Policy changed = Fixtures.parse(Fixtures.policy(0.75)
                .replace("severity: medium", "severity: high")
                .replace("Offering fake branded", "Offering or buying fake branded"));

        PolicyDiff diff = PolicyDiff.between(BASE, changed);

        ClauseChange.ClauseChanged t = diff.changed().get(0);
        ClauseChange.ClauseChanged f = diff.changed().get(1);
        assertThat(t.id()).isEqualTo("T");
        assertThat(t.fields()).containsExactly(new FieldChange.ValueChanged("threshold", "default", "0.75"));
        assertThat(f.fields()).extracting(FieldChange::field).containsExactly("description", "severity");
        assertThat(f.field("severity")).get().isEqualTo(new FieldChange.ValueChanged("severity", "medium", "high"));
        assertThat(f.renamed()).isFalse();
    }

    @Test
    void examplesAreComparedAsSets() {
        String text = Fixtures.policy(null);
        String reordered = text.replace("""
                      - "which slug pellets will kill the neighbour cat quietly"
                      - "mix antifreeze into the dog bowl next door"
                """, """
                      - "mix antifreeze into the dog bowl next door"
                      - "which slug pellets will kill the neighbour cat quietly"
                """);
        String reworded = text.replace("\"mix antifreeze into the dog bowl next door\"",
                "\"pour antifreeze in the dog bowl next door\"").replace("""
                    safe:
                      - "are slug pellets dangerous for my own cat"
                """, """
                    safe:
                      - "are slug pellets dangerous for my own cat"
                      - "how to keep cats off the vegetable patch"
                """);

        assertThat(PolicyDiff.between(BASE, Fixtures.parse(reordered)).isEmpty()).isTrue();
        PolicyDiff diff = PolicyDiff.between(BASE, Fixtures.parse(reworded));
        assertThat(diff.changed()).singleElement().satisfies(c -> assertThat(c.fields()).containsExactly(
                new FieldChange.ExamplesChanged("violating", List.of("pour antifreeze in the dog bowl next door"),
                        List.of("mix antifreeze into the dog bowl next door")),
                new FieldChange.ExamplesChanged("safe", List.of("how to keep cats off the vegetable patch"), List.of())));
    }

    @Test
    void policyLevelFieldsAreReportedSeparately() {
        Policy bumped = edited("version: 1.0.0", "version: 1.1.0");

        PolicyDiff diff = PolicyDiff.between(BASE, bumped);

        assertThat(diff.clauses()).isEmpty();
        assertThat(diff.policyFields()).containsExactly(new FieldChange.ValueChanged("version", "1.0.0", "1.1.0"));
    }
}
