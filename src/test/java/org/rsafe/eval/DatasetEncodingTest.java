package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.util.SourcePos;
import org.rsafe.util.UserException;

/** Bytes that are not UTF-8 are refused at their line and column, never replaced and judged as changed text. */
class DatasetEncodingTest {

    @TempDir
    Path dir;

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static UserException refusal(Path file) {
        try {
            TestFiles.rows(file);
        } catch (UserException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the file was read without an error");
    }

    @Test
    void latin1CsvIsRefusedAtTheLineAndColumnOfTheBadByte() throws IOException {
        Path file = TestFiles.writeBytes(dir, "latin1.csv", latin1("prompt,label\nhello,safe\nun café,unsafe\n"));

        UserException e = refusal(file);

        assertThat(e.diagnostics().get(0).pos()).isEqualTo(new SourcePos(3, 7));
        assertThat(e.lines()).containsExactly(file + ":3:7: error: [encoding] invalid UTF-8: byte 0xE9 is not UTF-8 "
                + "text; the file may be in another encoding (such as Latin-1 or Windows-1252): save it as UTF-8");
    }

    @Test
    void latin1JsonLinesAreRefusedAtTheirLine() throws IOException {
        Path file = TestFiles.writeBytes(dir, "latin1.jsonl",
                latin1("{\"prompt\": \"hi\", \"label\": \"safe\"}\n{\"prompt\": \"café\", \"label\": \"unsafe\"}\n"));

        assertThat(refusal(file).lines()).singleElement().asString().startsWith(file + ":2:16: error: [encoding]");
    }

    @Test
    void aBadByteFarBeyondTheLookAheadIsRefusedWhenItsRowIsReached() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("prompt,label\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 5000; i++) {
            bytes.write(("a perfectly ordinary question number " + i + ",safe\n").getBytes(StandardCharsets.UTF_8));
        }
        bytes.write(latin1("caf\u00e9,unsafe\n"));
        Path file = TestFiles.writeBytes(dir, "late.csv", bytes.toByteArray());

        try (DatasetReader r = DatasetReader.open(file, (ColumnMapping) null, BadRowPolicy.FAIL)) {
            for (int i = 0; i < 5000; i++) {
                assertThat(r.next().prompt()).endsWith(" " + i);
            }
            assertThatThrownBy(r::next).isInstanceOfSatisfying(UserException.class, e ->
                    assertThat(e.diagnostics().get(0).pos()).isEqualTo(new SourcePos(5002, 4)));
        }
    }

    @Test
    void gzippedLatin1IsRefusedToo() throws IOException {
        Path file = dir.resolve("latin1.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(latin1("prompt,label\ncafé,unsafe\n"));
        }

        assertThat(refusal(file).diagnostics().get(0).pos()).isEqualTo(new SourcePos(2, 4));
    }

    @Test
    void aTruncatedCharacterAtTheEndIsRefused() throws IOException {
        byte[] text = "prompt,label\nx,safe\ncaf".getBytes(StandardCharsets.UTF_8);
        byte[] cut = new byte[text.length + 1];
        System.arraycopy(text, 0, cut, 0, text.length);
        cut[text.length] = (byte) 0xC3;
        Path file = TestFiles.writeBytes(dir, "cut.csv", cut);

        assertThat(refusal(file).lines()).singleElement().asString().startsWith(file + ":3:4: error: [encoding]")
                .contains("0xC3");
    }

    @Test
    void validUtf8WithAccentsAndEmojiStillReads() throws IOException {
        Path file = TestFiles.write(dir, "ok.csv", "prompt,label\nun café \uD83D\uDE00,unsafe\n");

        assertThat(TestFiles.rows(file)).singleElement().satisfies(r -> assertThat(r.prompt()).isEqualTo("un café \uD83D\uDE00"));
    }
}
