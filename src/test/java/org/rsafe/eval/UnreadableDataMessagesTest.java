package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.util.UserException;

/** Files that cannot be read say why, naming the file and the line, instead of "null" or "no records". */
class UnreadableDataMessagesTest {

    @TempDir
    Path dir;

    private static String refusal(Path file) {
        try {
            TestFiles.rows(file);
        } catch (UserException e) {
            assertThat(e.lines()).hasSize(1);
            return e.lines().get(0);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the file was read without an error");
    }

    @Test
    void aFileOfOnlyGzipMagicBytesSaysTheGzipDataIsCutOff() throws IOException {
        Path file = TestFiles.writeBytes(dir, "magic.jsonl.gz", new byte[] {0x1f, (byte) 0x8b});

        assertThat(refusal(file)).startsWith(file + ":1:1: error: [gzip] the gzip data is cut off or broken")
                .doesNotContain("null");
    }

    @Test
    void gzipDataCutOffWithinItsFirstBytesIsAGzipErrorAtTheStart() throws IOException {
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(packed)) {
            out.write("prompt,label\nhello,safe\n".getBytes(StandardCharsets.UTF_8));
        }
        Path file = TestFiles.writeBytes(dir, "short.csv.gz", Arrays.copyOf(packed.toByteArray(), 12));

        assertThat(refusal(file)).startsWith(file + ":1:1: error: [gzip] the gzip data is cut off or broken");
    }

    @Test
    void gzipDataCutOffAfterSomeRowsNamesTheLineReached() throws IOException {
        StringBuilder text = new StringBuilder("prompt,label\n");
        for (int i = 0; i < 20_000; i++) {
            text.append("question ").append(i).append(" about ").append(i * 7919 % 104729).append(",safe\n");
        }
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(packed)) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = packed.toByteArray();
        Path file = TestFiles.writeBytes(dir, "cut.csv.gz", Arrays.copyOf(whole, whole.length * 2 / 3));

        assertThat(refusal(file)).matches(java.util.regex.Pattern.quote(file.toString())
                + ":[1-9][0-9]*:[0-9]+: error: \\[gzip] the gzip data is cut off or broken here.*");
    }

    @Test
    void aHugeNumberIsReportedAtItsLineRatherThanAsAnEmptyFile() throws IOException {
        Path file = TestFiles.write(dir, "n.jsonl", "{\"prompt\": \"x\", \"label\": " + "9".repeat(100_000) + "}\n");

        assertThat(refusal(file)).startsWith(file + ":1:").contains("a number with more than 1000 digits")
                .doesNotContain("holds no records");
    }

    @Test
    void deepNestingIsReportedAtItsLineRatherThanAsAnEmptyFile() throws IOException {
        Path file = TestFiles.write(dir, "d.jsonl", "\n{\"prompt\": \"x\", \"label\": " + "[".repeat(100_000)
                + "]".repeat(100_000) + "}\n");

        assertThat(refusal(file)).startsWith(file + ":2:").contains("nested more than 1000 levels deep")
                .doesNotContain("holds no records");
    }

    @Test
    void aHugeNumberAmongGoodRecordsIsOneBadRowAtItsLine() throws IOException {
        Path file = TestFiles.write(dir, "mixed.jsonl", "{\"prompt\": \"a\", \"label\": \"safe\"}\n"
                + "{\"prompt\": \"x\", \"label\": " + "9".repeat(100_000) + "}\n");

        assertThat(refusal(file)).startsWith(file + ":2:").contains("a number with more than 1000 digits");
    }

    @Test
    void aJsonArrayNestedTooDeeplySaysSo() throws IOException {
        Path file = TestFiles.write(dir, "a.json", "[{\"prompt\": \"x\", \"label\": " + "[".repeat(100_000)
                + "]".repeat(100_000) + "}]");

        assertThat(refusal(file)).startsWith(file + ":1:").contains("nested more than 1000 levels deep");
    }
}
