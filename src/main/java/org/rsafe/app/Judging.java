package org.rsafe.app;

import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.trace.Judgement;
import org.rsafe.util.UserException;

/** The judge-one-input use case: one prompt, or one response to a prompt, judged against a policy by an engine. */
public final class Judging {
    private Judging() { }

    /**
     * Judges {@code request}, streaming an LLM's tokens to {@code listener}; an empty input is a user mistake.
     *
     * @throws java.util.concurrent.CancellationException when cancelled
     */
    public static Judgement judge(Engine engine, JudgeRequest request, JudgeListener listener, Cancellation cancellation) {
        String problem = problem(request.prompt(), request.response());
        if (!problem.isEmpty()) {
            throw new UserException(problem);
        }
        return engine.judge(request, listener, cancellation);
    }

    /** Why this input cannot be judged ("nothing to judge: ..."), or empty when it can. */
    public static String problem(String prompt, String response) {
        boolean noPrompt = prompt == null || prompt.isBlank();
        boolean noResponse = response == null || response.isBlank();
        return noPrompt && noResponse ? "nothing to judge: --prompt is empty" : "";
    }
}
