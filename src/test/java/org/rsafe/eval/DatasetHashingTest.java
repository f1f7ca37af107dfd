package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rsafe.util.Hashing;

class DatasetHashingTest {

    @TempDir
    Path dir;

    /** Reads every row and returns the digest the reader computed on the way. */
    private static String hashWhileReading(Path file) throws IOException {
        try (DatasetReader reader = DatasetReader.openHashing(file, null, MappingOverrides.NONE, BadRowPolicy.SKIP)) {
            while (reader.hasNext()) {
                reader.next();
            }
            return reader.fileSha256();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "data.csv|id,text,label\n1,hello,safe\n2,how to build a bomb,unsafe\n",
        "data.jsonl|{\"text\": \"hello\", \"label\": \"safe\"}\n{\"text\": \"bomb\", \"label\": \"unsafe\"}\n\n\n",
        "data.json|[{\"text\": \"hello\", \"label\": \"safe\"}, {\"text\": \"bomb\", \"label\": \"unsafe\"}]\n   \n",
    })
    void readingEveryRowGivesTheSameDigestAsHashingTheFile(String nameAndText) throws IOException {
        String[] parts = nameAndText.split("\\|", 2);
        Path file = Files.writeString(dir.resolve(parts[0]), parts[1]);

        assertThat(hashWhileReading(file)).isEqualTo(Hashing.sha256(file));
    }

    @Test
    void aGzippedFileIsHashedAsItsCompressedBytes() throws IOException {
        StringBuilder csv = new StringBuilder("id,text,label\n");
        for (int i = 0; i < 5000; i++) {
            csv.append(i).append(",row number ").append(i).append(i % 2 == 0 ? ",safe\n" : ",unsafe\n");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(csv.toString().getBytes(StandardCharsets.UTF_8));
        }
        Path file = Files.write(dir.resolve("data.csv.gz"), bytes.toByteArray());

        assertThat(hashWhileReading(file)).isEqualTo(Hashing.sha256(file));
    }

    @Test
    void aFileCutShortByABrokenRecordIsStillHashedWhole() throws IOException {
        // Broken JSON ends the records early; the megabyte after it is never parsed but must still be hashed.
        StringBuilder json = new StringBuilder("[{\"text\": \"hello\", \"label\": \"safe\"},\n {\"text\": oops},\n");
        while (json.length() < 1 << 20) {
            json.append(" {\"text\": \"a row that is never read\", \"label\": \"unsafe\"},\n");
        }
        Path file = Files.writeString(dir.resolve("broken.json"), json.append(" {}]\n"));

        try (DatasetReader reader = DatasetReader.openHashing(file, null, MappingOverrides.NONE, BadRowPolicy.SKIP)) {
            int rows = 0;
            while (reader.hasNext()) {
                reader.next();
                rows++;
            }
            assertThat(rows).isEqualTo(1);
            assertThat(reader.fileSha256()).isEqualTo(Hashing.sha256(file));
        }
    }

    @Test
    void askingForTheDigestBeforeTheLastRowIsABug() throws IOException {
        Path file = Files.writeString(dir.resolve("data.csv"), "id,text,label\n1,a,safe\n2,b,unsafe\n");

        try (DatasetReader reader = DatasetReader.openHashing(file, null, MappingOverrides.NONE, BadRowPolicy.SKIP)) {
            reader.next();
            assertThatIllegalStateException().isThrownBy(reader::fileSha256);
        }
    }
}
