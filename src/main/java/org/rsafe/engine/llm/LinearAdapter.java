package org.rsafe.engine.llm;

import ai.djl.ndarray.NDArray;
import java.util.Locale;

/**
 * A learned update added to the outputs of {@link Qwen2Model}'s linear projections while the base weights stay
 * as loaded: the hook through which LoRA training ({@code org.rsafe.train}) changes the model. With no adapter, or
 * one that returns null, the model computes exactly what it would without this interface.
 */
public interface LinearAdapter {

    /** The seven linear projections of a Qwen2 decoder layer, by their Hugging Face module names. */
    enum Projection {
        Q_PROJ("self_attn"), K_PROJ("self_attn"), V_PROJ("self_attn"), O_PROJ("self_attn"),
        GATE_PROJ("mlp"), UP_PROJ("mlp"), DOWN_PROJ("mlp");

        private final String block;

        Projection(String block) {
            this.block = block;
        }

        /** {@code q_proj}, as in PEFT's target_modules. */
        public String moduleName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code model.layers.3.self_attn.q_proj}: the module path PEFT names tensors by. */
        public String modulePath(int layer) {
            return "model.layers." + layer + "." + block + "." + moduleName();
        }

        public static Projection ofModuleName(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * The update for projection {@code p} of {@code layer} given that projection's input {@code x} [B, T, in]:
     * an array [B, T, out] to add to the projection's output, or null for none.
     */
    NDArray delta(int layer, Projection p, NDArray x);
}
