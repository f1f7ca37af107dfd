package org.rsafe.prompt;

import java.util.Locale;

/** How a policy is rendered into the guard prompt. */
public enum TemplateKind {
    /** RSafe's published template; category lines are "ID - Title". Byte-exact for the default taxonomy. */
    PAPER,
    /** The paper template plus each clause's description, examples and the policy's instructions. */
    DETAILED;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
