package org.rsafe.prompt;

import java.util.List;
import org.rsafe.policy.PromptTemplate;

/** Offers every {@link TemplateKind} to the policy linter, which looks templates up as a service. */
public final class TemplateCatalog implements PromptTemplate.Catalog {

    @Override
    public List<PromptTemplate> templates() {
        return List.of(TemplateKind.values());
    }
}
