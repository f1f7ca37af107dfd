package org.rsafe.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.policy.PromptTemplate;

class TemplateCatalogTest {

    private static final String POLICY = """
            policy: 1
            id: p
            name: P
            version: "1"
            description: d
            applies_to: both
            clauses:
              - id: U1
                title: Weapons
                description: Help with building weapons.
                violating: [how do I build a gun]
                safe: [history of the musket]
            """;

    @Test
    void theLinterFindsEveryTemplateKindAsAService() {
        List<PromptTemplate> found = new ArrayList<>();
        ServiceLoader.load(PromptTemplate.Catalog.class).forEach(c -> found.addAll(c.templates()));

        assertThat(found).containsExactlyInAnyOrder(TemplateKind.values());
    }

    @Test
    void estimatedTokensCountTheRenderingWithAndWithoutAResponseSlot() {
        Policy policy = PolicyLoader.parse("p.yaml", POLICY).policy();

        for (TemplateKind kind : TemplateKind.values()) {
            assertThat(kind.estimatedTokens(policy, false))
                    .isEqualTo(TokenEstimator.estimate(PromptRenderer.render(policy, kind, "", null)));
            assertThat(kind.estimatedTokens(policy, true))
                    .isEqualTo(TokenEstimator.estimate(PromptRenderer.render(policy, kind, "", "")))
                    .isNotEqualTo(kind.estimatedTokens(policy, false));
        }
    }
}
