package org.rsafe.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rsafe.util.FloatFormats;

class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    static final float[] SPECIALS = {0f, -0f, 1f, -1f, 0.1f, 65504f, 65520f, 1e-8f, 6.1e-5f, 5.96e-8f, 3.0e38f,
        Float.MIN_VALUE, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1.00390625f,
        1.01171875f, -2.5e-3f};

    static float[] values(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i < SPECIALS.length ? SPECIALS[i] : (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4));
        }
        return v;
    }

    static float expected(SafetensorsWriter.Dtype dtype, float v) {
        return switch (dtype) {
            case F32 -> v;
            case F16 -> FloatFormats.halfToFloat(FloatFormats.floatToHalf(v));
            case BF16 -> FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(v));
        };
    }

    @ParameterizedTest
    @EnumSource(SafetensorsWriter.Dtype.class)
    void writtenTensorsReadBackAsTheStoredTypeRoundsThem(SafetensorsWriter.Dtype dtype) throws IOException {
        float[] a = values(6 * 7, 1);
        float[] b = values(5, 2);
        Path file = dir.resolve("t.safetensors");
        SafetensorsWriter.write(file, List.of(SafetensorsWriter.Entry.of("a", a, 6, 7),
                SafetensorsWriter.Entry.of("b.bias", b, 5)), dtype);

        try (SafetensorsReader r = SafetensorsReader.openFile(file)) {
            assertThat(r.names()).containsExactly("a", "b.bias");
            assertThat(r.info("a").shape()).containsExactly(6L, 7L);
            assertThat(r.info("a").dtype()).isEqualTo(dtype.name());
            assertThat(r.metadata()).containsEntry("format", "pt");
            float[] ra = r.readFloats("a");
            for (int i = 0; i < a.length; i++) {
                assertThat(Float.floatToIntBits(ra[i])).as("element %d (%s)", i, a[i])
                        .isEqualTo(Float.floatToIntBits(expected(dtype, a[i])));
            }
            assertThat(r.readFloats("b.bias")).hasSize(5);
        }
    }

    @ParameterizedTest
    @EnumSource(SafetensorsWriter.Dtype.class)
    void tensorsSpanningSeveralMapsReadTheSameAsInOneMap(SafetensorsWriter.Dtype dtype) throws IOException {
        float[] a = values(1001, 3);
        Path file = dir.resolve("big.safetensors");
        SafetensorsWriter.write(file, List.of(SafetensorsWriter.Entry.of("x", new float[3], 3),
                SafetensorsWriter.Entry.of("a", a, 7, 143)), dtype);
        try (SafetensorsReader whole = SafetensorsReader.openFile(file);
             SafetensorsReader chunked = SafetensorsReader.openFile(file).withMapChunkBytes(36)) {
            assertThat(chunked.readFloats("a")).containsExactly(whole.readFloats("a"));
        }
    }

    @Test
    void readIntoFillsADirectBufferFromItsPosition() throws IOException {
        float[] a = values(12, 4);
        Path file = dir.resolve("t.safetensors");
        SafetensorsWriter.write(file, List.of(SafetensorsWriter.Entry.of("a", a, 3, 4)), SafetensorsWriter.Dtype.F32);
        FloatBuffer buf = ByteBuffer.allocateDirect(16 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        buf.position(2);
        try (SafetensorsReader r = SafetensorsReader.openFile(file)) {
            r.readInto("a", buf);
        }
        assertThat(buf.position()).isEqualTo(14);
        for (int i = 0; i < 12; i++) {
            assertThat(buf.get(2 + i)).isEqualTo(a[i]);
        }
    }

    @Test
    void headerIsSpacePaddedToAMultipleOfEightAndDeclaresFormatPt() throws IOException {
        for (int nameLen = 1; nameLen <= 9; nameLen++) {
            Path file = dir.resolve("p" + nameLen + ".safetensors");
            SafetensorsWriter.write(file, List.of(SafetensorsWriter.Entry.of("w".repeat(nameLen), new float[] {1, 2}, 2)),
                    SafetensorsWriter.Dtype.F32);
            byte[] bytes = Files.readAllBytes(file);
            long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertThat(n % 8).isZero();
            assertThat(bytes.length).isEqualTo(8 + n + 8);
            String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
            assertThat(header.stripTrailing()).endsWith("}");
            assertThat(header.substring(header.stripTrailing().length())).matches(" *");
            JsonNode json = new ObjectMapper().readTree(header);
            assertThat(json.at("/__metadata__/format").asText()).isEqualTo("pt");
            assertThat(json.at("/" + "w".repeat(nameLen) + "/data_offsets").toString()).isEqualTo("[0,8]");
        }
    }

    @Test
    void shardedWriteProducesNumberedShardsAndAnIndexWithTotalSize() throws IOException {
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            entries.add(SafetensorsWriter.Entry.of("t" + i, values(10 * (i + 1), i), 10, i + 1));
        }
        List<String> shards = SafetensorsWriter.writeSharded(dir, entries, SafetensorsWriter.Dtype.BF16, 3);

        assertThat(shards).containsExactly("model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                "model-00003-of-00003.safetensors");
        JsonNode index = new ObjectMapper().readTree(dir.resolve("model.safetensors.index.json").toFile());
        assertThat(index.at("/metadata/total_size").asLong()).isEqualTo(2L * 10 * (1 + 2 + 3 + 4 + 5 + 6 + 7));
        assertThat(index.get("weight_map").size()).isEqualTo(7);
        try (SafetensorsReader r = SafetensorsReader.open(dir)) {
            assertThat(r.files()).hasSize(3);
            for (int i = 0; i < 7; i++) {
                String shard = index.at("/weight_map/t" + i).asText();
                assertThat(r.info("t" + i).file()).isEqualTo(shard);
                float[] v = values(10 * (i + 1), i);
                float[] got = r.readFloats("t" + i);
                for (int j = 0; j < v.length; j++) {
                    assertThat(Float.floatToIntBits(got[j])).isEqualTo(Float.floatToIntBits(expected(SafetensorsWriter.Dtype.BF16, v[j])));
                }
            }
        }
        for (String s : shards) {
            try (SafetensorsReader one = SafetensorsReader.openFile(dir.resolve(s))) {
                assertThat(one.names()).isNotEmpty();
            }
        }
    }

    @Test
    void bf16FileLoadsThroughTheReaderWithoutNativeCode() throws IOException {
        // A BF16 array handed to DJL aborts the JVM; the reader must widen in Java. Reaching the asserts at all
        // (in a JVM that never initialises DJL here) is half the test.
        float[] v = {1f, -2.5f, 3.140625f, Float.NaN, Float.NEGATIVE_INFINITY};
        Path file = dir.resolve("bf.safetensors");
        SafetensorsWriter.write(file, List.of(SafetensorsWriter.Entry.of("w", v, 5)), SafetensorsWriter.Dtype.BF16);
        try (SafetensorsReader r = SafetensorsReader.openFile(file)) {
            float[] got = r.readFloats("w");
            assertThat(got[0]).isEqualTo(1f);
            assertThat(got[1]).isEqualTo(-2.5f);
            assertThat(got[2]).isEqualTo(3.140625f);
            assertThat(got[3]).isNaN();
            assertThat(got[4]).isEqualTo(Float.NEGATIVE_INFINITY);
        }
    }
}
