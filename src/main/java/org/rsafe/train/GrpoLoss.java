package org.rsafe.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;

/**
 * The GRPO objective as separate stages over completion tokens (TRL's vocabulary; LLM.md §6), each a small static
 * function so each can be tested alone:
 * <ol>
 *   <li>log-probabilities of the sampled tokens from temperature-scaled logits ({@link #tokenLogProbs});</li>
 *   <li>ratio to the sampling policy, {@code exp(logp − old)} ({@link #ratio}); with one pass per batch the old
 *       log-probs are the detached current ones, so the ratio is 1 in value but carries the gradient;</li>
 *   <li>clipped surrogate {@code −min(ratio·A, clip(ratio, 1−ε_low, 1+ε_high)·A)} ({@link #clippedSurrogate});</li>
 *   <li>k3 estimate of KL to the reference policy ({@link #klK3}) and entropy ({@link #entropy});</li>
 *   <li>per-token loss {@code L = surrogate + β·KL}, aggregated by {@link LossType} ({@link #aggregate}), minus
 *       {@code entropy_coef} times the token mean of H ({@link #entropyAggregation}).</li>
 * </ol>
 * Shapes: B completions in the (micro-)batch, T completion positions, V vocabulary. Logits at [b, t] are the ones
 * that predicted token [b, t]. Everything is float32.
 */
public final class GrpoLoss {

    private GrpoLoss() { }

    /** Knobs of the objective (a subset of {@link GrpoConfig}). */
    public record Settings(double temperature, double epsilon, double epsilonHigh, double beta, double entropyCoef,
                           LossType lossType, int maxCompletionLength) {
        public Settings {
            if (!(temperature > 0)) {
                throw new IllegalArgumentException("temperature must be > 0, was " + temperature);
            }
            if (!(epsilon >= 0) || !(epsilonHigh >= 0)) {
                throw new IllegalArgumentException("epsilon and epsilon_high must be >= 0");
            }
            if (!(beta >= 0) || !(entropyCoef >= 0)) {
                throw new IllegalArgumentException("beta and entropy_coef must be >= 0");
            }
            Objects.requireNonNull(lossType, "lossType");
            if (maxCompletionLength < 1) {
                throw new IllegalArgumentException("max_completion_length must be >= 1");
            }
        }
    }

    /**
     * The loss of one micro-batch and the metrics that go with it.
     *
     * @param loss        scalar, carries the gradient; already scaled for its share of the step
     * @param kl          masked mean of the k3 KL (0 when β = 0 and no reference was given)
     * @param entropy     masked mean token entropy
     * @param clipLow     {@code clip_ratio/low_mean}: share of tokens with ratio &lt; 1−ε and A &lt; 0
     * @param clipHigh    {@code clip_ratio/high_mean}: share of tokens with ratio &gt; 1+ε_high and A &gt; 0
     * @param clipRegion  {@code clip_ratio/region_mean}: share clipped either way
     * @param tokens      active (masked-in) tokens of this micro-batch
     */
    public record Output(NDArray loss, double kl, double entropy, double clipLow, double clipHigh, double clipRegion,
                         double tokens) { }

    /** log softmax(logits / T) at the sampled ids. logits [B,T,V], ids [B,T] int64 → [B,T]. */
    public static NDArray tokenLogProbs(NDArray logits, NDArray ids, double temperature) {
        NDArray logp = logits.mul(scalar(logits, 1 / temperature)).logSoftmax(-1); // [B,T,V]
        return logp.gather(ids.toType(DataType.INT64, false).expandDims(-1), 2).squeeze(-1); // [B,T]
    }

    /** Entropy of softmax(logits / T) per position. logits [B,T,V] → [B,T]. */
    public static NDArray entropy(NDArray logits, double temperature) {
        NDArray logp = logits.mul(scalar(logits, 1 / temperature)).logSoftmax(-1); // [B,T,V]
        return logp.exp().mul(logp).sum(new int[] {-1}).neg(); // [B,T]
    }

    /** {@code exp(logp − old)}; old carries no gradient. [B,T]. */
    public static NDArray ratio(NDArray logp, NDArray oldLogp) {
        return logp.sub(oldLogp.stopGradient()).exp();
    }

    /**
     * {@code −min(ratio·A, clip(ratio, 1−ε_low, 1+ε_high)·A)}: the policy-gradient term, whose gradient stops once
     * the ratio has moved past the clip boundary in the direction the advantage pushes. ratio [B,T], A [B] → [B,T].
     */
    public static NDArray clippedSurrogate(NDArray ratio, NDArray advantages, double epsLow, double epsHigh) {
        NDArray a = advantages.reshape(-1, 1); // [B,1]
        NDArray unclipped = ratio.mul(a);
        NDArray clipped = ratio.clip(1 - epsLow, 1 + epsHigh).mul(a);
        return unclipped.minimum(clipped).neg();
    }

    /**
     * k3 estimator of KL(π‖π_ref) per token: {@code exp(ref − logp) − (ref − logp) − 1}, always ≥ 0 and unbiased.
     * [B,T].
     */
    public static NDArray klK3(NDArray logp, NDArray refLogp) {
        NDArray d = refLogp.stopGradient().sub(logp);
        return d.exp().sub(d).sub(1f);
    }

    /**
     * Aggregates per-token losses [B,T] with the mask [B,T] into a scalar.
     *
     * @param accumulationSteps micro-batches per optimizer step (the three per-batch normalisers are averaged)
     * @param activeTokensInStep Σ mask over the whole generation batch (DAPO's normaliser)
     */
    public static NDArray aggregate(NDArray perToken, NDArray mask, LossType type, int maxCompletionLength,
                                    int accumulationSteps, double activeTokensInStep) {
        NDArray masked = perToken.mul(mask);
        long sequences = perToken.getShape().get(0);
        return switch (type) {
            // A sequence whose mask is all zero (a masked truncated completion) contributes 0, not 0/0.
            case GRPO -> masked.sum(new int[] {1}).div(mask.sum(new int[] {1}).maximum(1f)).mean()
                    .mul(scalar(perToken, 1.0 / accumulationSteps));
            case BNPO -> masked.sum().div(mask.sum().maximum(1f)).mul(scalar(perToken, 1.0 / accumulationSteps));
            case DR_GRPO -> masked.sum().mul(scalar(perToken,
                    1.0 / ((double) sequences * maxCompletionLength * accumulationSteps)));
            case DAPO -> masked.sum().mul(scalar(perToken, 1.0 / Math.max(1.0, activeTokensInStep)));
        };
    }

    /**
     * How the entropy bonus is averaged: a token mean, over the step's active tokens with {@code dapo} and over the
     * micro-batch's ({@code bnpo}) with the other loss types, so grpo's per-sequence means and dr_grpo's constant
     * normaliser never reach it.
     */
    static LossType entropyAggregation(LossType lossType) {
        return lossType == LossType.DAPO ? LossType.DAPO : LossType.BNPO;
    }

    /**
     * A float32 scalar owned by the native library, in {@code like}'s manager and on its device. Use it instead of
     * {@code x.mul(Number)} / {@code x.div(Number)} wherever autograd may need the value: DJL's PyTorch engine makes
     * those scalars from a Java buffer and closes it at once, and the backward pass would later read the scalar from
     * memory the garbage collector may have freed (wrong gradients, at random).
     */
    public static NDArray scalar(NDArray like, double value) {
        return like.getManager().full(new ai.djl.ndarray.types.Shape(), (float) value, DataType.FLOAT32, like.getDevice());
    }

    /**
     * A native-owned copy of an array made from Java data ({@code manager.create(float[])}), closing the original.
     * DJL backs such arrays with a Java buffer that lives only as long as the Java object; autograd may read them
     * during the backward pass (gather indices, multipliers) after the object is unreachable, so arrays that enter
     * a graph are copied first.
     */
    public static NDArray owned(NDArray javaBacked) {
        NDArray copy = javaBacked.duplicate();
        javaBacked.close();
        return copy;
    }

    /** Σ x·m / Σ m as a double (metrics; no gradient). */
    public static double maskedMean(NDArray x, NDArray mask) {
        double m = mask.sum().getFloat();
        return m == 0 ? 0 : x.stopGradient().mul(mask).sum().getFloat() / m;
    }

    /**
     * The whole objective for one micro-batch.
     *
     * @param logits       [B,T,V] completion logits of the current policy (with gradient)
     * @param ids          [B,T] sampled tokens, int64
     * @param mask         [B,T] completion mask, float32
     * @param advantages   [B]
     * @param oldLogp      [B,T] log-probs under the sampling policy, or null: the detached current ones
     * @param refLogp      [B,T] log-probs under the reference policy; required when β &gt; 0, else ignored
     * @param accumulationSteps micro-batches per optimizer step
     * @param activeTokensInStep Σ mask over the step's whole generation batch
     */
    public static Output compute(Settings s, NDArray logits, NDArray ids, NDArray mask, NDArray advantages,
                                 NDArray oldLogp, NDArray refLogp, int accumulationSteps, double activeTokensInStep) {
        NDArray logp = tokenLogProbs(logits, ids, s.temperature()); // [B,T]
        NDArray old = oldLogp == null ? logp : oldLogp;
        NDArray ratio = ratio(logp, old); // [B,T]
        NDArray perToken = clippedSurrogate(ratio, advantages, s.epsilon(), s.epsilonHigh()); // [B,T]
        double kl = 0;
        if (s.beta() > 0) {
            if (refLogp == null) {
                throw new IllegalArgumentException("beta > 0 needs the reference log-probs");
            }
            NDArray k = klK3(logp, refLogp); // [B,T]
            kl = maskedMean(k, mask);
            perToken = perToken.add(k.mul(scalar(k, s.beta())));
        } else if (refLogp != null) {
            kl = maskedMean(klK3(logp, refLogp), mask);
        }
        NDArray h = entropy(logits, s.temperature()); // [B,T]
        NDArray loss = aggregate(perToken, mask, s.lossType(), s.maxCompletionLength(), accumulationSteps,
                activeTokensInStep);
        if (s.entropyCoef() > 0) {
            // The entropy bonus is a plain token mean whatever the loss type (TRL's way), not averaged like the loss.
            NDArray bonus = aggregate(h, mask, entropyAggregation(s.lossType()), s.maxCompletionLength(),
                    accumulationSteps, activeTokensInStep); // scalar
            loss = loss.sub(bonus.mul(scalar(bonus, s.entropyCoef())));
        }
        ClipStats clip = clipStats(ratio, advantages, mask, s.epsilon(), s.epsilonHigh());
        return new Output(loss, kl, maskedMean(h, mask), clip.low(), clip.high(), clip.region(),
                mask.sum().getFloat());
    }

    /** Shares of masked tokens whose ratio sits past a clip boundary that binds for their advantage's sign. */
    public record ClipStats(double low, double high, double region) { }

    public static ClipStats clipStats(NDArray ratio, NDArray advantages, NDArray mask, double epsLow, double epsHigh) {
        NDArray r = ratio.stopGradient();
        NDArray a = advantages.reshape(-1, 1).broadcast(r.getShape()); // [B,T]
        NDArray low = r.lt(1 - epsLow).logicalAnd(a.lt(0f));
        NDArray high = r.gt(1 + epsHigh).logicalAnd(a.gt(0f));
        NDArray region = low.logicalOr(high);
        return new ClipStats(maskedMean(low.toType(DataType.FLOAT32, false), mask),
                maskedMean(high.toType(DataType.FLOAT32, false), mask),
                maskedMean(region.toType(DataType.FLOAT32, false), mask));
    }
}
