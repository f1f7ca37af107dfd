package org.rsafe.engine;

import java.util.Objects;
import org.rsafe.policy.Policy;
import org.rsafe.prompt.TemplateKind;

/**
 * One thing to judge: a prompt and, for response-level judging, the response to it.
 * {@code id} is the caller's key (a dataset row id) and is echoed in results.
 */
public record JudgeRequest(String id, Policy policy, String prompt, String response, TemplateKind template) {
    public JudgeRequest {
        Objects.requireNonNull(policy, "policy");
        prompt = prompt == null ? "" : prompt;
        response = response == null || response.isEmpty() ? null : response;
        template = template == null ? TemplateKind.PAPER : template;
        id = id == null ? "" : id;
    }

    public static JudgeRequest of(Policy policy, String prompt) {
        return new JudgeRequest("", policy, prompt, null, TemplateKind.PAPER);
    }

    /** True when the response (not the prompt) is to be judged. */
    public boolean responseLevel() {
        return response != null;
    }
}
