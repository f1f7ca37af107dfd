package org.rsafe.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.util.UserException;

/** The memory a model needs, from its headers, and the refusal when the machine has less. */
class MemoryNeedTest {
    static final ModelConfig SEVEN_B = RandomModelWriter.Shape.QWEN2_5_7B.config();
    static final long GB = 1_000_000_000L;

    @TempDir
    Path dir;

    static MemoryNeed sevenB(DataType dtype) {
        return MemoryNeed.of(SEVEN_B, SEVEN_B.parameterCount(), (long) SEVEN_B.vocabSize() * SEVEN_B.hiddenSize(),
                dtype, MemoryNeed.DEFAULT_BATCH, MemoryNeed.DEFAULT_TOKENS);
    }

    @Test
    void aSevenBModelNeedsItsParametersTimesFourBytesAsFloat32PlusItsCache() {
        MemoryNeed need = sevenB(DataType.FLOAT32);
        assertThat(need.weightBytes()).isEqualTo(SEVEN_B.parameterCount() * 4);
        assertThat(MemoryNeed.gb(need.weightBytes())).isEqualTo("30.5 GB");
        // 2 (k, v) × 28 layers × 4 kv heads × 128 × 4 bytes per position, for 8 rows of 2,048 positions.
        assertThat(need.cacheBytes()).isEqualTo(2L * 28 * 4 * 128 * 4 * 8 * 2048);
        assertThat(need.totalBytes()).isBetween(33 * GB, 38 * GB);
        MemoryNeed half = sevenB(DataType.FLOAT16);
        assertThat(half.weightBytes()).isEqualTo(need.weightBytes() / 2);
        assertThat(half.cacheBytes()).isEqualTo(need.cacheBytes() / 2);
    }

    @Test
    void aModelLargerThanTheAvailableMemoryIsRefusedWithTheNumbersAndTheWayOut() {
        Path folder = Path.of("RSafe-7B");
        String message = sevenB(DataType.FLOAT32).refusal(23 * GB, "this machine", folder, List.of("or buy RAM"))
                .orElseThrow();
        assertThat(message).containsPattern("RSafe-7B needs about 3\\d\\.\\d GB as float32 \\(weights 30\\.5 GB, "
                        + "KV cache 1\\.9 GB for 8 × 2,048 tokens, working memory \\d\\.\\d GB\\)")
                .contains("this machine has 23.0 GB available")
                .contains("rsafe model convert RSafe-7B --to gguf --type q8_0 (a file of about 8.1 GB)")
                .contains("; or buy RAM")
                .contains("RSAFE_MEMORY_CHECK=off");
    }

    @Test
    void aModelThatFitsOrAnUnknownAmountOfMemoryIsNotRefused() {
        MemoryNeed need = sevenB(DataType.FLOAT16);
        assertThat(need.refusal(need.totalBytes(), "the GPU", dir, List.of())).isEmpty();
        assertThat(need.refusal(need.totalBytes() - 1, "the GPU", dir, List.of())).isPresent();
        assertThat(need.refusal(-1, "the GPU", dir, List.of())).isEmpty();
    }

    @Test
    void theNeedOfAFolderCountsTheElementsItsHeadersDeclare() {
        Path tiny = TinyModels.f32Untied(dir);
        try (ModelFolder folder = ModelFolder.open(tiny)) {
            MemoryNeed need = MemoryNeed.of(folder, DataType.FLOAT32);
            assertThat(need.weightElements()).isEqualTo(folder.config().parameterCount());
            assertThat(need.weightBytes()).isEqualTo(folder.config().parameterCount() * 4);
        }
    }

    @Test
    void openingRefusesBeforeLoadingWhenTheModelDoesNotFit() {
        Path tiny = TinyModels.f32Tied(dir);
        assertThatThrownBy(() -> LocalModel.open(tiny, null, Device.cpu(), DataType.FLOAT32, 1_000_000, List.of()))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("this machine has 0.0 GB available");
        try (LocalModel local = LocalModel.open(tiny, null, Device.cpu(), DataType.FLOAT32, 64 * GB, List.of())) {
            assertThat(local.model().config().vocabSize()).isPositive();
        }
    }

    /**
     * A 7B-shaped folder whose safetensors file holds only the header, its data a hole in a sparse file: the check
     * reads the sizes from the header and refuses without reading a weight.
     */
    @Test
    void aSevenBShapedFolderIsRefusedFromItsHeadersAlone() throws IOException {
        Path folder = dir.resolve("seven-b");
        Files.createDirectories(folder);
        int tokSize = RandomModelWriter.tokenizerSize(SEVEN_B.vocabSize());
        Files.writeString(folder.resolve(ModelFolder.CONFIG_FILE),
                RandomModelWriter.configJson(SEVEN_B, RandomModelWriter.Shape.QWEN2_5_7B, 1, tokSize));
        Files.writeString(folder.resolve(ModelFolder.TOKENIZER_FILE), RandomModelWriter.tokenizerJson(tokSize));
        List<SafetensorsWriter.Entry> entries = RandomModelWriter.entries(SEVEN_B, 1, 0.02);
        byte[] header = SafetensorsWriter.header(entries, SafetensorsWriter.Dtype.BF16);
        long data = entries.stream().mapToLong(SafetensorsWriter.Entry::elementCount).sum() * 2;
        try (RandomAccessFile file = new RandomAccessFile(folder.resolve(SafetensorsReader.SINGLE_FILE).toFile(), "rw")) {
            file.write(header);
            file.setLength(header.length + data);
        }
        try (ModelFolder opened = ModelFolder.open(folder)) {
            assertThat(opened.problems()).isEmpty();
            assertThat(MemoryNeed.of(opened, DataType.FLOAT32).weightBytes()).isEqualTo(SEVEN_B.parameterCount() * 4);
        }
        assertThatThrownBy(() -> LocalModel.open(folder, null, Device.cpu(), DataType.FLOAT32, 23 * GB, List.of()))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("weights 30.5 GB")
                .hasMessageContaining("this machine has 23.0 GB available")
                .hasMessageContaining("--to gguf --type q8_0");
    }

    @Test
    void availableMemoryIsReadFromMeminfoAndTheCgroupLimit() throws IOException {
        Path meminfo = dir.resolve("meminfo");
        Files.writeString(meminfo, "MemTotal:       24000000 kB\nMemFree:  100 kB\nMemAvailable:   22500000 kB\n");
        assertThat(MemoryNeed.meminfoAvailable(meminfo)).isEqualTo(22_500_000L * 1024);
        assertThat(MemoryNeed.meminfoAvailable(dir.resolve("absent"))).isEqualTo(-1);
        Files.writeString(dir.resolve("memory.max"), "8000000000\n");
        Files.writeString(dir.resolve("memory.current"), "3000000000\n");
        assertThat(MemoryNeed.cgroupFree(dir)).isEqualTo(5_000_000_000L);
        Files.writeString(dir.resolve("memory.max"), "max\n");
        assertThat(MemoryNeed.cgroupFree(dir)).isEqualTo(-1);
        assertThat(MemoryNeed.availableBytes(Device.cpu())).isPositive();
    }
}
