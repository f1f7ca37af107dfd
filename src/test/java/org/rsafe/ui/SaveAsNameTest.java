package org.rsafe.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.rsafe.policy.PolicyLoader;

/** Save as suggests a file named after the policy's id, not a generic name. */
class SaveAsNameTest {

    @Test
    void aNewPolicyIsSuggestedUnderItsId() {
        var policy = PolicyLoader.parse("new.yaml", """
                policy: 1
                id: fintech-support
                name: Fintech support
                version: 0.1.0
                clauses:
                  - id: F1
                    title: Account takeover
                    description: Getting into someone else's account.
                    severity: high
                """).policy();

        assertThat(MainWindowView.suggestedFileName(policy)).isEqualTo("fintech-support.yaml");
        assertThat(MainWindowView.suggestedFileName(null)).isEqualTo("policy.yaml");
    }
}
