package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.trace.Verdict;
import org.rsafe.util.UserException;

class StreamingTest {

    @TempDir
    Path dir;

    @Test
    void rowsBeforeAMalformedTailAreYieldedBeforeTheTailIsReached() throws IOException {
        int good = 5000;
        StringBuilder sb = new StringBuilder("id,text,label\n");
        for (int i = 1; i <= good; i++) {
            sb.append(i).append(",text ").append(i).append(',').append(i % 2).append('\n');
        }
        sb.append("broken,\"this quote never closes,1\n");
        Path file = TestFiles.write(dir, "tail.csv", sb.toString());

        try (DatasetReader r = DatasetReader.open(file, (ColumnMapping) null, BadRowPolicy.FAIL)) {
            assertThat(r.next().id()).isEqualTo("1");
            for (int i = 2; i <= good; i++) {
                assertThat(r.next().id()).isEqualTo(Integer.toString(i));
            }
            assertThatThrownBy(r::hasNext).isInstanceOfSatisfying(UserException.class, e ->
                    assertThat(e.lines()).singleElement().asString().startsWith(file + ":" + (good + 2) + ":8: error: [csv-quote]"));
        }
    }

    @Test
    void jsonArrayIsReadElementByElement() throws IOException {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 1; i <= 3000; i++) {
            sb.append("{\"text\": \"t").append(i).append("\", \"label\": \"safe\"},\n");
        }
        sb.append("{\"text\": \"cut off");
        Path file = TestFiles.write(dir, "tail.json", sb.toString());

        try (DatasetReader r = DatasetReader.open(file, (ColumnMapping) null, BadRowPolicy.FAIL)) {
            List<LabelledRow> seen = new ArrayList<>();
            assertThatThrownBy(() -> r.forEachRemaining(seen::add)).isInstanceOf(UserException.class);
            assertThat(seen).hasSize(3000);
            assertThat(seen.get(2999).prompt()).isEqualTo("t3000");
        }
    }

    /**
     * A million rows (about 60 MB) through a JVM with a 32 MB heap: reading must not keep rows. Runs in a child
     * JVM because the test JVM's heap is large.
     */
    @Test
    @Tag("slow")
    void aMillionRowsStreamThroughASmallHeap() throws Exception {
        Path file = dir.resolve("million.csv");
        int n = 1_000_000;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("id,prompt,response,label,categories\n");
            for (int i = 0; i < n; i++) {
                w.write("r" + i + ",\"prompt number " + i + ", with a comma and \"\"quotes\"\"\",some response text,"
                        + (i % 3 == 0 ? "unsafe" : "safe") + ",S" + (i % 7) + "\n");
            }
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                StreamingProbe.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        String output;
        boolean finished = p.waitFor(5, TimeUnit.MINUTES);
        output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(finished).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        int unsafe = (n + 2) / 3;
        assertThat(output).startsWith("rows=" + n + " unsafe=" + unsafe + " safe=" + (n - unsafe));
    }

    /** The child process of the heap test: counts the rows of a file and prints the counts and the time taken. */
    static final class StreamingProbe {
        public static void main(String[] args) throws IOException {
            long start = System.nanoTime();
            long rows = 0;
            long unsafe = 0;
            try (DatasetReader r = DatasetReader.open(Path.of(args[0]), (ColumnMapping) null, BadRowPolicy.FAIL)) {
                while (r.hasNext()) {
                    LabelledRow row = r.next();
                    rows++;
                    if (row.gold() == Verdict.UNSAFE) {
                        unsafe++;
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String line = "rows=" + rows + " unsafe=" + unsafe + " safe=" + (rows - unsafe)
                    + String.format(java.util.Locale.ROOT, " seconds=%.2f", seconds);
            System.out.println(line);
        }
    }
}
