package org.rsafe.engine;

import java.util.Objects;
import org.rsafe.policy.Policy;
import org.rsafe.prompt.TemplateKind;

/**
 * One thing to judge: a prompt and, for response-level judging, the response to it.
 * {@code id} is the caller's key (a dataset row id) and is echoed in results. {@code sample} numbers repeated draws
 * of the same request (0 for the first): a sampling engine gives each draw its own seed, so that K draws of one
 * input can run in one batch and still differ.
 */
public record JudgeRequest(String id, Policy policy, String prompt, String response, TemplateKind template, int sample) {
    public JudgeRequest {
        if (sample < 0) {
            throw new IllegalArgumentException("sample must be >= 0, was " + sample);
        }
        Objects.requireNonNull(policy, "policy");
        prompt = prompt == null ? "" : prompt;
        response = response == null || response.isEmpty() ? null : response;
        template = template == null ? TemplateKind.PAPER : template;
        id = id == null ? "" : id;
    }

    /** The first (or only) draw of a request. */
    public JudgeRequest(String id, Policy policy, String prompt, String response, TemplateKind template) {
        this(id, policy, prompt, response, template, 0);
    }

    /** The same request as draw number {@code n}: a sampling engine seeds each draw differently. */
    public JudgeRequest withSample(int n) {
        return new JudgeRequest(id, policy, prompt, response, template, n);
    }

    public static JudgeRequest of(Policy policy, String prompt) {
        return new JudgeRequest("", policy, prompt, null, TemplateKind.PAPER);
    }

    /** True when the response (not the prompt) is to be judged. */
    public boolean responseLevel() {
        return response != null;
    }
}
