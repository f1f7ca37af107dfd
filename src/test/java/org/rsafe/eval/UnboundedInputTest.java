package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.Cancellation;
import org.rsafe.util.SourcePos;
import org.rsafe.util.UserException;

/**
 * Records of any length, and gzip data of any inflated size, are read in bounded memory: a record over the limit is a
 * bad row named by its line, gzip data past the cap stops with a message at the line reached, and {@code --limit}
 * stops reading. The long lines are generated streams (1 GiB of one line, never a file on disk); the test JVM has a
 * 2 GiB heap, in which a reader that kept such a line (2 GiB of chars) could not survive.
 */
class UnboundedInputTest {
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    /** A text made of a head, {@code count} copies of one character, and a tail; nothing is held but the counters. */
    static Reader generated(String head, char fill, long count, String tail) {
        return new Reader() {
            private long at;
            private final long total = head.length() + count + tail.length();

            @Override
            public int read(char[] buf, int off, int len) {
                if (at >= total) {
                    return -1;
                }
                int n = (int) Math.min(len, total - at);
                for (int i = 0; i < n; i++, at++) {
                    buf[off + i] = at < head.length() ? head.charAt((int) at)
                            : at < head.length() + count ? fill : tail.charAt((int) (at - head.length() - count));
                }
                return n;
            }

            @Override
            public void close() { }
        };
    }

    private static List<RawRecord> all(RecordSource source) throws IOException {
        List<RawRecord> out = new ArrayList<>();
        try (source) {
            for (RawRecord r = source.next(); r != null; r = source.next()) {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void aJsonLinesLineOfOneGibibyteIsABadRowAndTheNextLineStillReads() throws IOException {
        Reader in = generated("{\"text\":\"a\",\"label\":\"safe\"}\n{\"text\":\"", 'A', GIB,
                "\"}\n{\"text\":\"b\",\"label\":\"unsafe\"}\n");

        List<RawRecord> records = all(new JsonLinesSource(in));

        assertThat(records).hasSize(3);
        assertThat(records.get(0).values()).containsEntry("text", "a");
        assertThat(records.get(1).problem()).satisfies(p -> {
            assertThat(p.rule()).isEqualTo("too-long");
            assertThat(p.pos().line()).isEqualTo(2);
            assertThat(p.message()).contains("longer than 16777216 characters").contains("left out");
            assertThat(p.fatal()).isFalse();
        });
        assertThat(records.get(2).values()).containsEntry("text", "b");
    }

    @Test
    void anUnquotedCsvFieldOfOneGibibyteIsABadRowAtItsRecord() throws IOException {
        Reader in = generated("text,label\nfine,safe\n", 'A', GIB, ",unsafe\nalso fine,unsafe\n");

        List<RawRecord> records = all(new CsvSource(in, ','));

        assertThat(records).hasSize(3);
        assertThat(records.get(1).problem()).satisfies(p -> {
            assertThat(p.rule()).isEqualTo("too-long");
            assertThat(p.pos()).isEqualTo(new SourcePos(3, 1));
        });
        assertThat(records.get(2).values()).containsEntry("text", "also fine");
    }

    @Test
    void aCsvRecordOfManyEmptyFieldsCountsAgainstTheSameLimit() throws IOException {
        // 40 million delimiters would be 40 million empty strings in a list if they were kept
        Reader in = generated("text,label\n", ',', 40_000_000L, "\nok,safe\n");

        List<RawRecord> records = all(new CsvSource(in, ','));

        assertThat(records).hasSize(2);
        assertThat(records.get(0).problem().rule()).isEqualTo("too-long");
        assertThat(records.get(1).values()).containsEntry("text", "ok");
    }

    @Test
    void aJsonArrayElementPastTheLimitStopsTheFileAtThatElement() throws IOException {
        // a nested array of 20 million numbers: each token is small, so only the record limit stops it
        StringBuilder small = new StringBuilder("[{\"text\":\"a\",\"label\":\"safe\"},\n{\"text\":\"b\",\"n\":[");
        Reader in = generated(small.toString(), '1', 0, "");
        Reader numbers = new Reader() {
            private final Reader head = in;
            private boolean headDone;
            private long left = 40_000_000L;

            @Override
            public int read(char[] buf, int off, int len) throws IOException {
                if (!headDone) {
                    int n = head.read(buf, off, len);
                    if (n > 0) {
                        return n;
                    }
                    headDone = true;
                }
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    buf[off + i] = (left - i) % 2 == 0 ? '1' : ',';
                }
                left -= n;
                return n;
            }

            @Override
            public void close() { }
        };
        JsonArraySource source = new JsonArraySource(numbers);
        assertThat(source.begin()).isNull();

        List<RawRecord> records = all(source);

        assertThat(records).hasSize(2);
        assertThat(records.get(0).values()).containsEntry("text", "a");
        assertThat(records.get(1).problem()).satisfies(p -> {
            assertThat(p.rule()).isEqualTo("too-long");
            assertThat(p.fatal()).isTrue();
            assertThat(p.pos().line()).isEqualTo(1);
        });
    }

    @Test
    void aLongLineInAGzippedFileIsABadRowNamedByFileAndLine() throws IOException {
        Path file = dir.resolve("long.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("{\"text\":\"a\",\"label\":\"safe\"}\n{\"text\":\"".getBytes(StandardCharsets.UTF_8));
            byte[] block = "A".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 40; i++) {
                out.write(block);
            }
            out.write("\",\"label\":\"safe\"}\n{\"text\":\"c\",\"label\":\"unsafe\"}\n".getBytes(StandardCharsets.UTF_8));
        }

        Dataset d = DatasetReader.readAll(file, (ColumnMapping) null, BadRowPolicy.SKIP);

        assertThat(d.rows()).extracting(LabelledRow::prompt).containsExactly("a", "c");
        assertThat(d.badRows()).singleElement().satisfies(b -> {
            assertThat(b.format()).startsWith(file + ":2:16777217: error: [too-long] row 2: the line is longer than");
        });
    }

    /** Gzip data of short rows, {@code rows} of them, inflating to about 30 bytes a row. */
    private Path gzipOfShortRows(String name, int rows) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write("text,label\n".getBytes(StandardCharsets.UTF_8));
            byte[] row = "a short harmless row,safe\n".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < rows; i++) {
                out.write(row);
            }
        }
        return file;
    }

    @Test
    void gzipDataInflatingPastTheCapStopsWithAMessageAtTheLineReached() throws IOException {
        Path bomb = gzipOfShortRows("bomb.csv.gz", 400_000);
        String before = System.getProperty(TextInput.MAX_INFLATED_PROPERTY);
        System.setProperty(TextInput.MAX_INFLATED_PROPERTY, Long.toString(1L << 20));
        try {
            assertThatThrownBy(() -> DatasetReader.readAll(bomb, (ColumnMapping) null, BadRowPolicy.SKIP))
                    .isInstanceOf(UserException.class)
                    .satisfies(e -> {
                        UserException u = (UserException) e;
                        assertThat(u.diagnostics()).singleElement().satisfies(d -> {
                            assertThat(d.ruleId()).isEqualTo("gzip-size");
                            assertThat(d.pos().line()).isGreaterThan(40_000).isLessThan(41_000);
                            assertThat(d.message()).contains("more than 1048576 bytes").contains("-D"
                                    + TextInput.MAX_INFLATED_PROPERTY);
                        });
                    });
        } finally {
            restore(before);
        }
    }

    @Test
    void limitStopsReadingSoTheRowsPastItAreNeverInflated() throws IOException {
        Path bomb = gzipOfShortRows("bomb.csv.gz", 400_000);
        String before = System.getProperty(TextInput.MAX_INFLATED_PROPERTY);
        System.setProperty(TextInput.MAX_INFLATED_PROPERTY, Long.toString(1L << 20));
        try {
            BatchSummary s = new BatchRun().run(BatchTestData.engine(), BatchTestData.policy(),
                    BatchConfig.of(bomb, dir.resolve("out")).withLimit(20), BatchListener.NONE, Cancellation.none());

            assertThat(s.rows()).isEqualTo(20);
            assertThat(s.datasetRows()).isEqualTo(20);
            assertThat(Files.readString(dir.resolve("out/report.md"))).contains("reading stopped at --limit 20");
        } finally {
            restore(before);
        }
    }

    private static void restore(String before) {
        if (before == null) {
            System.clearProperty(TextInput.MAX_INFLATED_PROPERTY);
        } else {
            System.setProperty(TextInput.MAX_INFLATED_PROPERTY, before);
        }
    }

    @Test
    void theGeneratorGivesHeadFillAndTail() throws IOException {
        char[] buf = new char[16];
        int n = generated("ab", 'x', 3, "cd").read(buf, 0, 16);
        assertThat(new String(buf, 0, n)).isEqualTo("abxxxcd");
    }
}
