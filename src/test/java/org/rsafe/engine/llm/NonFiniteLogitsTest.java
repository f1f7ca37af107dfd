package org.rsafe.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.DecodingSettings;

/**
 * NaN or infinite logits stop a generation with a message instead of being sampled: tiny random models whose
 * weights were scaled until their activations overflow, in float32 and (the Qwen2-7B failure) in float16 only.
 */
class NonFiniteLogitsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void threads() {
        TinyTorch.singleThreaded();
    }

    /** A tiny folder with every weight multiplied by {@code factor}. */
    static Path scaled(String name, float factor) {
        Path folder = TinyModels.custom(dir, name, RandomModelWriter.Options.defaults());
        TinyModels.editTensors(folder, tensors -> {
            for (Map.Entry<String, TinyModels.Tensor> e : tensors.entrySet()) {
                float[] v = e.getValue().values();
                for (int i = 0; i < v.length; i++) {
                    v[i] *= factor;
                }
            }
        });
        return folder;
    }

    static List<TextGenerator.Generation> generate(LocalModel local, int tokens) {
        return local.generator().generate(List.of("hello there"), DecodingSettings.paper().withMaxNewTokens(tokens),
                List.of(), TextGenerator.Listener.NONE, Cancellation.none());
    }

    @Test
    void weightsThatOverflowFloat32StopTheGenerationAtItsFirstStep() {
        try (LocalModel local = LocalModel.open(scaled("huge", 1e30f), null, Device.cpu(), DataType.FLOAT32)) {
            StringBuilder streamed = new StringBuilder();
            assertThatThrownBy(() -> local.generator().generate(List.of("hello there"),
                    DecodingSettings.paper().withMaxNewTokens(8), List.of(), (row, delta) -> streamed.append(delta),
                    Cancellation.none()))
                    .isInstanceOfSatisfying(NonFiniteLogitsException.class, e -> assertThat(e.step()).isEqualTo(1))
                    .hasMessageContaining("logits at step 1")
                    .hasMessageContaining("float32");
            assertThat(streamed).as("nothing was sampled from the broken logits").isEmpty();
        }
    }

    @Test
    void activationsBeyondTheFloat16RangeStopAFloat16RunAndNameFloat32AsTheWayOut() {
        // ×40 keeps every weight representable in float16 but pushes the residual stream past 65504.
        Path folder = scaled("loud", 40f);
        try (LocalModel f32 = LocalModel.open(folder, null, Device.cpu(), DataType.FLOAT32)) {
            assertThat(generate(f32, 8).get(0).completionTokens()).as("float32 copes").isPositive();
        }
        try (LocalModel f16 = LocalModel.open(folder, null, Device.cpu(), DataType.FLOAT16)) {
            assertThatThrownBy(() -> generate(f16, 8))
                    .isInstanceOf(NonFiniteLogitsException.class)
                    .hasMessageMatching("the model produced (NaN|[+-]Inf) logits at step \\d+;.*")
                    .hasMessageContaining("float16 overflow? use float32");
        }
    }
}
