package org.rsafe.engine.quick;

import org.rsafe.trace.Verdict;
import org.rsafe.util.SourcePos;

/**
 * One of a policy's own examples judged as a prompt with itself held out (leave-one-out): what the engine would say
 * about that text if the example were not in the policy. A violating example agrees when its own clause is flagged;
 * a safe example agrees when the verdict is safe.
 *
 * @param clauseId  the clause the example belongs to
 * @param violating true for a violating example, false for a safe one
 * @param text      the example's text
 * @param pos       where the example stands in the policy file
 * @param verdict   the verdict on the text with the example held out
 * @param clause    the clause that decided the disagreement: for a violating example its own clause; for a safe
 *                  example the highest-scoring clause that was flagged or left to review (empty when none)
 * @param score     that clause's score
 * @param agrees    whether the engine, without the example, already judges the text as the example says
 */
public record ExampleCheck(String clauseId, boolean violating, String text, SourcePos pos, Verdict verdict,
                           String clause, double score, boolean agrees) { }
