package org.rsafe.policy;

import java.util.Locale;

/** Which side of a conversation a policy judges. */
public enum AppliesTo {
    PROMPT, RESPONSE, BOTH;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean coversPrompt() {
        return this != RESPONSE;
    }

    public boolean coversResponse() {
        return this != PROMPT;
    }
}
