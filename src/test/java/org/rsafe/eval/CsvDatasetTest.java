package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.rsafe.eval.TestFiles.rows;
import static org.rsafe.eval.TestFiles.write;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rsafe.trace.Verdict;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.SourcePos;
import org.rsafe.util.UserException;

class CsvDatasetTest {

    @TempDir
    Path dir;

    @Test
    void readsBomCrlfAndAQuotedFieldSpanningLinesWithQuotesAndDelimiters() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bytes.write(("id,prompt,label\r\n"
                + "a1,\"She said \"\"hi, there\"\"\r\nthen left; ok\",unsafe\r\n"
                + "a2,plain text,safe\r\n").getBytes(StandardCharsets.UTF_8));
        Path file = TestFiles.writeBytes(dir, "bom.csv", bytes.toByteArray());

        List<LabelledRow> rows = rows(file);

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).id()).isEqualTo("a1");
        assertThat(rows.get(0).prompt()).isEqualTo("She said \"hi, there\"\r\nthen left; ok");
        assertThat(rows.get(0).gold()).isEqualTo(Verdict.UNSAFE);
        assertThat(rows.get(0).line()).isEqualTo(2);
        assertThat(rows.get(1).line()).isEqualTo(4);
        assertThat(rows.get(1).rowNumber()).isEqualTo(2);
        assertThat(rows.get(1).gold()).isEqualTo(Verdict.SAFE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            semicolon | 'id;text;label\\n1;"a, b; c";1\\n2;d, e;0\\n'
            tab       | 'id\\ttext\\tlabel\\n1\\t"a, b\\tc"\\t1\\n2\\td, e; f\\t0\\n'
            comma     | 'id,text,label\\n1,"a; b\\tc",1\\n2,d; e,0\\n'
            """)
    void sniffsTheDelimiterOutsideQuotes(String name, String content) throws IOException {
        Path file = write(dir, name + ".csv", content.replace("\\n", "\n").replace("\\t", "\t"));

        List<LabelledRow> rows = rows(file);

        assertThat(rows).extracting(LabelledRow::gold).containsExactly(Verdict.UNSAFE, Verdict.SAFE);
        assertThat(rows.get(1).prompt()).startsWith("d").contains(" e");
    }

    @Test
    void lastRowIsReadWithOrWithoutATrailingNewline() throws IOException {
        Path without = write(dir, "a.csv", "text,label\nx,1\ny,0");
        Path with = write(dir, "b.csv", "text,label\nx,1\ny,0\n");

        assertThat(rows(without)).extracting(LabelledRow::prompt).containsExactly("x", "y");
        assertThat(rows(with)).extracting(LabelledRow::prompt).containsExactly("x", "y");
    }

    @Test
    void blankLinesAreSkippedAndLineNumbersStayTrue() throws IOException {
        Path file = write(dir, "blank.csv", "\ntext,label\n\nx,1\n   \n\ny,0\n\n");

        List<LabelledRow> rows = rows(file);

        assertThat(rows).extracting(LabelledRow::line).containsExactly(4L, 7L);
        assertThat(rows).extracting(LabelledRow::rowNumber).containsExactly(1L, 2L);
        assertThat(rows).extracting(LabelledRow::id).containsExactly("row-1", "row-2");
    }

    @Test
    void aLoneCarriageReturnInsideUnquotedTextDoesNotEndTheRecord() throws IOException {
        Path file = write(dir, "cr.csv", "text,label\nab\r\rcd,1\r\nnext,0\n");

        List<LabelledRow> rows = rows(file);

        assertThat(rows).extracting(LabelledRow::prompt).containsExactly("ab\r\rcd", "next");
    }

    @Test
    void otherColumnsAreKeptAsExtra() throws IOException {
        Path file = write(dir, "extra.csv", "prompt,label,source,lang\nx,safe,web,en\n");

        LabelledRow row = rows(file).get(0);

        assertThat(row.extra()).containsExactly(java.util.Map.entry("source", "web"), java.util.Map.entry("lang", "en"));
        assertThat(row.response()).isNull();
    }

    @Test
    void wrongFieldCountIsReportedAtTheExtraFieldOrTheEndOfTheRecord() throws IOException {
        Path file = write(dir, "fields.csv", "id,text,label\n1,ok,1\n2,too,many,0\n3,few\n4,fine,0\n");

        try (DatasetReader r = DatasetReader.open(file, (ColumnMapping) null, BadRowPolicy.SKIP)) {
            List<LabelledRow> rows = new ArrayList<>();
            r.forEachRemaining(rows::add);

            assertThat(rows).extracting(LabelledRow::id).containsExactly("1", "4");
            assertThat(r.badRows()).extracting(Diagnostic::pos)
                    .containsExactly(new SourcePos(3, 12), new SourcePos(4, 6));
            assertThat(r.badRows().get(0).format())
                    .isEqualTo(file + ":3:12: error: [csv-fields] row 2: expected 3 fields as in the header, found 4");
        }
    }

    @Test
    void failPolicyStopsAtTheFirstBadRowWithItsPosition() throws IOException {
        Path file = write(dir, "fail.csv", "id,text,label\n1,ok,1\n2,too,many,0\n");

        try (DatasetReader r = DatasetReader.open(file, (ColumnMapping) null, BadRowPolicy.FAIL)) {
            assertThat(r.next().id()).isEqualTo("1");
            assertThatThrownBy(r::next).isInstanceOfSatisfying(UserException.class, e ->
                    assertThat(e.diagnostics()).singleElement().satisfies(d -> {
                        assertThat(d.file()).isEqualTo(file.toString());
                        assertThat(d.pos()).isEqualTo(new SourcePos(3, 12));
                    }));
        }
    }

    @Test
    void unterminatedQuoteAtEndOfFileIsReportedWhereTheQuoteOpens() throws IOException {
        Path file = write(dir, "quote.csv", "text,label\nfine,1\n\"never closed,0\nmore\n");

        try (DatasetReader r = DatasetReader.open(file, (ColumnMapping) null, BadRowPolicy.SKIP)) {
            List<LabelledRow> rows = new ArrayList<>();
            r.forEachRemaining(rows::add);

            assertThat(rows).extracting(LabelledRow::prompt).containsExactly("fine");
            assertThat(r.badRows()).singleElement().satisfies(d -> {
                assertThat(d.pos()).isEqualTo(new SourcePos(3, 1));
                assertThat(d.ruleId()).isEqualTo("csv-quote");
                assertThat(d.message()).contains("unterminated quote");
            });
        }
    }

    @Test
    void strayQuoteInALargeFileStopsAtTheFieldLimitInsteadOfReadingEverything() throws IOException {
        StringBuilder sb = new StringBuilder("text,label\nok,1\n\"stray,1\n");
        String line = "x".repeat(99) + "\n";
        while (sb.length() < org.rsafe.eval.CsvSource.MAX_FIELD_CHARS + 1000) {
            sb.append(line);
        }
        Path file = write(dir, "stray.csv", sb.toString());

        Dataset d = DatasetReader.readAll(file, (ColumnMapping) null, BadRowPolicy.SKIP);

        assertThat(d.rows()).hasSize(1);
        assertThat(d.badRows()).singleElement().satisfies(b -> {
            assertThat(b.pos()).isEqualTo(new SourcePos(3, 1));
            assertThat(b.message()).contains("runs past 16777216 characters");
        });
    }

    @Test
    void missingTextIsABadRowAtTheTextColumn() throws IOException {
        Path file = write(dir, "empty.csv", "id,prompt,label\n1,,safe\n2,   ,safe\n3,ok,safe\n");

        Dataset d = DatasetReader.readAll(file, (ColumnMapping) null, BadRowPolicy.SKIP);

        assertThat(d.rows()).extracting(LabelledRow::id).containsExactly("3");
        assertThat(d.badRows()).extracting(Diagnostic::pos).containsExactly(new SourcePos(2, 3), new SourcePos(3, 3));
        assertThat(d.badRows().get(0).message()).contains("missing text in column 'prompt'");
    }

    @Test
    void unrecognisedLabelValueListsTheValuesThatAreUnderstood() throws IOException {
        Path file = write(dir, "labels.csv", "prompt,label\nx,unsafe\ny,maybe\n");

        try (DatasetReader r = DatasetReader.open(file, (ColumnMapping) null, BadRowPolicy.FAIL)) {
            r.next();
            assertThatThrownBy(r::next).isInstanceOfSatisfying(UserException.class, e -> {
                Diagnostic d = e.diagnostics().get(0);
                assertThat(d.pos()).isEqualTo(new SourcePos(3, 3));
                assertThat(d.message()).contains("'maybe'", "column 'label'", "unsafe = unsafe, harmful",
                        "safe = safe, unharmful", "--unsafe-values");
            });
        }
    }

    @Test
    void minusOneLabelIsAnErrorAtItsCellNotUnsafe() throws IOException {
        Path file = write(dir, "pm.csv", "prompt,label\nx,1\ny,-1\n");

        try (DatasetReader r = DatasetReader.open(file, (ColumnMapping) null, BadRowPolicy.FAIL)) {
            assertThat(r.next().gold()).isEqualTo(Verdict.UNSAFE);
            assertThatThrownBy(r::next).isInstanceOfSatisfying(UserException.class, e -> {
                assertThat(e.diagnostics().get(0).pos()).isEqualTo(new SourcePos(3, 3));
                assertThat(e.lines().get(0)).startsWith(file + ":3:3: error: [label-value]").contains("'-1'");
            });
        }
    }

    @Test
    void emptyFileIsAUserErrorAtLineOne() throws IOException {
        Path file = write(dir, "nothing.csv", "");

        assertThatThrownBy(() -> DatasetReader.open(file, (ColumnMapping) null, BadRowPolicy.FAIL))
                .isInstanceOfSatisfying(UserException.class, e ->
                        assertThat(e.lines()).containsExactly(file + ":1:1: error: [empty-file] the file is empty: expected a header line"));
    }

    @Test
    void missingFileIsAUserError() {
        Path file = dir.resolve("absent.csv");

        assertThatThrownBy(() -> DatasetReader.open(file, (ColumnMapping) null, BadRowPolicy.FAIL))
                .isInstanceOf(UserException.class).hasMessageContaining("no such file");
    }

    @Test
    void gzipIsUndoneWhateverTheFileIsCalled() throws IOException {
        String csv = "text,label\nx,1\ny,0\n";
        Path named = TestFiles.gzip(dir, "data.csv.gz", csv);
        Path unnamed = TestFiles.gzip(dir, "data.csv", csv);

        assertThat(rows(named)).extracting(LabelledRow::prompt).containsExactly("x", "y");
        assertThat(rows(unnamed)).extracting(LabelledRow::prompt).containsExactly("x", "y");
    }

    @Test
    void readAllRecordsTheHashOfTheFileBytes() throws IOException {
        Path file = write(dir, "h.csv", "text,label\nx,1\n");

        Dataset d = DatasetReader.readAll(file, (ColumnMapping) null, BadRowPolicy.FAIL);

        assertThat(d.sha256()).isEqualTo(org.rsafe.util.Hashing.sha256(file));
        assertThat(d.unsafeCount()).isEqualTo(1);
    }

    @Test
    void previewGivesRawValuesOfTheFirstRows() throws IOException {
        Path file = write(dir, "p.csv", "a,b\n1,2\n3,4\n5,6\n");

        assertThat(DatasetReader.preview(file, 2)).containsExactly(
                java.util.Map.of("a", "1", "b", "2"), java.util.Map.of("a", "3", "b", "4"));
    }
}
