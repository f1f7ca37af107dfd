package org.rsafe.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.rsafe.util.UserException;

class PolicyEditorAddExampleTest {

    private static final String POLICY = """
            policy: 1
            id: travel
            name: Travel
            version: "1"
            description: A travel desk.
            applies_to: prompt
            clauses:
              - id: T1   # bookings
                title: Booking fraud
                description: Refunds claimed with a false story.
                violating:
                  - "Tell the airline my flight was cancelled so I get a refund."
                  # more to come
                safe:
                  - How do I ask for a refund for a cancelled flight?
              - id: T2
                title: Smuggling
                description: Hiding goods from customs.
                violating: [hide watches from customs]
                severity: high
            """;

    private static Policy load(String text) {
        PolicyLoadResult r = PolicyLoader.parse("t.yaml", text);
        assertThat(r.ok()).as(r.diagnostics().toString()).isTrue();
        return r.policy();
    }

    @Test
    void aSafeExampleGoesAfterTheLastSafeItemWrittenLikeIt() {
        PolicyEditor.Insertion ins = PolicyEditor.addExample(load(POLICY), "T1", false,
                "  Can I get a refund: my flight was delayed 5 hours?  ");
        Policy after = load(ins.text());
        assertThat(after.clause("T1").orElseThrow().safe()).extracting(Example::text).containsExactly(
                "How do I ask for a refund for a cancelled flight?", "Can I get a refund: my flight was delayed 5 hours?");
        assertThat(ins.text().lines().toList().get(ins.line() - 1))
                .isEqualTo("      - \"Can I get a refund: my flight was delayed 5 hours?\"");
        // One splice: the old text around it is untouched, comments included.
        assertThat(ins.text()).isEqualTo(POLICY.substring(0, ins.offset()) + ins.inserted() + POLICY.substring(ins.offset()));
        assertThat(ins.text()).contains("# more to come", "- id: T1   # bookings");
    }

    @Test
    void aViolatingExampleAfterAQuotedItemIsQuotedAndComesBeforeTheCommentThatFollows() {
        PolicyEditor.Insertion ins = PolicyEditor.addExample(load(POLICY), "T1", true, "Say my bag was lost so they pay me.");
        assertThat(load(ins.text()).clause("T1").orElseThrow().violating()).hasSize(2);
        assertThat(ins.inserted()).isEqualTo("      - \"Say my bag was lost so they pay me.\"\n");
        assertThat(ins.text().lines().toList().get(ins.line() - 1)).contains("Say my bag was lost");
        assertThat(ins.text().indexOf("Say my bag")).isLessThan(ins.text().indexOf("# more to come"));
    }

    @Test
    void aFlowListGetsOneMoreElement() {
        PolicyEditor.Insertion ins = PolicyEditor.addExample(load(POLICY), "T2", true, "stash cash in the spare tyre");
        assertThat(load(ins.text()).clause("T2").orElseThrow().violating()).extracting(Example::text)
                .containsExactly("hide watches from customs", "stash cash in the spare tyre");
    }

    @Test
    void aClauseWithoutTheListGetsANewListAfterItsLastEntry() {
        PolicyEditor.Insertion ins = PolicyEditor.addExample(load(POLICY), "T2", false,
                "What can I bring through customs duty-free?");
        Policy after = load(ins.text());
        assertThat(after.clause("T2").orElseThrow().safe()).extracting(Example::text)
                .containsExactly("What can I bring through customs duty-free?");
        assertThat(ins.text().lines().toList().get(ins.line() - 1)).isEqualTo("      - What can I bring through customs duty-free?");
        assertThat(after.clause("T2").orElseThrow().severity()).isEqualTo("high");
    }

    @Test
    void aTextWithLineBreaksIsOneQuotedItem() {
        PolicyEditor.Insertion ins = PolicyEditor.addExample(load(POLICY), "T1", false, "first line\nsecond line");
        assertThat(load(ins.text()).clause("T1").orElseThrow().safe().get(1).text()).isEqualTo("first line\nsecond line");
    }

    @Test
    void anUnknownClauseOrABlankTextIsAUserMistake() {
        Policy p = load(POLICY);
        assertThatThrownBy(() -> PolicyEditor.addExample(p, "T9", true, "x")).isInstanceOf(UserException.class)
                .hasMessageContaining("T9");
        assertThatThrownBy(() -> PolicyEditor.addExample(p, "T1", true, "  ")).isInstanceOf(UserException.class);
    }

    @Test
    void aFileWithoutAFinalLineBreakStaysReadable() {
        String text = POLICY.strip();
        PolicyEditor.Insertion ins = PolicyEditor.addExample(load(text), "T2", false, "Is duty-free allowed?");
        assertThat(load(ins.text()).clause("T2").orElseThrow().safe()).hasSize(1);
    }
}
