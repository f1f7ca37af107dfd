package org.rsafe.engine.quick;

/**
 * The encoder's vectors for one text, all L2-normalised, 384 floats each.
 *
 * @param whole     CLS vector of the whole text (bge-small's own sentence embedding)
 * @param mean      mean of the text's token vectors (the late-chunking pooling applied to the whole text)
 * @param spans     one mean-pooled vector per requested span, in request order; an entry is null when the
 *                  span lies wholly beyond the {@value SentenceEncoder#MAX_TOKENS}-token limit
 * @param truncated whether the text was cut at the token limit
 * @param tokens    tokens fed to the model, special tokens included
 */
public record TextEmbedding(float[] whole, float[] mean, float[][] spans, boolean truncated, int tokens) {
    public TextEmbedding {
        if (whole == null || mean == null || spans == null) {
            throw new IllegalArgumentException("vectors must not be null");
        }
    }
}
