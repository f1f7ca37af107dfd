package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.rsafe.eval.TestFiles.rows;
import static org.rsafe.eval.TestFiles.write;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.trace.Verdict;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.SourcePos;
import org.rsafe.util.UserException;

class JsonDatasetTest {

    @TempDir
    Path dir;

    @Test
    void readsJsonLinesWithNumbersBooleansAndArrays() throws IOException {
        Path file = write(dir, "d.jsonl", """
                {"id": 7, "question": "q one", "answer": "a one", "is_harmful": true, "categories": ["S1", "S3"]}

                {"id": 8, "question": "q two", "answer": null, "is_harmful": false, "note": {"k": 1}}
                """);

        List<LabelledRow> rows = rows(file);

        assertThat(rows).extracting(LabelledRow::id).containsExactly("7", "8");
        assertThat(rows).extracting(LabelledRow::gold).containsExactly(Verdict.UNSAFE, Verdict.SAFE);
        assertThat(rows.get(0).response()).isEqualTo("a one");
        assertThat(rows.get(0).categories()).containsExactly("S1", "S3");
        assertThat(rows.get(1).response()).isNull();
        assertThat(rows.get(1).line()).isEqualTo(3);
        assertThat(rows.get(1).extra()).containsEntry("note", "{\"k\":1}");
    }

    @Test
    void readsAJsonArrayOfObjectsWithElementLines() throws IOException {
        Path file = write(dir, "d.json", """
                [
                  {"text": "first", "label": "harmful"},
                  {"text": "second",
                   "label": "unharmful"}
                ]
                """);

        List<LabelledRow> rows = rows(file);

        assertThat(rows).extracting(LabelledRow::prompt).containsExactly("first", "second");
        assertThat(rows).extracting(LabelledRow::gold).containsExactly(Verdict.UNSAFE, Verdict.SAFE);
        assertThat(rows).extracting(LabelledRow::line).containsExactly(2L, 3L);
    }

    @Test
    void formatComesFromContentWhenTheNameSaysNothing() throws IOException {
        Path array = write(dir, "array.txt", "[{\"text\": \"a\", \"label\": 1}]");
        Path lines = write(dir, "lines.data", "{\"text\": \"a\", \"label\": 1}\n{\"text\": \"b\", \"label\": 0}\n");
        Path jsonLines = write(dir, "lines.json", "{\"text\": \"a\", \"label\": 1}\n");

        try (DatasetReader a = DatasetReader.open(array, (ColumnMapping) null, BadRowPolicy.FAIL);
             DatasetReader l = DatasetReader.open(lines, (ColumnMapping) null, BadRowPolicy.FAIL);
             DatasetReader j = DatasetReader.open(jsonLines, (ColumnMapping) null, BadRowPolicy.FAIL)) {
            assertThat(a.format()).isEqualTo(DataFormat.JSON_ARRAY);
            assertThat(l.format()).isEqualTo(DataFormat.JSONL);
            assertThat(j.format()).isEqualTo(DataFormat.JSONL);
        }
    }

    @Test
    void gzippedJsonLinesAreRead() throws IOException {
        Path file = TestFiles.gzip(dir, "d.jsonl.gz", "{\"prompt\": \"p\", \"label\": \"unsafe\"}\n");

        assertThat(rows(file)).extracting(LabelledRow::gold).containsExactly(Verdict.UNSAFE);
    }

    @Test
    void invalidJsonLineIsABadRowWithLineAndColumnAndTheNextLineStillReads() throws IOException {
        Path file = write(dir, "bad.jsonl", """
                {"text": "a", "label": 1}
                {"text": "b", "label": 1,,}
                ["not", "an", "object"]
                {"text": "c", "label": 0}
                """);

        try (DatasetReader r = DatasetReader.open(file, (ColumnMapping) null, BadRowPolicy.SKIP)) {
            List<LabelledRow> rows = new ArrayList<>();
            r.forEachRemaining(rows::add);

            assertThat(rows).extracting(LabelledRow::prompt).containsExactly("a", "c");
            assertThat(r.badRows()).extracting(Diagnostic::pos).containsExactly(new SourcePos(2, 26), new SourcePos(3, 1));
            assertThat(r.badRows()).extracting(Diagnostic::ruleId).containsExactly("json-syntax", "json-row");
            assertThat(r.badRows().get(1).message()).contains("expected a JSON object on this line, found an array");
        }
    }

    @Test
    void arrayElementThatIsNotAnObjectIsSkippedButBrokenJsonEndsTheFile() throws IOException {
        Path file = write(dir, "bad.json", "[{\"text\": \"a\", \"label\": 1},\n 42,\n {\"text\": \"b\", \"label\": 0},\n {\"text\": }]");

        try (DatasetReader r = DatasetReader.open(file, (ColumnMapping) null, BadRowPolicy.SKIP)) {
            List<LabelledRow> rows = new ArrayList<>();
            r.forEachRemaining(rows::add);

            assertThat(rows).extracting(LabelledRow::prompt).containsExactly("a", "b");
            assertThat(r.badRows()).extracting(Diagnostic::pos).containsExactly(new SourcePos(2, 2), new SourcePos(4, 11));
            assertThat(r.badRows().get(1).message()).contains("invalid JSON", "rest of the file cannot be read");
        }
    }

    @Test
    void fileThatIsNotAJsonArrayOrObjectsIsAUserError() throws IOException {
        Path file = write(dir, "scalar.json", "[1, 2");
        Path truncated = write(dir, "cut.json", "[{\"text\": \"a\", \"label\": 1},\n");

        assertThat(DatasetReader.preview(file, 5)).isEmpty();
        try (DatasetReader r = DatasetReader.open(truncated, (ColumnMapping) null, BadRowPolicy.FAIL)) {
            assertThat(r.next().prompt()).isEqualTo("a");
            assertThatThrownBy(r::next).isInstanceOf(UserException.class).hasMessageContaining("invalid JSON")
                    .hasMessageContaining("cut.json:2:1:");
        }
    }

    @Test
    void jsonFileWithoutRecordsIsAUserError() throws IOException {
        Path empty = write(dir, "empty.jsonl", "\n\n");
        Path emptyArray = write(dir, "empty.json", "[ ]");

        assertThatThrownBy(() -> DatasetReader.open(empty, (ColumnMapping) null, BadRowPolicy.FAIL))
                .isInstanceOf(UserException.class).hasMessageContaining("holds no records");
        assertThatThrownBy(() -> DatasetReader.open(emptyArray, (ColumnMapping) null, BadRowPolicy.FAIL))
                .isInstanceOf(UserException.class).hasMessageContaining("holds no records");
    }

    @Test
    void flagColumnsMakeARowUnsafeWhenAnyIsOne() throws IOException {
        Path file = write(dir, "flags.jsonl", """
                {"prompt": "a", "S": 0, "H": 1, "V": 1}
                {"prompt": "b", "S": 0, "H": 0}
                {"prompt": "c", "S": 0, "H": 0, "V": 0}
                """);

        try (DatasetReader r = DatasetReader.open(file, (ColumnMapping) null, BadRowPolicy.FAIL)) {
            List<LabelledRow> rows = new ArrayList<>();
            r.forEachRemaining(rows::add);

            assertThat(r.mapping().labels().flagColumns()).containsExactly("S", "H", "V");
            assertThat(rows).extracting(LabelledRow::gold).containsExactly(Verdict.UNSAFE, Verdict.SAFE, Verdict.SAFE);
            assertThat(rows.get(0).categories()).containsExactly("H", "V");
            assertThat(r.notes()).anyMatch(n -> n.contains("unsafe if any of the 0/1 columns [S, H, V]"));
        }
    }

    @Test
    void flagColumnWithANonFlagValueIsABadRow() throws IOException {
        Path file = write(dir, "flags.jsonl", "{\"prompt\": \"a\", \"S\": 0, \"H\": 1}\n{\"prompt\": \"b\", \"S\": 0.7, \"H\": 0}\n");

        Dataset d = DatasetReader.readAll(file, MappingOverrides.NONE.withFlagColumns(List.of("S", "H")),
                BadRowPolicy.SKIP);

        assertThat(d.rows()).hasSize(1);
        assertThat(d.badRows()).singleElement().satisfies(b -> {
            assertThat(b.pos()).isEqualTo(new SourcePos(2, 22));
            assertThat(b.message()).contains("flag column 'S' holds '0.7'");
        });
    }
}
