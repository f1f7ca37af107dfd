package org.rsafe.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors a Qwen2 model stores and the shape the hyper-parameters give each. One place for both readers of such
 * models: the Hugging Face checkpoint reader (engine.llm) uses these names as they are, the GGUF check (engine.gguf)
 * maps them to llama.cpp's names. Engine packages may not use each other, so the layout lives beside the engine
 * contract.
 */
public final class Qwen2Tensors {
    private Qwen2Tensors() { }

    /**
     * Every tensor of a Qwen2 model with these sizes, by Hugging Face name in checkpoint order, with its [out, in] (or
     * [n]) shape. {@code q} is heads × head size, {@code kv} key-value heads × head size, {@code ff} the feed-forward
     * width; {@code lm_head.weight} only when {@code separateOutput} (the embeddings are not tied).
     */
    public static Map<String, List<Long>> shapes(long vocab, long hidden, long q, long kv, long ff, long layers,
                                                 boolean separateOutput) {
        Map<String, List<Long>> m = new LinkedHashMap<>();
        m.put("model.embed_tokens.weight", List.of(vocab, hidden));
        for (long n = 0; n < layers; n++) {
            String p = "model.layers." + n + ".";
            m.put(p + "input_layernorm.weight", List.of(hidden));
            m.put(p + "self_attn.q_proj.weight", List.of(q, hidden));
            m.put(p + "self_attn.q_proj.bias", List.of(q));
            m.put(p + "self_attn.k_proj.weight", List.of(kv, hidden));
            m.put(p + "self_attn.k_proj.bias", List.of(kv));
            m.put(p + "self_attn.v_proj.weight", List.of(kv, hidden));
            m.put(p + "self_attn.v_proj.bias", List.of(kv));
            m.put(p + "self_attn.o_proj.weight", List.of(hidden, q));
            m.put(p + "post_attention_layernorm.weight", List.of(hidden));
            m.put(p + "mlp.gate_proj.weight", List.of(ff, hidden));
            m.put(p + "mlp.up_proj.weight", List.of(ff, hidden));
            m.put(p + "mlp.down_proj.weight", List.of(hidden, ff));
        }
        m.put("model.norm.weight", List.of(hidden));
        if (separateOutput) {
            m.put("lm_head.weight", List.of(vocab, hidden));
        }
        return m;
    }
}
