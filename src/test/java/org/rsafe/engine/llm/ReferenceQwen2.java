package org.rsafe.engine.llm;

/**
 * An independent, deliberately naive Qwen2 forward pass written only from the architecture description
 * (LLM.md §1): scalar loops over float arrays with double accumulators, no shared math with the product's
 * model, so agreement between the two is evidence rather than tautology. Slow: for tiny test models only.
 */
public final class ReferenceQwen2 {
    private ReferenceQwen2() { }

    /**
     * Logits [position][vocab] for a whole sequence processed causally from position 0, with weights read
     * through {@link ModelFolder#mergedWeights(String)} (so an attached LoRA adapter is included).
     */
    public static float[][] logits(ModelFolder folder, int[] tokenIds) {
        ModelConfig c = folder.config();
        int seq = tokenIds.length;
        int hidden = c.hiddenSize();
        int heads = c.numHeads();
        int kvHeads = c.numKvHeads();
        int d = c.headDim();
        int group = heads / kvHeads;
        int inter = c.intermediateSize();
        float eps = (float) c.rmsNormEps();

        float[] embed = folder.mergedWeights("model.embed_tokens.weight"); // [V, H]
        float[][] x = new float[seq][hidden]; // residual stream [T][H]
        for (int t = 0; t < seq; t++) {
            int id = tokenIds[t];
            if (id < 0 || id >= c.vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " outside the vocabulary");
            }
            System.arraycopy(embed, id * hidden, x[t], 0, hidden);
        }

        for (int layer = 0; layer < c.numLayers(); layer++) {
            String p = "model.layers." + layer + ".";
            float[] wIn = folder.mergedWeights(p + "input_layernorm.weight");    // [H]
            float[] wq = folder.mergedWeights(p + "self_attn.q_proj.weight");    // [heads*d, H]
            float[] bq = folder.mergedWeights(p + "self_attn.q_proj.bias");      // [heads*d]
            float[] wk = folder.mergedWeights(p + "self_attn.k_proj.weight");    // [kv*d, H]
            float[] bk = folder.mergedWeights(p + "self_attn.k_proj.bias");      // [kv*d]
            float[] wv = folder.mergedWeights(p + "self_attn.v_proj.weight");    // [kv*d, H]
            float[] bv = folder.mergedWeights(p + "self_attn.v_proj.bias");      // [kv*d]
            float[] wo = folder.mergedWeights(p + "self_attn.o_proj.weight");    // [H, heads*d]
            float[] wPost = folder.mergedWeights(p + "post_attention_layernorm.weight"); // [H]
            float[] wGate = folder.mergedWeights(p + "mlp.gate_proj.weight");    // [I, H]
            float[] wUp = folder.mergedWeights(p + "mlp.up_proj.weight");        // [I, H]
            float[] wDown = folder.mergedWeights(p + "mlp.down_proj.weight");    // [H, I]

            float[][] q = new float[seq][];  // [T][heads*d], rotated
            float[][] k = new float[seq][];  // [T][kv*d], rotated
            float[][] v = new float[seq][];  // [T][kv*d]
            for (int t = 0; t < seq; t++) {
                float[] xn = rmsNorm(x[t], wIn, eps);
                q[t] = linear(xn, wq, bq, heads * d, hidden);
                k[t] = linear(xn, wk, bk, kvHeads * d, hidden);
                v[t] = linear(xn, wv, bv, kvHeads * d, hidden);
                rotateHeads(q[t], heads, d, t, c.ropeTheta());
                rotateHeads(k[t], kvHeads, d, t, c.ropeTheta());
            }

            double scale = 1.0 / Math.sqrt(d);
            for (int t = 0; t < seq; t++) {
                float[] attn = new float[heads * d]; // concatenated head outputs [heads*d]
                for (int h = 0; h < heads; h++) {
                    int j = h / group; // the kv head serving query head h
                    double[] scores = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u <= t; u++) { // causal: only positions up to t
                        double dot = 0;
                        for (int e = 0; e < d; e++) {
                            dot += (double) q[t][h * d + e] * k[u][j * d + e];
                        }
                        scores[u] = (float) (dot * scale);
                        max = Math.max(max, scores[u]);
                    }
                    double sum = 0;
                    for (int u = 0; u <= t; u++) {
                        scores[u] = Math.exp(scores[u] - max);
                        sum += scores[u];
                    }
                    for (int e = 0; e < d; e++) {
                        double acc = 0;
                        for (int u = 0; u <= t; u++) {
                            acc += scores[u] / sum * v[u][j * d + e];
                        }
                        attn[h * d + e] = (float) acc;
                    }
                }
                float[] o = linear(attn, wo, null, hidden, heads * d);
                for (int i = 0; i < hidden; i++) {
                    x[t][i] += o[i];
                }
            }

            for (int t = 0; t < seq; t++) {
                float[] hn = rmsNorm(x[t], wPost, eps);
                float[] gate = linear(hn, wGate, null, inter, hidden);
                float[] up = linear(hn, wUp, null, inter, hidden);
                float[] act = new float[inter];
                for (int i = 0; i < inter; i++) {
                    double g = gate[i];
                    act[i] = (float) (g / (1 + Math.exp(-g)) * up[i]);
                }
                float[] down = linear(act, wDown, null, hidden, inter);
                for (int i = 0; i < hidden; i++) {
                    x[t][i] += down[i];
                }
            }
        }

        float[] wNorm = folder.mergedWeights("model.norm.weight");
        float[] head = c.tieWordEmbeddings() ? embed : folder.mergedWeights("lm_head.weight"); // [V, H]
        float[][] logits = new float[seq][];
        for (int t = 0; t < seq; t++) {
            logits[t] = linear(rmsNorm(x[t], wNorm, eps), head, null, c.vocabSize(), hidden);
        }
        return logits;
    }

    /** x · rsqrt(mean(x²) + eps), rounded to float, then times the weight (no 1 + w). */
    static float[] rmsNorm(float[] x, float[] w, float eps) {
        double sq = 0;
        for (float f : x) {
            sq += (double) f * f;
        }
        float inv = (float) (1.0 / Math.sqrt((float) (sq / x.length) + eps));
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = w[i] * (x[i] * inv);
        }
        return out;
    }

    /** y = x·Wᵀ + b with W stored [out, in]. */
    static float[] linear(float[] x, float[] w, float[] b, int out, int in) {
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            double acc = b == null ? 0 : b[o];
            int base = o * in;
            for (int i = 0; i < in; i++) {
                acc += (double) w[base + i] * x[i];
            }
            y[o] = (float) acc;
        }
        return y;
    }

    /**
     * Rotary embedding, "rotate half" convention: element e &lt; d/2 pairs with e + d/2, both turned by the
     * angle pos · θ^(−2e/d).
     */
    static void rotateHeads(float[] vec, int nHeads, int d, int pos, double theta) {
        int half = d / 2;
        for (int h = 0; h < nHeads; h++) {
            int base = h * d;
            for (int e = 0; e < half; e++) {
                double angle = pos * Math.pow(theta, -2.0 * e / d);
                double cos = Math.cos(angle);
                double sin = Math.sin(angle);
                double a = vec[base + e];
                double b = vec[base + e + half];
                vec[base + e] = (float) (a * cos - b * sin);
                vec[base + e + half] = (float) (b * cos + a * sin);
            }
        }
    }
}
