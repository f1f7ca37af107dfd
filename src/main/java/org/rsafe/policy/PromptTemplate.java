package org.rsafe.policy;

import java.util.List;

/**
 * A way of rendering a policy into the guard prompt, seen only as far as the linter needs it: a name and
 * the estimated length of what it renders.
 *
 * <p>The prompt package owns the templates and implements this interface, so that the policy package can hold
 * a policy to a token budget without depending on how prompts are built. {@link PolicyLinter.LintOptions}
 * finds the installed templates by name through {@link Catalog}, registered as a Java service.
 */
public interface PromptTemplate {

    /** The name users type and read, such as {@code paper} or {@code detailed}. */
    String cliName();

    /**
     * Estimated tokens of the prompt rendered for {@code policy} before any conversation: with an empty
     * response slot when {@code withResponse} (the response-level prompt), else the prompt-level one.
     */
    int estimatedTokens(Policy policy, boolean withResponse);

    /** Lists the templates a package provides; found with {@link java.util.ServiceLoader}. */
    interface Catalog {
        List<PromptTemplate> templates();
    }
}
