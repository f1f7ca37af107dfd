package org.rsafe.engine.llm;

import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rsafe.util.UserException;

/**
 * The dtype a model's weights are held in, as the user asks for it ({@code --dtype float32|float16}), and the rule
 * that turns the request into a decision on a device. Float32 is the default everywhere: on the CPU float16 is
 * 20–100× slower, and on a GPU Qwen2-7B is reported to overflow in float16 (NaN logits, "!!!!" output; QwenLM/Qwen2
 * issues 761, 868 and 910), so float16 is used only on request and with a warning.
 */
public enum Precision {
    FLOAT32(DataType.FLOAT32),
    FLOAT16(DataType.FLOAT16);

    /** The warning given whenever float16 is chosen on a GPU. */
    static final String FLOAT16_OVERFLOW = "float16 on request: Qwen2-7B is reported to overflow in float16 (NaN "
            + "logits, \"!!!!\" output; QwenLM/Qwen2 issues 761, 868, 910); a generation whose logits overflow stops "
            + "with a message. The default, float32, does not overflow";
    /** The note given when float16 is chosen on the CPU. */
    static final String FLOAT16_ON_CPU = "float16 on the CPU is 20-100x slower than float32 (no fast half-precision "
            + "kernels there); use it only to reproduce a GPU's float16 numbers";

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    /** {@code float32} or {@code float16}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code float32}/{@code f32}/{@code fp32} or {@code float16}/{@code f16}/{@code fp16}, any case; null = float32. */
    public static Precision parse(String text) {
        String key = text == null ? "float32" : text.strip().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "float32", "f32", "fp32" -> FLOAT32;
            case "float16", "f16", "fp16", "half" -> FLOAT16;
            default -> throw new UserException("--dtype must be float32 or float16 (f32, f16), got '" + text + "'");
        };
    }

    /**
     * What a request comes to on a device.
     *
     * @param dtype   the dtype to load in: always the one asked for
     * @param notices what the user is told about it (the float16 warning)
     * @param waysOut further ways out to name if the model does not fit in {@code dtype}
     */
    public record Decision(DataType dtype, List<String> notices, List<String> waysOut) {
        public Decision {
            notices = List.copyOf(notices);
            waysOut = List.copyOf(waysOut);
        }
    }

    /**
     * The decision for this request.
     *
     * @param gpu       whether the model goes on a GPU
     * @param float16   the model's need in float16, to name it as a way out on a GPU
     * @param available bytes available on the device (negative: unknown)
     */
    public Decision decide(boolean gpu, MemoryNeed float16, long available) {
        List<String> notices = new ArrayList<>();
        List<String> waysOut = new ArrayList<>();
        if (this == FLOAT16) {
            notices.add(gpu ? FLOAT16_OVERFLOW : FLOAT16_ON_CPU);
        } else if (gpu && available >= 0 && float16.totalBytes() <= available) {
            waysOut.add("or load it in float16 (--dtype float16, about " + MemoryNeed.gb(float16.totalBytes())
                    + " here), knowing that Qwen2-7B is reported to overflow in float16 (QwenLM/Qwen2 issues 761, 868, "
                    + "910)");
        }
        if (gpu) {
            waysOut.add("or run it on the CPU (--device cpu)");
        }
        return new Decision(dataType, notices, waysOut);
    }
}
