package org.rsafe.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.rsafe.policy.Policy;
import org.rsafe.util.PythonText;

/**
 * Reads a guard model's raw output the way RSafe's reward function does: the answer is the content of the
 * last {@code \boxed{...}} and the format check is a full match of
 * {@code <think>.*</think>.*\\boxed\{.*\}.*} with DOTALL.
 */
public final class OutputParser {

    static final String BOX = "\\boxed{";
    static final String THINK_OPEN = "<think>";
    static final String THINK_CLOSE = "</think>";

    private OutputParser() { }

    /**
     * The answer in the last {@code \boxed{}}: the text up to the brace that closes it (nested braces
     * counted), stripped as Python strips (U+00A0 and U+0085 included: {@link PythonText#strip}) and lower-cased.
     * Null when there is no box or the last one is never closed.
     */
    public static String extractAnswer(String output) {
        if (output == null) {
            return null;
        }
        int open = output.lastIndexOf(BOX);
        if (open < 0) {
            return null;
        }
        int contentStart = open + BOX.length();
        int depth = 1;
        for (int i = contentStart; i < output.length(); i++) {
            char c = output.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return PythonText.strip(output.substring(contentStart, i)).toLowerCase(Locale.ROOT);
                }
            }
        }
        return null;
    }

    /**
     * Whether the whole output matches {@code (?s)<think>.*</think>.*\\boxed\{.*\}.*}. Implemented as a
     * left-to-right scan (each part found at its earliest place after the previous one), which accepts
     * exactly the same strings as the regex but takes linear time on long outputs, where the regex's
     * backtracking would not.
     */
    public static boolean formatOk(String output) {
        if (output == null || !output.startsWith(THINK_OPEN)) {
            return false;
        }
        int close = output.indexOf(THINK_CLOSE, THINK_OPEN.length());
        if (close < 0) {
            return false;
        }
        int box = output.indexOf(BOX, close + THINK_CLOSE.length());
        if (box < 0) {
            return false;
        }
        return output.indexOf('}', box + BOX.length()) >= 0;
    }

    /**
     * A judgement from a raw output: verdict from the answer, the format check, and the reasoning cut into
     * steps with the clauses each step names. No clause scores: the model only answers safe or unsafe.
     */
    public static Judgement parse(String rawOutput, Policy policy) {
        Objects.requireNonNull(rawOutput, "rawOutput");
        Objects.requireNonNull(policy, "policy");
        String answer = extractAnswer(rawOutput);
        List<TraceStep> steps = new ArrayList<>();
        for (TraceStep step : TraceSegmenter.segment(rawOutput)) {
            steps.add(step.withCitations(ExplicitCitations.find(step.text(), policy)));
        }
        return new Judgement(Verdict.fromAnswer(answer), answer, formatOk(rawOutput), null, null, steps,
                rawOutput, null, null, 0, 0, 0);
    }
}
