package org.rsafe.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter; PyTorch's {@code AdamW}) over a fixed list of trainable
 * arrays, with its moments in the open so a checkpoint can save and restore them exactly. DJL's own optimizers keep
 * their state private, hence this class.
 *
 * <p>One step with learning rate η, for each parameter p with gradient g, at step t (1-based):
 * <pre>
 * p ← p·(1 − η·λ)                       decoupled decay: not part of the gradient, so Adam does not rescale it
 * m ← β1·m + (1 − β1)·g
 * v ← β2·v + (1 − β2)·g²
 * p ← p − η · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
 * </pre>
 * Gradients accumulate in the arrays between steps (several backward passes = gradient accumulation) until
 * {@link #zeroGradients()}.
 */
public final class AdamW implements AutoCloseable {

    /** β1, β2, ε (Hugging Face's {@code adam_beta1/2}, {@code adam_epsilon}) and λ ({@code weight_decay}). */
    public record Hyper(double beta1, double beta2, double epsilon, double weightDecay) {
        public Hyper {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("Adam betas must be in [0, 1)");
            }
            if (!(epsilon > 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("adam_epsilon must be > 0 and weight_decay >= 0");
            }
        }
    }

    /** The optimizer's state as plain arrays: first and second moments per parameter, and the step count. */
    public record State(List<float[]> m, List<float[]> v, long step) {
        public State {
            m = List.copyOf(m);
            v = List.copyOf(v);
        }
    }

    private final List<NDArray> params;
    private final List<NDArray> data = new ArrayList<>(); // detached views: in-place updates outside any graph
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private final Hyper hyper;
    private long step;

    /** Allocates zero moments in {@code manager} for each parameter (the parameters must require gradients). */
    public AdamW(NDManager manager, List<NDArray> params, Hyper hyper) {
        this.params = List.copyOf(params);
        this.hyper = Objects.requireNonNull(hyper, "hyper");
        for (NDArray p : this.params) {
            if (!p.hasGradient()) {
                throw new IllegalArgumentException("parameter " + p.getName() + " does not require a gradient");
            }
            NDArray view = p.stopGradient();
            NDScope.unregister(view); // lives as long as the optimizer, whatever scope it was made in
            data.add(view);
            m.add(manager.zeros(p.getShape(), p.getDataType(), p.getDevice()));
            v.add(manager.zeros(p.getShape(), p.getDataType(), p.getDevice()));
        }
    }

    /** Applies one update with learning rate {@code lr} from the accumulated gradients. */
    public void step(double lr) {
        step++;
        double bias1 = 1 - Math.pow(hyper.beta1(), step);
        double bias2 = 1 - Math.pow(hyper.beta2(), step);
        try (NDScope scope = new NDScope()) {
            for (int i = 0; i < params.size(); i++) {
                // Updates go through the detached view: autograd refuses in-place changes of a leaf that requires a
                // gradient whenever grad mode is on, and PyTorch's grad mode is per thread.
                NDArray p = data.get(i);
                NDArray g = params.get(i).getGradient();
                if (hyper.weightDecay() > 0) {
                    p.muli((float) (1 - lr * hyper.weightDecay()));
                }
                m.get(i).muli((float) hyper.beta1()).addi(g.mul((float) (1 - hyper.beta1())));
                v.get(i).muli((float) hyper.beta2()).addi(g.square().mul((float) (1 - hyper.beta2())));
                NDArray denom = v.get(i).div((float) bias2).sqrt().add((float) hyper.epsilon());
                p.subi(m.get(i).div((float) bias1).div(denom).mul((float) lr));
            }
        }
    }

    /**
     * Scales all gradients together so their global L2 norm is at most {@code maxNorm} (PyTorch's
     * {@code clip_grad_norm_}: factor {@code maxNorm / (norm + 1e-6)} when below 1). Returns the norm before
     * clipping (TRL's {@code grad_norm}). A non-positive maxNorm only measures.
     */
    public static double clipGradNorm(List<NDArray> params, double maxNorm) {
        double sumSquares = 0;
        try (NDScope scope = new NDScope()) {
            for (NDArray p : params) {
                sumSquares += p.getGradient().square().sum().getFloat();
            }
            double norm = Math.sqrt(sumSquares);
            if (maxNorm > 0 && Double.isFinite(norm)) {
                double factor = maxNorm / (norm + 1e-6);
                if (factor < 1) {
                    for (NDArray p : params) {
                        p.getGradient().muli((float) factor);
                    }
                }
            }
            return norm;
        }
    }

    /** Clears the accumulated gradients (after each optimizer step). */
    public void zeroGradients() {
        for (NDArray p : params) {
            p.getGradient().muli(0f);
        }
    }

    /** Optimizer steps taken so far. */
    public long stepCount() {
        return step;
    }

    public List<NDArray> parameters() {
        return params;
    }

    /** A copy of the moments and step count. */
    public State state() {
        List<float[]> ms = new ArrayList<>();
        List<float[]> vs = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            ms.add(m.get(i).toFloatArray());
            vs.add(v.get(i).toFloatArray());
        }
        return new State(ms, vs, step);
    }

    /** Continues from a saved state; the parameter count and sizes must match. */
    public void restore(State s) {
        if (s.m().size() != params.size() || s.v().size() != params.size()) {
            throw new IllegalArgumentException("optimizer state holds " + s.m().size() + " parameters, expected "
                    + params.size());
        }
        for (int i = 0; i < params.size(); i++) {
            copyInto(m.get(i), s.m().get(i));
            copyInto(v.get(i), s.v().get(i));
        }
        step = s.step();
    }

    private static void copyInto(NDArray dst, float[] values) {
        if (values.length != dst.size()) {
            throw new IllegalArgumentException("optimizer state has " + values.length + " values for an array of "
                    + dst.size());
        }
        try (NDArray v = dst.getManager().create(values, dst.getShape())) {
            dst.muli(0f).addi(v);
        }
    }

    @Override
    public void close() {
        data.forEach(NDArray::close);
        m.forEach(NDArray::close);
        v.forEach(NDArray::close);
    }
}
