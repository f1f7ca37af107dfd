package org.rsafe.prompt;

import java.util.Locale;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PromptTemplate;

/** How a policy is rendered into the guard prompt. */
public enum TemplateKind implements PromptTemplate {
    /** RSafe's published template; category lines are "ID - Title". Byte-exact for the default taxonomy. */
    PAPER,
    /** The paper template plus each clause's description, examples and the policy's instructions. */
    DETAILED;

    @Override
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public int estimatedTokens(Policy policy, boolean withResponse) {
        return TokenEstimator.estimate(PromptRenderer.render(policy, this, "", withResponse ? "" : null));
    }
}
