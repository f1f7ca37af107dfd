package org.rsafe.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.function.Function;
import org.rsafe.engine.llm.Qwen2Model;

/**
 * Back-propagates a loss of a model's logits into the adapter's parameters (their gradients accumulate), either
 * through one graph from the embeddings to the loss, or with gradient checkpointing.
 *
 * <p>Gradient checkpointing: a forward pass without a graph keeps only each layer's input; the loss is
 * back-propagated to the last layer's output; then each layer, from the top, is recomputed with a graph and
 * back-propagated through {@code Σ output ⊙ upstream} (upstream detached), whose gradient with respect to the layer's
 * input and the adapter's factors is exactly the chain rule's next factor. Memory: the layer inputs plus one layer's
 * activations, for one more forward pass of compute.
 */
final class TrainingBackward {

    private TrainingBackward() { }

    /**
     * Runs the pass, computes {@code loss(logits at [from, to))} and back-propagates it.
     *
     * @param lora the adapter whose factors receive the gradients (switched to recording where a graph is built)
     * @param loss maps the logits [B, to − from, V] to a scalar loss; called once, inside the graph
     * @return the value the loss function computed alongside the loss (metrics)
     */
    static <T> T run(Qwen2Model.TrainingPass pass, int from, int to, boolean checkpointing, LoraLayers lora,
                     Function<NDArray, Result<T>> loss) {
        return checkpointing ? checkpointed(pass, from, to, lora, loss) : full(pass, from, to, lora, loss);
    }

    /** A loss array and a value computed with it (metrics). */
    record Result<T>(NDArray loss, T value) { }

    private static <T> T full(Qwen2Model.TrainingPass pass, int from, int to, LoraLayers lora,
                              Function<NDArray, Result<T>> loss) {
        lora.setRecording(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = pass.embed(); // [B, T, H]
            for (int l = 0; l < pass.layers(); l++) {
                x = pass.layer(l, x);
            }
            Result<T> r = loss.apply(pass.logits(x, from, to));
            collector.backward(r.loss());
            return r.value();
        } finally {
            lora.setRecording(false);
        }
    }

    private static <T> T checkpointed(Qwen2Model.TrainingPass pass, int from, int to, LoraLayers lora,
                                      Function<NDArray, Result<T>> loss) {
        int layers = pass.layers();
        NDArray[] inputs = new NDArray[layers + 1]; // inputs[l]: input of layer l; inputs[layers]: the last output
        inputs[0] = pass.embed();
        for (int l = 0; l < layers; l++) {
            inputs[l + 1] = pass.layer(l, inputs[l]); // the adapter is not recording: no graph is kept
        }
        NDArray top = inputs[layers].stopGradient();
        top.setRequiresGradient(true);
        T value;
        lora.setRecording(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            Result<T> r = loss.apply(pass.logits(top, from, to));
            collector.backward(r.loss());
            value = r.value();
        } finally {
            lora.setRecording(false);
        }
        NDArray upstream = top.getGradient(); // d loss / d output of the layer about to be recomputed, [B, T, H]
        top.close();
        inputs[layers].close();
        for (int l = layers - 1; l >= 0; l--) {
            NDArray input = inputs[l].stopGradient();
            input.setRequiresGradient(true);
            lora.setRecording(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray output = pass.layer(l, input);
                NDArray product = output.mul(upstream).sum();
                collector.backward(product);
                product.close();
                output.close();
            } finally {
                lora.setRecording(false);
            }
            // Done with this layer: keep only the gradient flowing into the layer below.
            NDArray next = input.getGradient();
            upstream.close();
            input.close();
            inputs[l].close();
            upstream = next;
        }
        upstream.close();
        return value;
    }
}
