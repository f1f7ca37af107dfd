package org.rsafe.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.rsafe.util.UserException;

/** A damaged file must give a UserException (or read fine), never another exception or a crash. */
class SafetensorsReaderProperties {

    private static byte[] validFile() throws IOException {
        Path f = Files.createTempFile("st", ".safetensors");
        try {
            SafetensorsWriter.write(f, List.of(
                    SafetensorsWriter.Entry.of("a.weight", new float[] {1, 2, 3, 4, 5, 6}, 2, 3),
                    SafetensorsWriter.Entry.of("b.bias", new float[] {7, 8}, 2)), SafetensorsWriter.Dtype.BF16);
            return Files.readAllBytes(f);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /** Opens and reads everything; returns normally on success or on a UserException. */
    private static void openAndReadAll(byte[] bytes) throws IOException {
        Path f = Files.createTempFile("st", ".safetensors");
        try {
            Files.write(f, bytes);
            try (SafetensorsReader r = SafetensorsReader.openFile(f)) {
                for (String n : r.names()) {
                    try {
                        assertThat(r.readFloats(n)).hasSize((int) r.info(n).elementCount());
                    } catch (UserException expected) {
                        // e.g. a non-float dtype after a flipped byte
                    }
                }
            } catch (UserException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Property(tries = 300)
    void corruptingAnyHeaderByteNeverEscapesAsAnotherException(@ForAll("positions") int pos, @ForAll byte value)
            throws IOException {
        byte[] bytes = validFile();
        int headerEnd = 8 + (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        bytes[pos % headerEnd] = value;
        openAndReadAll(bytes);
    }

    @Property(tries = 100)
    void truncatingAtAnyLengthNeverEscapesAsAnotherException(@ForAll @IntRange(min = 0, max = 200) int cut)
            throws IOException {
        byte[] bytes = validFile();
        openAndReadAll(java.util.Arrays.copyOf(bytes, Math.min(cut, bytes.length)));
    }

    @Property(tries = 100)
    void arbitraryBytesNeverEscapeAsAnotherException(@ForAll @Size(max = 64) byte[] junk) throws IOException {
        openAndReadAll(junk);
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 10_000);
    }
}
