package org.rsafe.engine.llm;

import java.util.List;

/**
 * The Qwen2 hyper-parameters read from a model folder's config.json. Derived values (head_dim, kv heads)
 * are resolved here once, so the model code never re-derives them.
 *
 * @param vocabSize          rows of the embedding and of the LM head (may exceed the tokenizer's ids)
 * @param hiddenSize         H, the residual stream width
 * @param intermediateSize   I, the MLP width
 * @param numLayers          decoder layers
 * @param numHeads           query heads
 * @param numKvHeads         key/value heads (grouped-query attention: numHeads % numKvHeads == 0)
 * @param headDim            per-head width (hidden/heads unless the config says otherwise)
 * @param rmsNormEps         epsilon of RMSNorm
 * @param ropeTheta          rotary base θ
 * @param tieWordEmbeddings  true when the LM head reuses the embedding matrix
 * @param maxPositionEmbeddings longest supported sequence
 * @param eosTokenIds        ids that end generation (from config.json; generation_config may add more)
 * @param torchDtype         the stored dtype name from the config (informational)
 */
public record ModelConfig(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        double rmsNormEps,
        double ropeTheta,
        boolean tieWordEmbeddings,
        int maxPositionEmbeddings,
        List<Integer> eosTokenIds,
        String torchDtype) {

    public ModelConfig {
        if (vocabSize <= 0 || hiddenSize <= 0 || intermediateSize <= 0 || numLayers <= 0 || numHeads <= 0
                || numKvHeads <= 0 || headDim <= 0) {
            throw new IllegalArgumentException("model sizes must be positive");
        }
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numHeads
                    + ") must be a multiple of num_key_value_heads (" + numKvHeads + ")");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be even for rotary embeddings, was " + headDim);
        }
        eosTokenIds = eosTokenIds == null ? List.of() : List.copyOf(eosTokenIds);
        torchDtype = torchDtype == null ? "" : torchDtype;
    }

    /** Query heads served by one key/value head. */
    public int groupSize() {
        return numHeads / numKvHeads;
    }

    /** Number of parameters implied by the shapes (embedding counted once when tied). */
    public long parameterCount() {
        long h = hiddenSize;
        long perLayer = 2 * h                                   // two RMSNorm weights
                + (h * numHeads * headDim + (long) numHeads * headDim)        // q_proj + bias
                + 2 * (h * numKvHeads * headDim + (long) numKvHeads * headDim) // k_proj, v_proj + biases
                + (long) numHeads * headDim * h                 // o_proj
                + 3 * h * intermediateSize;                     // gate, up, down
        long embed = (long) vocabSize * h;
        return embed + (tieWordEmbeddings ? 0 : embed) + h + numLayers * perLayer;
    }
}
