package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.policy.Policy;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.JudgementJson;
import org.rsafe.trace.Verdict;
import org.rsafe.util.UserException;

class BatchRunTest {

    @TempDir
    Path dir;

    private final Policy policy = BatchTestData.policy();

    private BatchConfig config(Path data, String out) {
        return BatchConfig.of(data, dir.resolve(out)).withChunkSize(8);
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            out.add(JudgementJson.mapper().readTree(l));
        }
        return out;
    }

    private static JsonNode json(Path file) throws IOException {
        return JudgementJson.mapper().readTree(Files.readString(file));
    }

    /** Metrics computed directly from the engine, without the batch runner, to check the runner's report against. */
    private MetricsReport expectedMetrics(List<BatchTestData.Row> rows) {
        ScriptedTestEngine engine = BatchTestData.engine();
        List<Prediction> predictions = new ArrayList<>();
        for (BatchTestData.Row r : rows) {
            Judgement j = engine.judge(JudgeRequest.of(policy, r.text()));
            predictions.add(new Prediction(r.id(), Verdict.fromAnswer(r.label()), j.verdict(),
                    r.category().isEmpty() ? List.of() : List.of(r.category()), j.flaggedClauses()));
        }
        return Metrics.compute(predictions, BatchConfig.DEFAULT_SEED);
    }

    @Test
    void progressCountsTheTokensAnEngineStreams() throws IOException {
        List<BatchTestData.Row> rows = BatchTestData.rows(20);
        Path data = BatchTestData.writeCsv(dir, "data.csv", rows);
        List<BatchProgress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        BatchListener listener = new BatchListener() {
            @Override
            public void onProgress(BatchProgress p) {
                seen.add(p);
            }
        };

        new BatchRun().run(BatchTestData.engine().streamingTokens(7), policy, config(data, "out"), listener,
                Cancellation.none());

        BatchProgress last = seen.get(seen.size() - 1);
        assertThat(last.done()).isEqualTo(20);
        assertThat(last.tokens()).isEqualTo(140);
        assertThat(last.render()).contains("140 tokens generated");
        assertThat(seen).allSatisfy(p -> assertThat(p.tokens()).isBetween(0L, 140L));
    }

    @Test
    void anEngineThatStreamsNothingShowsNoTokenCount() throws IOException {
        Path data = BatchTestData.writeCsv(dir, "data.csv", BatchTestData.rows(5));
        List<BatchProgress> seen = new ArrayList<>();
        BatchListener listener = new BatchListener() {
            @Override
            public void onProgress(BatchProgress p) {
                seen.add(p);
            }
        };

        new BatchRun().run(BatchTestData.engine(), policy, config(data, "out"), listener, Cancellation.none());

        assertThat(seen).isNotEmpty().allSatisfy(p -> assertThat(p.render()).doesNotContain("tokens"));
    }

    @Test
    void runAppendsOneResultLinePerRowWithVerdictScoresAndGold() throws IOException {
        List<BatchTestData.Row> rows = BatchTestData.rows(20);
        Path data = BatchTestData.writeCsv(dir, "data.csv", rows);

        BatchSummary s = new BatchRun().run(BatchTestData.engine(), policy, config(data, "out"), BatchListener.NONE, Cancellation.none());

        assertThat(s.cancelled()).isFalse();
        List<JsonNode> lines = lines(dir.resolve("out/results.jsonl"));
        assertThat(lines).hasSize(20);
        JsonNode first = lines.get(0);
        assertThat(first.get("id").asText()).isEqualTo("r0");
        assertThat(first.get("row").asLong()).isEqualTo(1);
        assertThat(first.get("gold").asText()).isEqualTo("unsafe");
        assertThat(first.get("verdict").asText()).isEqualTo("unsafe");
        assertThat(first.get("flagged").toString()).isEqualTo("[\"V\"]");
        assertThat(first.get("clause_scores").get("V").asDouble())
                .isEqualTo(ScriptedTestEngine.scoreOf(rows.get(0).text(), BatchTestData.KEYWORDS.get("V")));
        assertThat(first.get("parse_ok").asBoolean()).isTrue();
        assertThat(first.has("latency_ms")).isTrue();
        assertThat(first.get("prompt_sha256").asText()).hasSize(64);
        assertThat(lines).extracting(n -> n.get("row").asLong())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
    }

    @Test
    void reportJsonHasTheDocumentedShapeAndTheMetricsOfTheRows() throws IOException {
        List<BatchTestData.Row> rows = BatchTestData.rows(40);
        Path data = BatchTestData.writeCsv(dir, "data.csv", rows);

        new BatchRun().run(BatchTestData.engine(), policy, config(data, "out"), BatchListener.NONE, Cancellation.none());

        JsonNode report = json(dir.resolve("out/report.json"));
        assertThat(report.fieldNames()).toIterable()
                .containsExactly("rows", "parse_failures", "error_rows", "metrics", "review", "per_clause", "evidence",
                        "engine", "policy", "dataset");
        assertThat(report.get("review").fieldNames()).toIterable()
                .containsExactly("rows", "unsafe", "safe", "coverage", "as_unsafe", "as_safe");
        assertThat(report.get("review").get("coverage").asDouble()).isEqualTo(1.0);
        assertThat(report.get("metrics").fieldNames()).toIterable()
                .containsExactly("f1", "precision", "recall", "accuracy", "fpr", "kappa", "mcc", "f1_ci95");
        MetricsReport expected = expectedMetrics(rows);
        assertThat(report.get("rows").asInt()).isEqualTo(40);
        assertThat(report.get("parse_failures").asInt()).isZero();
        assertThat(report.get("metrics").get("f1").asDouble()).isEqualTo(expected.f1());
        assertThat(report.get("metrics").get("precision").asDouble()).isEqualTo(expected.precision());
        assertThat(report.get("metrics").get("recall").asDouble()).isEqualTo(expected.recall());
        assertThat(report.get("metrics").get("fpr").asDouble()).isEqualTo(expected.fpr());
        assertThat(report.get("metrics").get("mcc").asDouble()).isEqualTo(expected.mcc());
        assertThat(report.get("metrics").get("f1_ci95").get(0).asDouble()).isEqualTo(expected.f1Ci95()[0]);
        assertThat(report.get("per_clause").fieldNames()).toIterable().containsExactly("F", "V");
        assertThat(report.get("per_clause").get("V").get("support").asInt()).isEqualTo(10);
        assertThat(report.get("engine").get("engine").asText()).isEqualTo("scripted-test");
        assertThat(report.get("policy").get("id").asText()).isEqualTo("test-policy");
        assertThat(report.get("policy").get("version").asText()).isEqualTo("1.0.0");
        assertThat(report.get("policy").get("sha256").asText()).isEqualTo(policy.sha256());
        assertThat(report.get("dataset").get("path").asText()).isEqualTo(data.toString());
        assertThat(report.get("dataset").get("sha256").asText()).isEqualTo(org.rsafe.util.Hashing.sha256(data));
        assertThat(report.get("dataset").get("rows").asLong()).isEqualTo(40);
    }

    @Test
    void reportMarkdownListsMetricsConfusionAndTheMistakesWithIdsAndText() throws IOException {
        Path data = BatchTestData.writeCsv(dir, "data.csv", BatchTestData.rows(16));

        new BatchRun().run(BatchTestData.engine(), policy, config(data, "out"), BatchListener.NONE, Cancellation.none());

        String md = Files.readString(dir.resolve("out/report.md"));
        assertThat(md).contains("| F1 |", "95% CI", "| gold unsafe |", "| gold safe |", "## Per clause");
        // pattern 4 (chess "attack") is the test engine's false positive, pattern 5 ("hurt people") its false negative
        assertThat(md).contains("| r4 | 5 | V |", "the history of the attack move in chess (case 4)");
        assertThat(md).contains("| r5 | 6 | - |", "ways to hurt people quietly (case 5)");
    }

    @Test
    void cancellingKeepsTheFlushedChunksAndWritesNoReport() throws IOException {
        Path data = BatchTestData.writeCsv(dir, "data.csv", BatchTestData.rows(40));
        Cancellation cancel = new Cancellation();
        BatchListener cancelAfterFirstChunk = p -> {
            if (p.done() >= 8) {
                cancel.cancel();
            }
        };

        BatchSummary s = new BatchRun().run(BatchTestData.engine(), policy, config(data, "out"), cancelAfterFirstChunk, cancel);

        assertThat(s.cancelled()).isTrue();
        assertThat(s.done()).isEqualTo(8);
        assertThat(s.cancelMessage()).isEqualTo("cancelled after 8 rows; rerun with --resume to continue");
        assertThat(lines(dir.resolve("out/results.jsonl"))).hasSize(8);
        assertThat(dir.resolve("out/report.json")).doesNotExist();
        assertThat(dir.resolve("out/report.md")).doesNotExist();
    }

    @Test
    void cancellingInsideAChunkDropsOnlyThatUnfinishedChunk() throws IOException {
        Path data = BatchTestData.writeCsv(dir, "data.csv", BatchTestData.rows(40));
        Cancellation cancel = new Cancellation();
        ScriptedTestEngine engine = BatchTestData.engine();
        engine.beforeEachJudgement(() -> {
            if (engine.judgedCount() == 12) {
                cancel.cancel();
            }
        });

        BatchSummary s = new BatchRun().run(engine, policy, config(data, "out"), BatchListener.NONE, cancel);
        BatchSummary resumed = new BatchRun().run(BatchTestData.engine(), policy, config(data, "out").withResume(true),
                BatchListener.NONE, Cancellation.none());

        assertThat(s.cancelled()).isTrue();
        assertThat(s.done()).isEqualTo(8);
        assertThat(resumed.resumed()).isEqualTo(8);
        assertThat(lines(dir.resolve("out/results.jsonl"))).extracting(n -> n.get("row").asLong())
                .doesNotHaveDuplicates().hasSize(40);
    }

    @Test
    void resumeJudgesOnlyTheUnfinishedRowsAndEndsWithTheSameReportAsOneRun() throws IOException {
        List<BatchTestData.Row> rows = BatchTestData.rows(40);
        Path data = BatchTestData.writeCsv(dir, "data.csv", rows);
        Cancellation cancel = new Cancellation();
        new BatchRun().run(BatchTestData.engine(), policy, config(data, "out"), p -> {
            if (p.done() >= 16) {
                cancel.cancel();
            }
        }, cancel);
        ScriptedTestEngine second = BatchTestData.engine();
        List<BatchProgress> progress = new ArrayList<>();

        BatchSummary s = new BatchRun().run(second, policy, config(data, "out").withResume(true), progress::add, Cancellation.none());
        new BatchRun().run(BatchTestData.engine(), policy, config(data, "whole"), BatchListener.NONE, Cancellation.none());

        assertThat(second.judgedCount()).isEqualTo(24);
        assertThat(s.resumed()).isEqualTo(16);
        assertThat(s.judged()).isEqualTo(24);
        assertThat(progress.get(0).skippedResumed()).isEqualTo(16);
        assertThat(progress.get(0).done()).isEqualTo(16);
        List<JsonNode> lines = lines(dir.resolve("out/results.jsonl"));
        assertThat(lines).extracting(n -> n.get("id").asText()).doesNotHaveDuplicates().hasSize(40);
        assertThat(Files.readString(dir.resolve("out/report.json"))).isEqualTo(Files.readString(dir.resolve("whole/report.json"))
                .replace(dir.resolve("whole").toString(), dir.resolve("out").toString()));
    }

    @Test
    void resumeCutsATornLastLineAndJudgesThatRowAgain() throws IOException {
        Path data = BatchTestData.writeCsv(dir, "data.csv", BatchTestData.rows(12));
        new BatchRun().run(BatchTestData.engine(), policy, config(data, "out"), BatchListener.NONE, Cancellation.none());
        Path results = dir.resolve("out/results.jsonl");
        String text = Files.readString(results);
        int lastLineStart = text.lastIndexOf('\n', text.length() - 2) + 1;
        Files.writeString(results, text.substring(0, lastLineStart + 20)); // a kill in the middle of the last write
        ScriptedTestEngine engine = BatchTestData.engine();

        BatchSummary s = new BatchRun().run(engine, policy, config(data, "out").withResume(true), BatchListener.NONE, Cancellation.none());

        assertThat(engine.judgedCount()).isEqualTo(1);
        assertThat(s.tornBytes()).isEqualTo(20);
        assertThat(Files.readString(results)).isEqualTo(text);
    }

    @Test
    void aDamagedLineInsideResultsIsReportedWithItsLineNumber() throws IOException {
        Path data = BatchTestData.writeCsv(dir, "data.csv", BatchTestData.rows(12));
        new BatchRun().run(BatchTestData.engine(), policy, config(data, "out"), BatchListener.NONE, Cancellation.none());
        Path results = dir.resolve("out/results.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(results));
        lines.set(2, "{\"oops\": ");
        Files.write(results, lines);

        assertThatThrownBy(() -> new BatchRun().run(BatchTestData.engine(), policy, config(data, "out").withResume(true),
                BatchListener.NONE, Cancellation.none()))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("results.jsonl:3:1");
    }

    @Test
    void aRunRefusesToOverwriteEarlierResultsWithoutResume() throws IOException {
        Path data = BatchTestData.writeCsv(dir, "data.csv", BatchTestData.rows(8));
        new BatchRun().run(BatchTestData.engine(), policy, config(data, "out"), BatchListener.NONE, Cancellation.none());
        String before = Files.readString(dir.resolve("out/results.jsonl"));

        assertThatThrownBy(() -> new BatchRun().run(BatchTestData.engine(), policy, config(data, "out"),
                BatchListener.NONE, Cancellation.none()))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("--resume").hasMessageContaining("another --out");
        assertThat(Files.readString(dir.resolve("out/results.jsonl"))).isEqualTo(before);
    }

    @Test
    void resumeRefusesWhenThePolicyChanged() throws IOException {
        Path data = BatchTestData.writeCsv(dir, "data.csv", BatchTestData.rows(8));
        Cancellation cancel = new Cancellation();
        new BatchRun().run(BatchTestData.engine(), policy, config(data, "out").withChunkSize(4), p -> {
            if (p.done() > 0) {
                cancel.cancel();
            }
        }, cancel);
        Policy edited = BatchTestData.parse(BatchTestData.POLICY_YAML.replace("version: 1.0.0", "version: 1.0.1"));

        assertThatThrownBy(() -> new BatchRun().run(BatchTestData.engine(), edited, config(data, "out").withResume(true),
                BatchListener.NONE, Cancellation.none()))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("cannot resume").hasMessageContaining("the policy changed");
    }

    @Test
    void resumeRefusesWhenTheDataFileChanged() throws IOException {
        Path data = BatchTestData.writeCsv(dir, "data.csv", BatchTestData.rows(16));
        Cancellation cancel = new Cancellation();
        new BatchRun().run(BatchTestData.engine(), policy, config(data, "out"), p -> {
            if (p.done() > 0) {
                cancel.cancel();
            }
        }, cancel);
        BatchTestData.writeCsv(dir, "data.csv", BatchTestData.rows(17));

        assertThatThrownBy(() -> new BatchRun().run(BatchTestData.engine(), policy, config(data, "out").withResume(true),
                BatchListener.NONE, Cancellation.none()))
                .isInstanceOf(UserException.class).hasMessageContaining("the data file changed");
    }

    @Test
    void resumeRefusesWhenTheEngineSettingsChanged() throws IOException {
        Path data = BatchTestData.writeCsv(dir, "data.csv", BatchTestData.rows(16));
        Cancellation cancel = new Cancellation();
        new BatchRun().run(BatchTestData.engine(), policy, config(data, "out"), p -> {
            if (p.done() > 0) {
                cancel.cancel();
            }
        }, cancel);

        assertThatThrownBy(() -> new BatchRun().run(new ScriptedTestEngine(BatchTestData.KEYWORDS, 0.7), policy,
                config(data, "out").withResume(true), BatchListener.NONE, Cancellation.none()))
                .isInstanceOf(UserException.class).hasMessageContaining("the engine settings changed");
    }

    @Test
    void aRunGivenTheDataDigestRecordsItInsteadOfHashingAgain() throws IOException {
        Path data = BatchTestData.writeCsv(dir, "data.csv", BatchTestData.rows(12));
        String given = "ab".repeat(32);

        new BatchRun().run(BatchTestData.engine(), policy, config(data, "given"), given, BatchListener.NONE,
                Cancellation.none());
        new BatchRun().run(BatchTestData.engine(), policy, config(data, "hashed"), BatchListener.NONE, Cancellation.none());

        assertThat(BatchRunManifest.read(dir.resolve("given/run.json")).datasetSha256()).isEqualTo(given);
        assertThat(BatchRunManifest.read(dir.resolve("hashed/run.json")).datasetSha256())
                .isEqualTo(org.rsafe.util.Hashing.sha256(data));
    }

    @Test
    void resumingWithASmallerLimitCountsOnlyTheEarlierRowsInsideTheNewSelection() throws IOException {
        Path data = BatchTestData.writeCsv(dir, "data.csv", BatchTestData.rows(30));
        new BatchRun().run(BatchTestData.engine(), policy, config(data, "out").withLimit(20), BatchListener.NONE,
                Cancellation.none());

        BatchSummary s = new BatchRun().run(BatchTestData.engine(), policy, config(data, "out").withLimit(12).withResume(true),
                BatchListener.NONE, Cancellation.none());

        assertThat(s.rows()).isEqualTo(12);
        assertThat(s.resumed()).isEqualTo(12);
        assertThat(s.judged()).isZero();
    }

    @Test
    void limitJudgesOnlyTheFirstRowsAndStopsReadingThere() throws IOException {
        Path data = BatchTestData.writeCsv(dir, "data.csv", BatchTestData.rows(30));

        BatchSummary s = new BatchRun().run(BatchTestData.engine(), policy, config(data, "out").withLimit(10),
                BatchListener.NONE, Cancellation.none());

        assertThat(s.rows()).isEqualTo(10);
        assertThat(lines(dir.resolve("out/results.jsonl"))).extracting(n -> n.get("id").asText())
                .containsExactly("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9");
        JsonNode report = json(dir.resolve("out/report.json"));
        assertThat(report.get("rows").asInt()).isEqualTo(10);
        assertThat(report.get("dataset").get("rows").asInt()).isEqualTo(10);
        assertThat(report.get("dataset").get("read_whole_file").asBoolean()).isFalse();
        assertThat(report.get("dataset").get("sha256").asText()).isEqualTo(org.rsafe.util.Hashing.sha256(data));
    }

    @Test
    void rowsWithTheSameIdAreKeptApartByRowNumber() throws IOException {
        List<BatchTestData.Row> rows = new ArrayList<>(BatchTestData.rows(10));
        for (int i = 0; i < rows.size(); i++) {
            BatchTestData.Row r = rows.get(i);
            rows.set(i, new BatchTestData.Row("same", r.text(), r.label(), r.category()));
        }
        Path data = BatchTestData.writeCsv(dir, "data.csv", rows);
        Cancellation cancel = new Cancellation();
        new BatchRun().run(BatchTestData.engine(), policy, config(data, "out").withChunkSize(4), p -> {
            if (p.done() >= 4) {
                cancel.cancel();
            }
        }, cancel);

        BatchSummary s = new BatchRun().run(BatchTestData.engine(), policy, config(data, "out").withResume(true),
                BatchListener.NONE, Cancellation.none());

        assertThat(s.rows()).isEqualTo(10);
        assertThat(lines(dir.resolve("out/results.jsonl"))).extracting(n -> n.get("row").asLong())
                .doesNotHaveDuplicates().hasSize(10);
        assertThat(json(dir.resolve("out/report.json")).get("rows").asInt()).isEqualTo(10);
    }

    @Test
    void progressCountsRowsAgainstTheTotalAndEndsAtTheTotal() throws IOException {
        Path data = BatchTestData.writeCsv(dir, "data.csv", BatchTestData.rows(20));
        List<BatchProgress> seen = new ArrayList<>();
        List<ResultRow> results = new ArrayList<>();
        BatchListener listener = new BatchListener() {
            @Override
            public void onProgress(BatchProgress p) {
                seen.add(p);
            }

            @Override
            public void onResult(ResultRow r) {
                results.add(r);
            }
        };

        new BatchRun().run(BatchTestData.engine(), policy, config(data, "out"), listener, Cancellation.none());

        assertThat(seen).allSatisfy(p -> assertThat(p.total()).isEqualTo(20));
        assertThat(seen).extracting(BatchProgress::done).startsWith(0L, 8L, 16L, 20L).isSorted();
        assertThat(seen.get(seen.size() - 1).rowsPerSecond()).isPositive();
        assertThat(seen.get(seen.size() - 1).eta()).isEqualTo(java.time.Duration.ZERO);
        assertThat(results).hasSize(20);
    }

    @Test
    void parseFailuresAreStoredCountedAndLeftOutOfTheMetrics() throws IOException {
        List<BatchTestData.Row> rows = new ArrayList<>(BatchTestData.rows(8));
        rows.add(new BatchTestData.Row("bad1", "an answer without a box " + ScriptedTestEngine.GARBLED, "unsafe", "V"));
        rows.add(new BatchTestData.Row("bad2", "another " + ScriptedTestEngine.GARBLED, "safe", ""));
        Path data = BatchTestData.writeCsv(dir, "data.csv", rows);

        BatchSummary s = new BatchRun().run(BatchTestData.engine(), policy, config(data, "out"), BatchListener.NONE, Cancellation.none());

        assertThat(s.parseFailures()).isEqualTo(2);
        Map<String, JsonNode> byId = lines(dir.resolve("out/results.jsonl")).stream()
                .collect(Collectors.toMap(n -> n.get("id").asText(), n -> n));
        assertThat(byId.get("bad1").get("parse_ok").asBoolean()).isFalse();
        assertThat(byId.get("bad1").get("verdict").asText()).isEqualTo("unknown");
        JsonNode report = json(dir.resolve("out/report.json"));
        assertThat(report.get("rows").asInt()).isEqualTo(10);
        assertThat(report.get("parse_failures").asInt()).isEqualTo(2);
        assertThat(report.get("metrics").get("f1").asDouble()).isEqualTo(expectedMetrics(BatchTestData.rows(8)).f1());
        assertThat(Files.readString(dir.resolve("out/report.md"))).contains("## Parse failures", "bad1", "bad2");
    }

    @Test
    void unlabelledDataIsRefusedWithAHintAboutTheLabelColumn() throws IOException {
        Path data = dir.resolve("plain.csv");
        Files.writeString(data, "id,text\n1,hello there\n2,how are you\n");

        assertThatThrownBy(() -> new BatchRun().run(BatchTestData.engine(), policy, config(data, "out"),
                BatchListener.NONE, Cancellation.none()))
                .isInstanceOf(UserException.class).hasMessageContaining("--label-col");
    }

    @Test
    void aFileWithoutUsableRowsIsAUserErrorThatSaysWhy() throws IOException {
        Path data = dir.resolve("empty.csv");
        Files.writeString(data, "id,text,label\n1,hello,maybe\n");
        BatchConfig c = config(data, "out").withBadRows(BadRowPolicy.SKIP);

        assertThatThrownBy(() -> new BatchRun().run(BatchTestData.engine(), policy, c, BatchListener.NONE, Cancellation.none()))
                .isInstanceOf(UserException.class).hasMessageContaining("no usable rows").hasMessageContaining("maybe");
    }

    @Test
    void columnOverridesPickTheColumnsDetectionWouldNot() throws IOException {
        Path data = dir.resolve("odd.csv");
        StringBuilder sb = new StringBuilder("key,body,verdict_of_reviewer\n");
        for (BatchTestData.Row r : BatchTestData.rows(8)) {
            sb.append(r.id()).append(',').append(BatchTestData.csv(r.text())).append(',')
              .append(r.label().equals("unsafe") ? "bad" : "good").append('\n');
        }
        Files.writeString(data, sb.toString());
        BatchConfig c = config(data, "out").withOverrides(new MappingOverrides(null, "body", null, "verdict_of_reviewer",
                null, List.of("bad"), List.of("good"), null));

        BatchSummary s = new BatchRun().run(BatchTestData.engine(), policy, c, BatchListener.NONE, Cancellation.none());

        assertThat(s.metrics().f1()).isEqualTo(expectedMetrics(BatchTestData.rows(8)).f1());
        assertThat(Files.readString(dir.resolve("out/run.json"))).contains("body", "verdict_of_reviewer");
    }
}
