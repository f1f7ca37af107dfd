package org.rsafe.engine.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.util.FloatFormats;
import org.rsafe.util.UserException;

class GgufFileTest {
    @TempDir
    Path tmp;

    static float[] values(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    Path write(GgufMetadata m, List<GgufWriter.Tensor> tensors) throws IOException {
        Path f = tmp.resolve("t.gguf");
        GgufWriter.write(f, m, tensors, GgufWriter.Progress.NONE);
        return f;
    }

    @Test
    @SuppressWarnings("unchecked")
    void metadataAndTensorsReadBackAsWritten() throws IOException {
        float[] a = values(3 * 64, 1);
        float[] b = values(64, 2);
        GgufMetadata m = new GgufMetadata().putString("general.architecture", "qwen2").putUint32("qwen2.block_count", 7)
                .putFloat32("qwen2.rope.freq_base", 1e6f).putBool("tokenizer.ggml.add_bos_token", false)
                .putStrings("tokenizer.ggml.tokens", List.of("a", "Ġb", "<|im_end|>"))
                .putInt32s("tokenizer.ggml.token_type", new int[] {1, 1, 3});
        Path f = write(m, List.of(new GgufWriter.Tensor("w", List.of(3L, 64L), GgufType.F32, () -> a),
                new GgufWriter.Tensor("n", List.of(64L), GgufType.F16, () -> b)));
        try (GgufFile g = GgufFile.open(f)) {
            assertThat(g.version()).isEqualTo(3);
            assertThat(g.metadata().string("general.architecture")).contains("qwen2");
            assertThat(g.metadata().integer("qwen2.block_count")).contains(7L);
            assertThat(g.metadata().number("qwen2.rope.freq_base")).contains(1e6);
            assertThat(g.metadata().integer("tokenizer.ggml.add_bos_token")).contains(0L);
            assertThat((List<Object>) g.metadata().array("tokenizer.ggml.tokens").orElseThrow()).containsExactly("a", "Ġb", "<|im_end|>");
            assertThat((List<Object>) g.metadata().array("tokenizer.ggml.token_type").orElseThrow()).containsExactly(1L, 1L, 3L);
            assertThat(g.tensors().get("w").shape()).containsExactly(3L, 64L);
            assertThat(g.readFloats("w")).containsExactly(a);
            float[] half = g.readFloats("n");
            for (int i = 0; i < b.length; i++) {
                assertThat(half[i]).isEqualTo(FloatFormats.halfToFloat(FloatFormats.floatToHalf(b[i])));
            }
            for (GgufFile.TensorInfo t : g.tensors().values()) {
                assertThat(t.offset() % GgufWriter.ALIGNMENT).isZero();
            }
        }
    }

    /** A Qwen-sized vocabulary makes the header megabytes long: values cross the reader's buffer boundaries. */
    @Test
    @SuppressWarnings("unchecked")
    void aHeaderMuchLargerThanTheReadBufferReadsBack() throws IOException {
        List<String> tokens = new java.util.ArrayList<>();
        int[] types = new int[50_000];
        for (int i = 0; i < types.length; i++) {
            tokens.add("tok" + "x".repeat(i % 37) + i);
            types[i] = i % 5;
        }
        GgufMetadata m = new GgufMetadata().putStrings("tokenizer.ggml.tokens", tokens)
                .putInt32s("tokenizer.ggml.token_type", types).putUint32("after", 42);
        Path f = write(m, List.of(new GgufWriter.Tensor("w", List.of(64L), GgufType.F32, () -> values(64, 6))));
        try (GgufFile g = GgufFile.open(f)) {
            assertThat((List<Object>) g.metadata().array("tokenizer.ggml.tokens").orElseThrow())
                    .containsExactlyElementsOf(tokens);
            assertThat(g.metadata().integer("after")).contains(42L);
            assertThat(g.readFloats("w")).containsExactly(values(64, 6));
        }
    }

    @Test
    void theHeaderIsGgufVersion3WithNeInnermostFirst() throws IOException {
        Path f = write(new GgufMetadata(), List.of(new GgufWriter.Tensor("w", List.of(2L, 32L), GgufType.Q8_0,
                () -> values(64, 3))));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(Arrays.copyOf(b.array(), 4), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("GGUF");
        b.position(4);
        assertThat(b.getInt()).isEqualTo(3);
        assertThat(b.getLong()).isEqualTo(1); // tensors
        assertThat(b.getLong()).isZero(); // metadata entries
        assertThat(b.getLong()).isEqualTo(1); // name length
        assertThat(b.get()).isEqualTo((byte) 'w');
        assertThat(b.getInt()).isEqualTo(2); // dimensions
        assertThat(b.getLong()).isEqualTo(32); // ne[0]: the row length
        assertThat(b.getLong()).isEqualTo(2);
        assertThat(b.getInt()).isEqualTo(8); // GGML_TYPE_Q8_0
        // data: 2 blocks of 34 bytes, starting at the next multiple of 32
        assertThat(Files.size(f) % 32).isZero();
    }

    @Test
    void q8BlocksHoldAnF16ScaleOfMaxOver127AndRoundedBytes() {
        float[] x = new float[32];
        for (int i = 0; i < 32; i++) {
            x[i] = i - 10.5f; // max |x| = 20.5
        }
        ByteBuffer b = ByteBuffer.allocate(34).order(ByteOrder.LITTLE_ENDIAN);
        GgufType.Q8_0.encode(x, 0, 32, b);
        b.flip();
        float d = 20.5f / 127f;
        assertThat(b.getShort()).isEqualTo(FloatFormats.floatToHalf(d));
        for (int i = 0; i < 32; i++) {
            // C's roundf: halves away from zero
            long expected = (long) Math.copySign(Math.floor(Math.abs(x[i] * (1 / d)) + 0.5), x[i]);
            assertThat((long) b.get()).isEqualTo(expected);
        }
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void q4BlocksMapTheLargestMagnitudeToMinusEightAndPackTwoPerByte() {
        float[] x = new float[32];
        x[0] = -4f; // largest magnitude, negative: d = -4 / -8 = 0.5
        x[16] = 2f;
        x[1] = 3.5f;
        ByteBuffer b = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
        GgufType.Q4_0.encode(x, 0, 32, b);
        b.flip();
        assertThat(FloatFormats.halfToFloat(b.getShort())).isEqualTo(0.5f);
        int first = b.get() & 0xFF;
        assertThat(first & 0x0F).isEqualTo(0); // -4 / 0.5 + 8.5 = 0.5 -> 0
        assertThat(first >>> 4).isEqualTo(12); // 2 / 0.5 + 8.5 = 12.5 -> 12
        assertThat(b.get() & 0x0F).isEqualTo(15); // 3.5 / 0.5 + 8.5 = 15.5 -> 15
        b.rewind();
        float[] back = new float[32];
        GgufType.Q4_0.decode(b, back, 0, 32);
        assertThat(back[0]).isEqualTo(-4f);
        assertThat(back[16]).isEqualTo(2f);
        assertThat(back[1]).isEqualTo(3.5f);
        assertThat(back[2]).isEqualTo(0f);
    }

    @Test
    void quantisedTensorsDecodeWithinHalfAStepOfTheirBlock() throws IOException {
        float[] v = values(8 * 64, 9);
        Path f = write(new GgufMetadata(), List.of(new GgufWriter.Tensor("q8", List.of(8L, 64L), GgufType.Q8_0, () -> v),
                new GgufWriter.Tensor("q4", List.of(8L, 64L), GgufType.Q4_0, () -> v)));
        try (GgufFile g = GgufFile.open(f)) {
            float[] q8 = g.readFloats("q8");
            float[] q4 = g.readFloats("q4");
            for (int block = 0; block < v.length / 32; block++) {
                float amax = 0;
                for (int j = 0; j < 32; j++) {
                    amax = Math.max(amax, Math.abs(v[block * 32 + j]));
                }
                for (int j = 0; j < 32; j++) {
                    int i = block * 32 + j;
                    assertThat(q8[i]).isCloseTo(v[i], within(amax / 127f * 0.51f + 1e-3f));
                    assertThat(q4[i]).isCloseTo(v[i], within(amax / 8f * 0.51f + 1e-2f));
                }
            }
        }
    }

    @Test
    void rowsThatAreNotWholeBlocksAreRefusedBeforeWriting() {
        assertThatThrownBy(() -> new GgufWriter.Tensor("w", List.of(2L, 33L), GgufType.Q8_0, () -> new float[66]))
                .hasMessageContaining("cannot be stored as Q8_0");
    }

    @Test
    void aTruncatedFileIsRefusedWithItsName() throws IOException {
        Path f = write(new GgufMetadata().putString("general.architecture", "qwen2"),
                List.of(new GgufWriter.Tensor("w", List.of(4L, 64L), GgufType.F32, () -> values(256, 4))));
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 100));
        assertThatThrownBy(() -> GgufFile.open(f)).isInstanceOf(UserException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("runs past the end of the file");
        Files.write(f, Arrays.copyOf(all, 40));
        assertThatThrownBy(() -> GgufFile.open(f)).isInstanceOf(UserException.class).hasMessageContaining("ends early");
    }

    @Test
    void aFileThatIsNotGgufIsRefused() throws IOException {
        Path f = tmp.resolve("model.safetensors");
        Files.write(f, new byte[64]);
        assertThatThrownBy(() -> GgufFile.open(f)).isInstanceOf(UserException.class)
                .hasMessageContaining("is not a GGUF file");
    }

    @Test
    void hugeCountsInAHostileHeaderAreRefusedWithoutAllocating() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(GgufWriter.MAGIC).putInt(3).putLong(1).putLong(1);
        b.putLong(4).put("keys".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.putInt(9).putInt(8).putLong(Long.MAX_VALUE / 2); // an array of 4.6e18 strings
        Path f = tmp.resolve("hostile.gguf");
        Files.write(f, b.array());
        assertThatThrownBy(() -> GgufFile.open(f)).isInstanceOf(UserException.class)
                .hasMessageContaining("more than the file");
    }

    @Test
    void theContentHashChangesWithOneWeight() throws IOException {
        float[] v = values(64, 5);
        Path f = write(new GgufMetadata(), List.of(new GgufWriter.Tensor("w", List.of(64L), GgufType.F32, () -> v)));
        String before;
        try (GgufFile g = GgufFile.open(f)) {
            before = g.contentHash();
        }
        v[3] += 1;
        write(new GgufMetadata(), List.of(new GgufWriter.Tensor("w", List.of(64L), GgufType.F32, () -> v)));
        try (GgufFile g = GgufFile.open(f)) {
            assertThat(g.contentHash()).isNotEqualTo(before).hasSize(64);
        }
    }
}
