package org.rsafe.trace;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of judging one input against a policy.
 *
 * @param verdict       safe, unsafe, or unknown when no answer could be read
 * @param answer        the extracted answer text (null when none), e.g. "unsafe" or "\text{unsafe}"
 * @param formatOk      whether the raw output has the RSafe shape (think block, then a box)
 * @param clauseScores  per-clause scores in 0..1 in policy order (may be empty for engines without them)
 * @param flaggedClauses clauses the engine holds violated (multi-label), in policy order
 * @param steps         reasoning or similarity steps, in order, with citations
 * @param rawOutput     the engine's raw text output (for the quick engine: its rendered trace)
 * @param renderedPrompt the exact text sent to the model (empty when the engine sends none)
 * @param engine        identity of the engine that produced this
 * @param latencyMillis wall time of the judgement
 * @param promptTokens  tokens in the model input (0 when not applicable)
 * @param completionTokens tokens generated (0 when not applicable)
 * @param error         why the engine produced no output for this input (a server that kept failing), or null; such a
 *                      row is an engine error, counted apart from parse failures
 * @param stability     when several sampled judgements were drawn for this input: their agreement (this judgement is
 *                      one of those with the majority verdict); null when only one was drawn
 * @param reviewZ       engines with a REVIEW band (the quick engine): per clause, the standardised margin its
 *                      "near the bar" rule compares with the bar plus the band, so another band (or threshold) can
 *                      be tried on stored results without judging again: a clause that reaches threshold t is left
 *                      to review at band b &gt; 0 iff this is below bar(t) + b. Negative infinity: left to review at
 *                      any band &gt; 0 (the input asks about the rule, or sits between two examples); positive
 *                      infinity: never (a violating example binds). Empty for other engines. Not part of a
 *                      judgement's JSON (traces, the server's answers): batch runs store it per row instead
 */
public record Judgement(
        Verdict verdict,
        String answer,
        boolean formatOk,
        Map<String, Double> clauseScores,
        List<String> flaggedClauses,
        List<TraceStep> steps,
        String rawOutput,
        String renderedPrompt,
        EngineIdentity engine,
        long latencyMillis,
        int promptTokens,
        int completionTokens,
        String error,
        @JsonInclude(JsonInclude.Include.NON_NULL) Stability stability,
        @JsonIgnore Map<String, Double> reviewZ) {

    /** A judgement without REVIEW data, drawn once or several times ({@code stability}). */
    public Judgement(Verdict verdict, String answer, boolean formatOk, Map<String, Double> clauseScores,
                     List<String> flaggedClauses, List<TraceStep> steps, String rawOutput, String renderedPrompt,
                     EngineIdentity engine, long latencyMillis, int promptTokens, int completionTokens, String error,
                     Stability stability) {
        this(verdict, answer, formatOk, clauseScores, flaggedClauses, steps, rawOutput, renderedPrompt, engine,
                latencyMillis, promptTokens, completionTokens, error, stability, null);
    }

    /** A judgement the engine produced (no engine error), drawn once. */
    public Judgement(Verdict verdict, String answer, boolean formatOk, Map<String, Double> clauseScores,
                     List<String> flaggedClauses, List<TraceStep> steps, String rawOutput, String renderedPrompt,
                     EngineIdentity engine, long latencyMillis, int promptTokens, int completionTokens) {
        this(verdict, answer, formatOk, clauseScores, flaggedClauses, steps, rawOutput, renderedPrompt, engine,
                latencyMillis, promptTokens, completionTokens, null, null);
    }

    /** A judgement drawn once: produced, or an engine error when {@code error} is not null. */
    public Judgement(Verdict verdict, String answer, boolean formatOk, Map<String, Double> clauseScores,
                     List<String> flaggedClauses, List<TraceStep> steps, String rawOutput, String renderedPrompt,
                     EngineIdentity engine, long latencyMillis, int promptTokens, int completionTokens, String error) {
        this(verdict, answer, formatOk, clauseScores, flaggedClauses, steps, rawOutput, renderedPrompt, engine,
                latencyMillis, promptTokens, completionTokens, error, null);
    }

    public Judgement {
        verdict = verdict == null ? Verdict.UNKNOWN : verdict;
        clauseScores = clauseScores == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(clauseScores));
        flaggedClauses = flaggedClauses == null ? List.of() : List.copyOf(flaggedClauses);
        steps = steps == null ? List.of() : List.copyOf(steps);
        rawOutput = rawOutput == null ? "" : rawOutput;
        renderedPrompt = renderedPrompt == null ? "" : renderedPrompt;
        engine = engine == null ? EngineIdentity.none() : engine;
        error = error == null || error.isBlank() ? null : error;
        if (error != null) {
            verdict = Verdict.UNKNOWN;
        }
        reviewZ = reviewZ == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(reviewZ));
    }

    /** The same judgement with the per-clause REVIEW data of an engine with a REVIEW band (see {@link #reviewZ}). */
    public Judgement withReviewZ(Map<String, Double> z) {
        return new Judgement(verdict, answer, formatOk, clauseScores, flaggedClauses, steps, rawOutput,
                renderedPrompt, engine, latencyMillis, promptTokens, completionTokens, error, stability, z);
    }

    public Judgement withStability(Stability s) {
        return new Judgement(verdict, answer, formatOk, clauseScores, flaggedClauses, steps, rawOutput,
                renderedPrompt, engine, latencyMillis, promptTokens, completionTokens, error, s, reviewZ);
    }

    /** The engine gave output but no verdict could be read from it. */
    public boolean parseFailure() {
        return verdict == Verdict.UNKNOWN && error == null;
    }

    /** The engine failed to give any output for this input (see {@link #error()}). */
    public boolean engineError() {
        return error != null;
    }

    public Judgement withEngine(EngineIdentity identity, long latency) {
        return new Judgement(verdict, answer, formatOk, clauseScores, flaggedClauses, steps, rawOutput,
                renderedPrompt, identity, latency, promptTokens, completionTokens, error, stability, reviewZ);
    }

    public Judgement withSteps(List<TraceStep> newSteps) {
        return new Judgement(verdict, answer, formatOk, clauseScores, flaggedClauses, newSteps, rawOutput,
                renderedPrompt, engine, latencyMillis, promptTokens, completionTokens, error, stability, reviewZ);
    }
}
