package org.rsafe.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class PolicyEditorPropertyTest {

    private static final List<String> CLAUSE_IDS = List.of("W1", "S1", "D1", "F1");

    /** W1 has a threshold with a comment, S1 ends in a block list, D1 is flow style, F1 ends the file with a block scalar. */
    private static final String TEXT = PolicyEditorTest.COMMENTED.replace("# trailing comment\n", "")
            + "  - {id: D1, title: Drugs, description: Drug synthesis., violating: [cook meth], safe: [drug policy debate]}\n"
            + "  - id: F1\n"
            + "    title: Fraud\n"
            + "    violating: [write a phishing mail]\n"
            + "    safe: [how to spot phishing]\n"
            + "    description: |\n"
            + "      Requests to deceive people\n"
            + "      out of money.\n";

    @Property(tries = 200)
    void settingAThresholdStoresItAndChangesOnlyThatClausesThresholdLine(
            @ForAll @DoubleRange(min = 0.0, max = 1.0) double threshold,
            @ForAll @IntRange(min = 0, max = 3) int clauseIndex) {
        String clauseId = CLAUSE_IDS.get(clauseIndex);
        Policy before = PolicyLoader.parse("p.yaml", TEXT).policy();

        String edited = PolicyEditor.setClauseThreshold(before, clauseId, threshold);
        PolicyLoadResult after = PolicyLoader.parse("p.yaml", edited);

        double expected = BigDecimal.valueOf(threshold).setScale(3, RoundingMode.HALF_UP).doubleValue();
        assertThat(after.ok()).as("%s", after.diagnostics()).isTrue();
        assertThat(after.policy().clause(clauseId).orElseThrow().threshold()).isEqualTo(expected);
        for (Clause c : after.policy().clauses()) {
            Clause old = before.clause(c.id()).orElseThrow();
            Clause expectedClause = c.id().equals(clauseId) ? old.withThreshold(expected) : old;
            assertThat(content(c)).isEqualTo(content(expectedClause));
        }
        // Text outside the edited line is byte-identical: one line gained the threshold, at most one line lost.
        String written = "threshold: " + PolicyEditor.formatThreshold(threshold);
        List<String> added = PolicyEditorTest.addedLines(TEXT, edited);
        List<String> removed = PolicyEditorTest.addedLines(edited, TEXT);
        assertThat(added).singleElement().asString().contains(written);
        assertThat(removed).hasSizeLessThanOrEqualTo(1).allSatisfy(line -> assertThat(line)
                .satisfiesAnyOf(
                        old -> assertThat(old).contains("threshold:"),
                        old -> assertThat(added.get(0).replace(", " + written, "")).isEqualTo(old)));
    }

    /** A clause without its positions, which move when a line is inserted above them. */
    private static List<Object> content(Clause c) {
        return List.of(c.id(), c.title(), c.description(), c.violating().stream().map(Example::text).toList(),
                c.safe().stream().map(Example::text).toList(), String.valueOf(c.severity()), String.valueOf(c.threshold()));
    }
}
