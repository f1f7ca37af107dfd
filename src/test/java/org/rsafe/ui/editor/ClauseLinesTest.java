package org.rsafe.ui.editor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;

class ClauseLinesTest {

    @Test
    void eachClauseRunsFromItsDashToTheLineBeforeTheNextClause() {
        Policy p = PolicyLoader.parse("pets.yaml", TestPolicies.PETS).policy();
        Map<String, LineRange> lines = ClauseLines.of(p, TestPolicies.PETS);
        assertThat(lines).containsEntry("P1", new LineRange(8, 16)).containsEntry("P2", new LineRange(17, 25));
    }

    @Test
    void theLastClauseEndsBeforeTheNextTopLevelKeyAndItsTrailingBlankLines() {
        String text = TestPolicies.PETS.replace("applies_to: both\n", "") + "\ninstructions: Pick the closest.\n";
        Policy p = PolicyLoader.parse("pets.yaml", text).policy();
        assertThat(ClauseLines.of(p, text)).containsEntry("P2", new LineRange(16, 24));
    }

    @Test
    void theOutlineListsEachClauseWithItsExampleListsAndLines() {
        Policy p = PolicyLoader.parse("pets.yaml", TestPolicies.PETS).policy();
        OutlineItem root = PolicyOutline.of(p);
        assertThat(root.label()).isEqualTo("Pet shop chat");
        assertThat(root.children()).extracting(OutlineItem::clauseId).containsExactly("P1", "P2");
        OutlineItem p1 = root.children().get(0);
        assertThat(p1.line()).isEqualTo(8);
        assertThat(p1.children()).extracting(OutlineItem::label).containsExactly("violating (2)", "safe (2)");
        assertThat(p1.children()).extracting(OutlineItem::line).containsExactly(12, 15);
    }
}
