package org.rsafe.train;

import java.util.Locale;
import org.rsafe.engine.llm.ModelConfig;

/**
 * A computed estimate of the accelerator memory a GRPO + LoRA run needs with this trainer, by component. It follows
 * from the shapes, not from measurement, and leaves out allocator slack and the CUDA context (add 1–2 GiB); treat the
 * total as a planning figure.
 *
 * <p>The activation term dominates: the model computes attention scores as full [T, T] matrices per head (no fused
 * attention kernel in DJL), kept for the backward pass in float32 (scores, masked scores, softmax) plus the
 * probabilities in the weight dtype, for every layer — or, with {@code gradient_checkpointing}, for one layer at a
 * time plus every layer's input. Sequence length T is prompt plus
 * completion. Memory therefore grows with T² · heads · layers per sequence of a micro-batch, which is why
 * {@code per_device_train_batch_size} (sequences per backward pass) is the knob to turn down, trading for
 * {@code gradient_accumulation_steps}.
 *
 * @param weightBytes     frozen base weights in the model dtype
 * @param loraBytes       LoRA factors, their gradients and AdamW's two moments (all float32)
 * @param kvCacheBytes    key/value cache of one rollout batch at full length
 * @param activationBytes tensors kept for the backward pass of one micro-batch
 * @param logitsBytes     completion logits of one micro-batch and their log-softmax/entropy copies (float32)
 */
public record MemoryEstimate(long weightBytes, long loraBytes, long kvCacheBytes, long activationBytes,
                             long logitsBytes) {

    /** Bytes of float32 that the loss keeps per completion logit: logits, log-softmax, probabilities, p·log p. */
    static final int LOGIT_COPIES = 4;

    public long totalBytes() {
        return weightBytes + loraBytes + kvCacheBytes + activationBytes + logitsBytes;
    }

    /**
     * Estimates one run.
     *
     * @param weightBytesPerValue 2 for float16 weights (GPU default), 4 for float32
     * @param promptTokens        typical prompt length in tokens (RSafe's limit is 2048; its prompts are ~400–900)
     */
    public static MemoryEstimate of(ModelConfig c, GrpoConfig g, int promptTokens, int weightBytesPerValue) {
        long w = weightBytesPerValue;
        long weights = c.parameterCount() * w;
        long lora = loraParameters(c, g) * 4L * 4L;
        long t = (long) promptTokens + g.maxCompletionLength();
        long kvPerToken = 2L * c.numLayers() * c.numKvHeads() * c.headDim() * w;
        long kv = g.rolloutBatchSize() * t * kvPerToken;
        long h = c.hiddenSize();
        long qkv = (long) (c.numHeads() + 2L * c.numKvHeads()) * c.headDim();
        long inter = c.intermediateSize();
        // Per token and layer: norms' inputs and outputs, q/k/v before and after rotation, the attention context,
        // the MLP's gate/up output, SiLU parts and product: about 6H + 3·qkv + 7I values in the weight dtype.
        long linearPerTokenLayer = (6 * h + 3 * qkv + 7 * inter) * w;
        long scoresPerLayer = t * t * c.numHeads() * (12L + w);
        long perLayer = scoresPerLayer + t * linearPerTokenLayer;
        // With gradient checkpointing only each layer's input survives the forward pass; one layer at a time is
        // recomputed with its full activations during the backward pass.
        long perSequence = g.gradientCheckpointing() ? c.numLayers() * t * h * w + perLayer : c.numLayers() * perLayer;
        long activations = g.perDeviceTrainBatchSize() * perSequence;
        long logits = (long) g.perDeviceTrainBatchSize() * g.maxCompletionLength() * c.vocabSize() * 4L * LOGIT_COPIES;
        return new MemoryEstimate(weights, lora, kv, activations, logits);
    }

    /** r · (in + out) summed over the targeted projections of every layer. */
    public static long loraParameters(ModelConfig c, GrpoConfig g) {
        long h = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long i = c.intermediateSize();
        long perLayer = 0;
        for (String m : g.targetModules()) {
            perLayer += switch (m) {
                case "q_proj" -> h + q;
                case "k_proj", "v_proj" -> h + kv;
                case "o_proj" -> q + h;
                case "gate_proj", "up_proj" -> h + i;
                case "down_proj" -> i + h;
                default -> throw new IllegalArgumentException("unknown module " + m);
            };
        }
        return perLayer * g.loraR() * c.numLayers();
    }

    /** One line per component in GiB. */
    public String describe() {
        return String.format(Locale.ROOT,
                "weights %.2f GiB + LoRA/AdamW %.2f GiB + rollout KV cache %.2f GiB + activations %.2f GiB + "
                        + "logits %.2f GiB = %.1f GiB (estimate; add 1-2 GiB for the CUDA context)",
                gib(weightBytes), gib(loraBytes), gib(kvCacheBytes), gib(activationBytes), gib(logitsBytes),
                gib(totalBytes()));
    }

    static double gib(long bytes) {
        return bytes / (double) (1L << 30);
    }
}
