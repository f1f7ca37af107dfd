package org.rsafe.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.util.UserException;

/** Float32 unless float16 is asked for, the float16 warnings, and the ways out named when a model does not fit. */
class PrecisionTest {
    static final long GB = 1_000_000_000L;
    static final MemoryNeed SEVEN_B_F16 = MemoryNeedTest.sevenB(DataType.FLOAT16);

    @TempDir
    Path dir;

    @Test
    void parsingAcceptsTheUsualSpellingsAndDefaultsToFloat32() {
        assertThat(Precision.parse(null)).isEqualTo(Precision.FLOAT32);
        assertThat(Precision.parse(" F32 ")).isEqualTo(Precision.FLOAT32);
        assertThat(Precision.parse("fp16")).isEqualTo(Precision.FLOAT16);
        assertThat(Precision.parse("float16").dataType()).isEqualTo(DataType.FLOAT16);
        assertThatThrownBy(() -> Precision.parse("bf16")).isInstanceOf(UserException.class)
                .hasMessage("--dtype must be float32 or float16 (f32, f16), got 'bf16'");
    }

    @Test
    void theDefaultIsFloat32OnEveryDevice() {
        assertThat(DeviceChoice.defaultDataType(Device.cpu())).isEqualTo(DataType.FLOAT32);
        assertThat(DeviceChoice.defaultDataType(Device.gpu())).isEqualTo(DataType.FLOAT32);
    }

    @Test
    void float32OnAGpuThatHoldsItComesWithoutWarnings() {
        Precision.Decision d = Precision.FLOAT32.decide(true, SEVEN_B_F16, 80 * GB);
        assertThat(d.dtype()).isEqualTo(DataType.FLOAT32);
        assertThat(d.notices()).isEmpty();
    }

    @Test
    void float16OnAGpuIsUsedOnlyOnRequestAndWarnsAboutQwen2Overflow() {
        Precision.Decision d = Precision.FLOAT16.decide(true, SEVEN_B_F16, 80 * GB);
        assertThat(d.dtype()).isEqualTo(DataType.FLOAT16);
        assertThat(d.notices()).singleElement().asString()
                .contains("overflow").contains("761, 868, 910").contains("float32");
    }

    @Test
    void float16OnTheCpuIsHonouredWithANoteThatItIsSlow() {
        Precision.Decision d = Precision.FLOAT16.decide(false, SEVEN_B_F16, 80 * GB);
        assertThat(d.dtype()).isEqualTo(DataType.FLOAT16);
        assertThat(d.notices()).singleElement().asString().contains("slower than float32");
        assertThat(d.waysOut()).isEmpty();
    }

    @Test
    void aGpuTooSmallForFloat32NamesFloat16AsAWayOutOnlyWhenItWouldFit() {
        MemoryNeed f32 = MemoryNeedTest.sevenB(DataType.FLOAT32);
        long available = 24 * GB;   // a 24 GB card: too small for float32, enough for float16
        Precision.Decision d = Precision.FLOAT32.decide(true, SEVEN_B_F16, available);
        assertThat(d.dtype()).isEqualTo(DataType.FLOAT32);
        String refusal = f32.refusal(available, "the GPU", Path.of("RSafe-7B"), d.waysOut()).orElseThrow();
        assertThat(refusal).contains("the GPU has 24.0 GB available")
                .contains("or load it in float16 (--dtype float16, about " + MemoryNeed.gb(SEVEN_B_F16.totalBytes()))
                .contains("or run it on the CPU (--device cpu)");
        Precision.Decision tooSmall = Precision.FLOAT32.decide(true, SEVEN_B_F16, 12 * GB);
        assertThat(tooSmall.waysOut()).noneMatch(w -> w.contains("float16"));
        assertThat(Precision.FLOAT32.decide(false, SEVEN_B_F16, 12 * GB).waysOut()).isEmpty();
    }

    @Test
    void aFloat16RequestReachesTheLoadedModelAndItsNotices() {
        Path tiny = TinyModels.f32Tied(dir);
        try (LocalModel local = LocalModel.open(tiny, null, Device.cpu(), Precision.FLOAT16, 64 * GB)) {
            assertThat(local.dtypeName()).isEqualTo("float16");
            assertThat(local.notices()).anyMatch(n -> n.contains("slower than float32"));
        }
        try (LocalModel local = LocalModel.open(tiny, null, DeviceChoice.CPU, Precision.FLOAT32)) {
            assertThat(local.dtypeName()).isEqualTo("float32");
            assertThat(local.notices()).noneMatch(n -> n.contains("float16"));
        }
    }

    @Test
    void askingForAGpuWhereDjlSeesNoneFailsWithAClearMessage() {
        org.junit.jupiter.api.Assumptions.assumeTrue(DeviceChoice.gpuCount() == 0, "a GPU is present");
        assertThatThrownBy(() -> LocalModel.open(dir, null, DeviceChoice.GPU, Precision.FLOAT16))
                .isInstanceOf(UserException.class).hasMessageStartingWith("no CUDA GPU visible to DJL");
    }
}
