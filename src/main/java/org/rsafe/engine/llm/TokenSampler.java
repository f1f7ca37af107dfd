package org.rsafe.engine.llm;

import org.rsafe.engine.DecodingSettings;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses the next token of one sequence from its logits with the processors of {@link LogitProcessors},
 * in Hugging Face's order. It remembers which ids the sequence holds (prompt included) for the repetition
 * penalty, and owns a seeded random generator, so one request's tokens depend only on its own seed.
 * Not thread-safe: one sampler per sequence.
 */
public final class TokenSampler {
    private final DecodingSettings settings;
    private final SplittableRandom random;
    private final boolean[] present;   // [V] whether the id occurs in the sequence so far
    private int[] distinct;            // ids with present[id], in order of first appearance
    private int distinctCount;
    private LogitProcessors.Scratch scratch;   // sampling buffers, made on the first sampled token

    /**
     * @param vocabSize rows of the LM head (logits per step)
     * @param prompt    the prompt's ids; they count for the repetition penalty
     */
    public TokenSampler(DecodingSettings settings, int vocabSize, int[] prompt, long seed) {
        this.settings = settings;
        this.random = new SplittableRandom(seed);
        this.present = new boolean[vocabSize];
        this.distinct = new int[Math.max(16, prompt.length)];
        for (int id : prompt) {
            accept(id);
        }
    }

    /** Records a token as part of the sequence (the sampler's own choices are recorded by {@link #next}). */
    public void accept(int id) {
        if (id < 0 || id >= present.length || present[id]) {
            return;
        }
        present[id] = true;
        if (distinctCount == distinct.length) {
            distinct = Arrays.copyOf(distinct, distinct.length * 2);
        }
        distinct[distinctCount++] = id;
    }

    /**
     * The next token for these logits ({@code float[V]}, modified in place), recorded as part of the sequence.
     */
    public int next(float[] logits) {
        LogitProcessors.repetitionPenalty(logits, distinct, distinctCount, settings.repetitionPenalty());
        int id;
        if (settings.greedy()) {
            id = LogitProcessors.argmax(logits);
        } else {
            if (scratch == null) {
                scratch = new LogitProcessors.Scratch(logits.length);
            }
            LogitProcessors.temperature(logits, settings.temperature());
            LogitProcessors.topK(logits, settings.topK(), scratch.values);
            LogitProcessors.topP(logits, settings.topP(), scratch);
            id = LogitProcessors.sample(LogitProcessors.softmax(logits, scratch.probs), logits.length,
                    random.nextDouble());
        }
        accept(id);
        return id;
    }
}
