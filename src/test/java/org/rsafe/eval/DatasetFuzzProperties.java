package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Assertions;
import org.rsafe.FuzzTries;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.FileTrees;
import org.rsafe.util.UserException;

/**
 * Generated data files (CSV, JSON Lines, JSON arrays, each also gzipped, plus raw bytes) never make the dataset reader
 * fail with anything but the documented user error, never hang, and every problem they report names the file and a
 * line and column. Case counts: {@link FuzzTries}.
 */
@AddLifecycleHook(FuzzTries.class)
class DatasetFuzzProperties {
    private static Path dir;
    private static int counter;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("dataset-fuzz");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        FileTrees.deleteTree(dir);
    }

    @Property
    void csvNeverEscapesTheUserError(@ForAll("csvish") String text, @ForAll boolean gzip) throws IOException {
        readAndCheck("data.csv", text.getBytes(StandardCharsets.UTF_8), gzip);
    }

    @Property
    void jsonLinesNeverEscapeTheUserError(@ForAll("jsonish") String text, @ForAll boolean gzip) throws IOException {
        readAndCheck("data.jsonl", text.getBytes(StandardCharsets.UTF_8), gzip);
    }

    @Property
    void jsonArraysNeverEscapeTheUserError(@ForAll("jsonish") String text, @ForAll boolean gzip) throws IOException {
        readAndCheck("data.json", ("[" + text + "]").getBytes(StandardCharsets.UTF_8), gzip);
    }

    @Property
    void rawBytesNeverEscapeTheUserError(@ForAll("bytes") byte[] bytes, @ForAll("names") String name) throws IOException {
        readAndCheck(name, bytes, false);
    }

    private static void readAndCheck(String name, byte[] content, boolean gzip) throws IOException {
        Path file = dir.resolve((counter++) + "-" + name + (gzip ? ".gz" : ""));
        Files.write(file, gzip ? gzip(content) : content);
        try {
            Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                try {
                    Dataset d = DatasetReader.readAll(file, (ColumnMapping) null, BadRowPolicy.SKIP);
                    d.badRows().forEach(b -> placed(b, file));
                } catch (UserException e) {
                    e.diagnostics().forEach(b -> placed(b, file));
                    assertThat(e.lines()).allSatisfy(l -> assertThat(l).isNotBlank().doesNotContain("Exception"));
                }
            });
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void placed(Diagnostic d, Path file) {
        assertThat(d.file()).isEqualTo(file.toString());
        assertThat(d.pos().known()).as("%s", d.format()).isTrue();
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(content);
        }
        return out.toByteArray();
    }

    @Provide
    Arbitrary<String> csvish() {
        Arbitrary<String> header = Arbitraries.of("text,label\n", "prompt;label;id\n", "text\tlabel\n", "\"te\"\"xt\",label\n",
                "", "text,label,categories\n");
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.of(",", ";", "\t", "\"", "\"\"", "\n", "\r\n", "\r", "safe", "unsafe", "-1", "1", "0", "yes",
                        "\uFEFF", "\u00e9", "\uD83D\uDE00", "[\"a\",\"b\"]", " ", "Human user: hi AI assistant: ok"),
                Arbitraries.strings().ofMaxLength(12));
        return net.jqwik.api.Combinators.combine(header, pieces.list().ofMaxSize(60))
                .as((h, p) -> h + String.join("", p));
    }

    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.of("{", "}", "[", "]", ",", ":", "\"text\"", "\"label\"", "\"safe\"", "\"unsafe\"", "-1",
                        "1e999999", "123456789012345678901234567890", "null", "true", "\n", " ", "\"\\u00e9\"", "\"\\",
                        "{\"text\":\"hi\",\"label\":\"safe\"}", "{\"text\":\"x\",\"label\":1,\"categories\":[\"U1\"]}\n",
                        "[[[[[[[[", "]]]]]]]]", "\"\\ud800\""),
                Arbitraries.strings().ofMaxLength(10));
        return pieces.list().ofMaxSize(50).map(p -> String.join("", p));
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of("a.csv", "a.tsv", "a.jsonl", "a.json", "a.txt", "a.csv.gz");
    }

    /** The readers' own helpers stay honest about what they read. */
    @Property(tries = 50)
    void aWellFormedFileReadsEveryRow(@ForAll("rows") List<String> texts) throws IOException {
        StringBuilder sb = new StringBuilder("text,label\n");
        texts.forEach(t -> sb.append('"').append(t.replace("\"", "\"\"")).append("\",safe\n"));
        Path file = Files.writeString(dir.resolve((counter++) + "-ok.csv"), sb.toString());

        Dataset d = DatasetReader.readAll(file, (ColumnMapping) null, BadRowPolicy.SKIP);

        assertThat(d.rows()).extracting(LabelledRow::prompt).containsExactlyElementsOf(texts);
    }

    @Provide
    Arbitrary<List<String>> rows() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars(" ,;\"\n\u00e9").ofMinLength(1).ofMaxLength(20)
                .filter(s -> !s.isBlank() && !s.strip().isEmpty() && s.equals(s)).list().ofMinSize(1).ofMaxSize(10);
    }
}
