package org.rsafe.engine.llm;

import java.util.Arrays;
import java.util.Collection;
import java.util.TreeSet;

/**
 * Format-constrained decoding for RSafe's output shape, {@code <think>…</think>} then {@code \boxed{safe}} or
 * {@code \boxed{unsafe}}: a logits processor that leaves the model free only where the format allows a choice, so
 * every output parses. One instance follows one sequence:
 *
 * <ol>
 *   <li>the tokens of {@code <think>} are forced first;</li>
 *   <li>the reasoning is free, except that it cannot end (end-of-sequence ids are masked);</li>
 *   <li>once the decoded text holds {@code </think>}, or when only the tokens the rest needs are left of the
 *       budget ({@code max_new_tokens}), the tokens of {@code </think>} (when the model did not write it) and of
 *       a new line and {@code \boxed{} are forced, then the model chooses between {@code safe} and
 *       {@code unsafe} (the tokens that continue either one);</li>
 *   <li>after the closing brace, an end-of-sequence id is forced.</li>
 * </ol>
 *
 * <p>Forcing sets every other logit to negative infinity, so the sampler, greedy or not, can pick nothing else;
 * the choice between the two answers keeps the model's own logits. Token sequences come from the model's
 * tokenizer, so the output text is exactly the format's. The format needs {@code max_new_tokens} of at least the
 * tokens of {@code <think>} plus {@link Tokens#tail()} (about a dozen with Qwen's tokenizer); a smaller budget cuts
 * it. Not thread-safe.
 */
final class FormatConstraint {
    static final String THINK_OPEN = "<think>";
    static final String THINK_CLOSE = "</think>";
    static final String[] ANSWERS = {"\n\\boxed{safe}", "\n\\boxed{unsafe}"};

    /** The token sequences of the format, worked out once per tokenizer. */
    record Tokens(int[] open, int[] close, int[][] answers, int eos) {
        static Tokens of(LlmTokenizer tokenizer, Collection<Integer> eosIds) {
            int[][] answers = new int[ANSWERS.length][];
            for (int i = 0; i < ANSWERS.length; i++) {
                answers[i] = tokenizer.encode(ANSWERS[i]);
            }
            return new Tokens(tokenizer.encode(THINK_OPEN), tokenizer.encode(THINK_CLOSE), answers,
                    eosIds.isEmpty() ? -1 : new TreeSet<>(eosIds).first());
        }

        /** Tokens the format still needs once the reasoning stops without a {@code </think>} of the model's. */
        int tail() {
            int longest = Arrays.stream(answers).mapToInt(a -> a.length).max().orElse(0);
            return close.length + longest + (eos >= 0 ? 1 : 0);
        }
    }

    private enum Phase { OPEN, THINK, CLOSE, ANSWER, END, DONE }

    private final Tokens tokens;
    private final int[] eosIds;
    private Phase phase = Phase.OPEN;
    private int pos;                 // tokens of the current forced sequence or answer already emitted
    private final boolean[] alive;   // answers still consistent with the answer tokens emitted
    private int scanFrom;            // where the search for </think> in the text resumes

    FormatConstraint(Tokens tokens, Collection<Integer> eosIds) {
        this.tokens = tokens;
        this.eosIds = eosIds.stream().mapToInt(Integer::intValue).toArray();
        this.alive = new boolean[tokens.answers().length];
        Arrays.fill(alive, true);
    }

    /**
     * Masks {@code logits} (one row, {@code float[V]}) for the next token, the {@code generated + 1}-th of at most
     * {@code limit}.
     */
    void mask(float[] logits, int generated, int limit) {
        if (phase == Phase.THINK && limit - generated <= tokens.tail()) {
            phase = Phase.CLOSE;
            pos = 0;
        }
        if (phase == Phase.CLOSE && pos == tokens.close().length) {
            phase = Phase.ANSWER;
            pos = 0;
        }
        switch (phase) {
            case OPEN -> keepOnly(logits, tokens.open()[pos]);
            case THINK -> {
                for (int id : eosIds) {
                    logits[id] = Float.NEGATIVE_INFINITY;
                }
            }
            case CLOSE -> keepOnly(logits, tokens.close()[pos]);
            case ANSWER -> keepAnswers(logits);
            case END -> keepOnly(logits, tokens.eos());
            case DONE -> { }
        }
    }

    /** Records the token chosen and the sequence's decoded text after it. */
    void accept(int id, String text) {
        switch (phase) {
            case OPEN -> {
                if (++pos == tokens.open().length) {
                    phase = Phase.THINK;
                    pos = 0;
                    scanFrom = THINK_OPEN.length();
                }
            }
            case THINK -> {
                int at = text.indexOf(THINK_CLOSE, Math.min(scanFrom, text.length()));
                if (at >= 0) {
                    phase = Phase.ANSWER;
                    pos = 0;
                } else {
                    // The close tag may be split across tokens: look again from where a partial one could begin.
                    scanFrom = Math.max(scanFrom, text.length() - THINK_CLOSE.length() + 1);
                }
            }
            case CLOSE -> pos++;
            case ANSWER -> {
                boolean complete = false;
                for (int k = 0; k < alive.length; k++) {
                    int[] answer = tokens.answers()[k];
                    alive[k] = alive[k] && pos < answer.length && answer[pos] == id;
                    complete |= alive[k] && pos + 1 == answer.length;
                }
                pos++;
                if (complete) {
                    phase = tokens.eos() >= 0 ? Phase.END : Phase.DONE;
                }
            }
            case END -> phase = Phase.DONE;
            case DONE -> { }
        }
    }

    /** Whether the answer and its end are written. */
    boolean done() {
        return phase == Phase.DONE;
    }

    private void keepAnswers(float[] logits) {
        float[] kept = new float[alive.length];
        int[] ids = new int[alive.length];
        int n = 0;
        for (int k = 0; k < alive.length; k++) {
            int[] answer = tokens.answers()[k];
            if (alive[k] && pos < answer.length) {
                ids[n] = answer[pos];
                kept[n++] = logits[answer[pos]];
            }
        }
        Arrays.fill(logits, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            logits[ids[i]] = kept[i];
        }
    }

    private static void keepOnly(float[] logits, int id) {
        float kept = logits[id];
        Arrays.fill(logits, Float.NEGATIVE_INFINITY);
        logits[id] = kept;
    }
}
