package org.rsafe.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rsafe.util.UserException;

class SafetensorsCorruptionTest {

    @TempDir
    Path dir;

    /** A safetensors file with the given header text, declared header length and data size. */
    Path raw(String name, String header, long declaredLength, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(declaredLength).put(h);
        Path file = dir.resolve(name);
        Files.write(file, buf.array());
        return file;
    }

    Path raw(String name, String header, int dataBytes) throws IOException {
        return raw(name, header, header.getBytes(StandardCharsets.UTF_8).length, dataBytes);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            absurd header length  | 9223372036854775807 | header length 9223372036854775807 is absurd
            negative length       | -5                  | header length -5 is absurd
            header beyond the end | 4000                | truncated: the header needs 4008 bytes
            """)
    void nonsenseHeaderLengthsAreRejectedWithTheFileName(String what, long declared, String message) throws IOException {
        Path file = raw("x.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", declared, 4);
        assertThatThrownBy(() -> SafetensorsReader.openFile(file))
                .isInstanceOf(UserException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(message);
    }

    @Test
    void aFileShorterThanTheLengthFieldIsTruncated() throws IOException {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafetensorsReader.openFile(file))
                .isInstanceOf(UserException.class).hasMessageContaining("truncated").hasMessageContaining("short.safetensors");
    }

    @Test
    void badJsonInTheHeaderNamesTheFileAndPosition() throws IOException {
        Path file = raw("bad.safetensors", "{\"a\": {\"dtype\": \"F32\",, }", 0);
        assertThatThrownBy(() -> SafetensorsReader.openFile(file))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("bad.safetensors: header is not valid JSON at header line 1 column");
    }

    @Test
    void truncatedDataIsReportedWithTheTensorAndTheSizes() throws IOException {
        Path file = raw("trunc.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4,4],\"data_offsets\":[0,64]}}", 40);
        assertThatThrownBy(() -> SafetensorsReader.openFile(file))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("tensor w in " + file)
                .hasMessageContaining("truncated file")
                .hasMessageContaining("has only");
    }

    @Test
    void unknownDtypeIsNamed() throws IOException {
        Path file = raw("d.safetensors", "{\"w\":{\"dtype\":\"F8_E4M3X\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2);
        assertThatThrownBy(() -> SafetensorsReader.openFile(file))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("tensor w in " + file)
                .hasMessageContaining("unknown dtype \"F8_E4M3X\"");
    }

    @Test
    void offsetsThatDisagreeWithTheShapeAreRejected() throws IOException {
        Path file = raw("s.safetensors", "{\"w\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
        assertThatThrownBy(() -> SafetensorsReader.openFile(file))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("tensor w")
                .hasMessageContaining("span 8 bytes but shape [3] of BF16 needs 6");
    }

    @Test
    void overlappingTensorsAreRejected() throws IOException {
        Path file = raw("o.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
        assertThatThrownBy(() -> SafetensorsReader.openFile(file))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("tensors a and b overlap");
    }

    @Test
    void integerTensorsOpenButCannotBeReadAsWeights() throws IOException {
        Path file = raw("i.safetensors", "{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8);
        try (SafetensorsReader r = SafetensorsReader.openFile(file)) {
            assertThat(r.info("ids").dtype()).isEqualTo("I64");
            assertThatThrownBy(() -> r.readFloats("ids")).isInstanceOf(UserException.class)
                    .hasMessageContaining("ids").hasMessageContaining("I64");
        }
    }

    @Test
    void askingForAnAbsentTensorNamesTheTensorAndTheFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, List.of(SafetensorsWriter.Entry.of("a", new float[] {1}, 1)), SafetensorsWriter.Dtype.F32);
        try (SafetensorsReader r = SafetensorsReader.open(dir)) {
            assertThatThrownBy(() -> r.info("nope")).isInstanceOf(UserException.class)
                    .hasMessageContaining("no tensor nope in " + file);
        }
    }

    @Test
    void indexPointingToAMissingShardNamesTheShard() throws IOException {
        SafetensorsWriter.writeSharded(dir, List.of(SafetensorsWriter.Entry.of("a", new float[] {1}, 1),
                SafetensorsWriter.Entry.of("b", new float[] {2}, 1)), SafetensorsWriter.Dtype.F32, 2);
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        assertThatThrownBy(() -> SafetensorsReader.open(dir))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("model.safetensors.index.json references shard files missing")
                .hasMessageContaining("model-00002-of-00002.safetensors")
                .hasMessageContaining("e.g. b");
    }

    @Test
    void indexPlacingATensorInTheWrongShardIsReported() throws IOException {
        SafetensorsWriter.writeSharded(dir, List.of(SafetensorsWriter.Entry.of("a", new float[] {1}, 1),
                SafetensorsWriter.Entry.of("b", new float[] {2}, 1)), SafetensorsWriter.Dtype.F32, 2);
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(index, Files.readString(index).replace("\"b\" : \"model-00002", "\"b\" : \"model-00001"));
        assertThatThrownBy(() -> SafetensorsReader.open(dir))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("places tensor b in model-00001-of-00002.safetensors, but that file does not contain it");
    }

    @Test
    void aFolderWithoutWeightsSaysWhatItLookedFor() throws IOException {
        Files.writeString(dir.resolve("pytorch_model.bin"), "x");
        assertThatThrownBy(() -> SafetensorsReader.open(dir))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("no model.safetensors or model.safetensors.index.json in " + dir)
                .hasMessageContaining("only safetensors checkpoints are supported");
    }
}
