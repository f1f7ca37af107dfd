package org.rsafe.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.util.Hashing;

/** The shipped default policy file, loaded as users load it, must render RSafe's templates byte for byte. */
class DefaultPolicyFileTest {

    private static final Path DEFAULT_POLICY = Path.of("policies", "rsafe-default.yaml");

    @Test
    void shippedDefaultPolicyRendersThePublishedPromptLevelTemplate() {
        Policy policy = PolicyLoader.loadOrThrow(DEFAULT_POLICY);

        String rendered = PromptRenderer.render(policy, TemplateKind.PAPER, "{prompt}", null);

        assertThat(Hashing.sha256(rendered)).isEqualTo(PromptRendererTest.PROMPT_LEVEL_SHA);
    }

    @Test
    void shippedDefaultPolicyRendersThePublishedResponseLevelTemplate() {
        Policy policy = PolicyLoader.loadOrThrow(DEFAULT_POLICY);

        String rendered = PromptRenderer.render(policy, TemplateKind.PAPER, "{prompt}", "{response}");

        assertThat(Hashing.sha256(rendered)).isEqualTo(PromptRendererTest.RESPONSE_LEVEL_SHA);
    }

    @Test
    void shippedDefaultPolicyHasTheTaxonomyTitlesInOrder() {
        Policy policy = PolicyLoader.loadOrThrow(DEFAULT_POLICY);

        assertThat(policy.clauses()).extracting(c -> c.title()).containsExactlyElementsOf(RsafeDefaultTaxonomy.TITLES);
    }
}
