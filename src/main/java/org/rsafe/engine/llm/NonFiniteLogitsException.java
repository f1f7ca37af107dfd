package org.rsafe.engine.llm;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;
import org.rsafe.util.UserException;

/**
 * A generation stopped because the model's logits held NaN or an infinity: sampling from them would emit
 * garbage (Qwen2-7B in float16 is known to overflow into NaN and print "!!!!"). The message names the step and,
 * for float16, the way out; its {@link #step()} counts generated tokens from 1 (1 = the token after the prompt).
 */
public final class NonFiniteLogitsException extends UserException {
    private static final long serialVersionUID = 1L;
    private final int step;

    private NonFiniteLogitsException(String message, int step) {
        super(message);
        this.step = step;
    }

    /**
     * @param step  the generated token the logits were for, from 1
     * @param value the first non-finite logit found
     * @param dtype the dtype the model computes in
     */
    static NonFiniteLogitsException at(int step, float value, DataType dtype) {
        String what = Float.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
        String advice = dtype == DataType.FLOAT16
                ? "float16 overflow? use float32 (--dtype float32)"
                : "the model overflowed even in " + dtype.name().toLowerCase(Locale.ROOT)
                        + "; its weights may hold NaN, Inf or huge values (check them with rsafe model inspect)";
        return new NonFiniteLogitsException("the model produced " + what + " logits at step " + step
                + "; generation stopped instead of sampling garbage: " + advice, step);
    }

    /** The generated token (from 1) whose logits were not finite. */
    public int step() {
        return step;
    }
}
