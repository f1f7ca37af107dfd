package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rsafe.trace.Verdict;

/**
 * The shared benchmark files (read at test time from {@code rsafe.sharedData}, never copied into the project) load
 * with auto-detected columns and give the row and label counts their README states; the raw originals they were
 * made from give the same counts.
 */
class SharedBenchmarksTest {

    private static Path shared() {
        String dir = System.getProperty("rsafe.sharedData");
        assumeTrue(dir != null && Files.isDirectory(Path.of(dir)), "shared data folder not available");
        return Path.of(dir);
    }

    private static Dataset load(Path file) {
        assumeTrue(Files.isRegularFile(file), file + " not available");
        return DatasetReader.readAll(file, (ColumnMapping) null, BadRowPolicy.FAIL);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            openai_moderation,        1680, 522,  1158, false
            xstest,                   450,  200,  250,  false
            simplesafetytests,        100,  100,  0,    false
            jailbreakbench_behaviors, 200,  100,  100,  false
            beavertails_test,         3021, 1733, 1288, true
            harmbench_response,       602,  273,  329,  true
            """)
    void benchmarkCsvLoadsWithNoFlags(String name, int rows, int unsafe, int safe, boolean responseLevel) {
        Dataset d = load(shared().resolve("benchmarks").resolve(name + ".csv"));

        assertThat(d.badRows()).isEmpty();
        assertThat(d.rows()).hasSize(rows);
        assertThat(d.unsafeCount()).isEqualTo(unsafe);
        assertThat(d.safeCount()).isEqualTo(safe);
        assertThat(d.mapping()).isEqualTo(ColumnMapping.standard());
        assertThat(d.rows()).allSatisfy(r -> assertThat(r.responseLevel()).isEqualTo(responseLevel));
        assertThat(d.rows()).extracting(LabelledRow::id).doesNotHaveDuplicates();
    }

    @Test
    void rawOpenAiModerationFlagsGiveTheSameLabelsAndCategoriesAsTheNormalisedCsv() {
        Path root = shared();
        Dataset raw = load(root.resolve("raw/openai_moderation/samples-1680.jsonl.gz"));
        Dataset csv = load(root.resolve("benchmarks/openai_moderation.csv"));

        assertThat(raw.mapping().labels().flagColumns()).containsExactly("S", "H", "V", "HR", "SH", "S3", "H2", "V2");
        assertThat(raw.badRows()).isEmpty();
        assertThat(raw.rows()).hasSize(1680);
        assertThat(raw.unsafeCount()).isEqualTo(522);
        assertThat(raw.safeCount()).isEqualTo(1158);
        for (int i = 0; i < raw.rows().size(); i++) {
            LabelledRow a = raw.rows().get(i);
            LabelledRow b = csv.rows().get(i);
            assertThat(a.gold()).isEqualTo(b.gold());
            assertThat(a.categories()).containsExactlyInAnyOrderElementsOf(b.categories());
        }
        Map<String, Long> perCategory = raw.rows().stream().flatMap(r -> r.categories().stream())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(perCategory).containsEntry("S", 237L).containsEntry("H", 162L).containsEntry("V2", 24L);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            beavertails_test/0_A_beaver_tails.json,          beavertails_test,   1733, 1288
            harmbench_response/0_5_harmbench_response.json,  harmbench_response, 273,  329
            """)
    void rawGuardReasonerJsonArrayGivesTheSameRowsAsTheNormalisedCsv(String rawPath, String name, int unsafe, int safe) {
        Path root = shared();
        Dataset raw = load(root.resolve("raw").resolve(rawPath));
        Dataset csv = load(root.resolve("benchmarks").resolve(name + ".csv"));

        assertThat(raw.badRows()).isEmpty();
        assertThat(raw.mapping().textColumn()).isEqualTo("input");
        assertThat(raw.mapping().labelColumn()).isEqualTo("output");
        assertThat(raw.mapping().splitTranscript()).isTrue();
        assertThat(raw.unsafeCount()).isEqualTo(unsafe);
        assertThat(raw.safeCount()).isEqualTo(safe);
        List<LabelledRow> a = raw.rows();
        List<LabelledRow> b = csv.rows();
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).gold()).isEqualTo(b.get(i).gold());
            assertThat(a.get(i).prompt().strip()).isEqualTo(b.get(i).prompt().strip());
            assertThat(a.get(i).response()).isNotNull();
        }
    }

    @Test
    void rawXsTestCsvReadsItsLabelColumn() {
        Dataset raw = load(shared().resolve("raw/xstest/xstest_prompts.csv"));

        assertThat(raw.rows()).hasSize(450);
        assertThat(raw.unsafeCount()).isEqualTo(200);
        assertThat(raw.rows()).extracting(LabelledRow::gold).doesNotContainNull().doesNotContain(Verdict.UNKNOWN);
    }
}
