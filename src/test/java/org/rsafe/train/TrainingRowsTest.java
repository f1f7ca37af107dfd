package org.rsafe.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.trace.Verdict;
import org.rsafe.util.UserException;

class TrainingRowsTest {
    @TempDir
    Path dir;

    @Test
    void rowsSurviveAWriteAndReadUnchanged() throws IOException {
        List<TrainingRow> rows = List.of(
                new TrainingRow("a:1", "line one\n\"quoted\" \u2011", Verdict.UNSAFE, TrainingRow.Level.PROMPT, "a.csv", "u", null),
                new TrainingRow("a:2", "p", Verdict.SAFE, TrainingRow.Level.RESPONSE, "a.csv", "u2", "reply"));
        Path file = dir.resolve("train.jsonl");

        TrainingRows.write(file, rows);

        assertThat(TrainingRows.read(file)).isEqualTo(rows);
        assertThat(Files.readAllLines(file).get(0)).startsWith("{\"id\":\"a:1\",\"prompt\":").doesNotContain("response");
    }

    @Test
    void readingReportsEveryBadLineWithItsLineNumber() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.jsonl"), """
                {"id":"x","prompt":"p","label":"safe"}
                {"id":"y","prompt":"p","label":"maybe"}
                not json
                {"id":"x","prompt":"p","label":"unsafe"}
                {"id":"z","label":"unsafe"}
                """);

        assertThatThrownBy(() -> TrainingRows.read(file)).isInstanceOfSatisfying(UserException.class, e ->
                assertThat(e.lines()).hasSize(4).anySatisfy(l -> assertThat(l).contains("bad.jsonl:2:1").contains("maybe"))
                        .anySatisfy(l -> assertThat(l).contains("bad.jsonl:3:"))
                        .anySatisfy(l -> assertThat(l).contains("bad.jsonl:4:1").contains("appears twice"))
                        .anySatisfy(l -> assertThat(l).contains("bad.jsonl:5:1").contains("\"prompt\"")));
    }

    @Test
    void aRowWithoutLevelTakesItFromTheResponseField() throws IOException {
        Path file = Files.writeString(dir.resolve("t.jsonl"), "{\"id\":\"x\",\"prompt\":\"p\",\"label\":\"SAFE\",\"response\":\"r\"}\n");

        assertThat(TrainingRows.read(file).get(0).level()).isEqualTo(TrainingRow.Level.RESPONSE);
    }
}
