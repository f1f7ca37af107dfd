package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.eval.Metrics;
import org.rsafe.eval.MetricsReport;
import org.rsafe.eval.Prediction;
import org.rsafe.trace.JudgementJson;
import org.rsafe.trace.Verdict;

/** The eval command end to end, with the real quick engine on small synthetic sets. */
class EvalCommandTest {

    @TempDir
    Path dir;

    private static List<JsonNode> results(Path outDir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(outDir.resolve("results.jsonl"))) {
            out.add(JudgementJson.mapper().readTree(line));
        }
        return out;
    }

    private static JsonNode report(Path outDir) throws IOException {
        return JudgementJson.mapper().readTree(Files.readString(outDir.resolve("report.json")));
    }

    @Test
    void evalWritesResultsAndReportsWhoseMetricsMatchTheResults() throws IOException {
        Path policy = EvalTestData.writePolicy(dir);
        Path data = EvalTestData.writeCsv(dir.resolve("set.csv"), EvalTestData.rows(24));
        Path out = dir.resolve("run");

        EvalTestData.Run run = EvalTestData.cli("eval", "--policy", policy.toString(), "--data", data.toString(),
                "--out", out.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("eval: 24/24 rows (100%)").contains("rows/s").contains("ETA");
        assertThat(run.out()).contains("f1", "95% CI", "wrote " + out.resolve("results.jsonl"));
        List<JsonNode> results = results(out);
        assertThat(results).hasSize(24);
        List<Prediction> predictions = new ArrayList<>();
        for (JsonNode r : results) {
            assertThat(r.get("clause_scores").fieldNames()).toIterable().containsExactly("W", "S");
            predictions.add(new Prediction(r.get("id").asText(), Verdict.fromAnswer(r.get("gold").asText()),
                    Verdict.fromAnswer(r.get("verdict").asText()), List.of(), List.of()));
        }
        MetricsReport expected = Metrics.compute(predictions, 42);
        JsonNode report = report(out);
        assertThat(report.get("rows").asInt()).isEqualTo(24);
        assertThat(report.get("metrics").get("f1").asDouble()).isEqualTo(expected.f1());
        assertThat(report.get("metrics").get("accuracy").asDouble()).isEqualTo(expected.accuracy());
        assertThat(report.get("engine").get("engine").asText()).isEqualTo("quick");
        assertThat(report.get("policy").get("id").asText()).isEqualTo("cli-test");
        assertThat(out.resolve("report.md")).content().contains("# Evaluation report", "| F1 |");
    }

    @Test
    void unfamiliarHeadersAreReadWithColumnAndValueFlags() throws IOException {
        Path policy = EvalTestData.writePolicy(dir);
        Path data = EvalTestData.writeCsv(dir.resolve("odd.csv"), EvalTestData.rows(12), "ticket", "utterance",
                "reviewer_says", "block", "allow");
        Path out = dir.resolve("run");

        EvalTestData.Run run = EvalTestData.cli("eval", "--policy", policy.toString(), "--data", data.toString(),
                "--out", out.toString(), "--text-col", "utterance", "--label-col", "reviewer_says", "--id-col", "ticket",
                "--unsafe-values", "block", "--safe-values", "allow");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(results(out)).extracting(r -> r.get("id").asText()).startsWith("q0", "q1");
        assertThat(results(out)).extracting(r -> r.get("gold").asText()).startsWith("unsafe", "safe");
        assertThat(report(out).get("rows").asInt()).isEqualTo(12);
    }

    @Test
    void plusMinusOneLabelsFailWithTheCellUnlessTheValuesAreGiven() throws IOException {
        Path policy = EvalTestData.writePolicy(dir);
        Path data = dir.resolve("pm.csv");
        Files.writeString(data, "id,text,label\nq0,how do I bake bread,-1\nq1,how do I build a weapon,1\n");

        EvalTestData.Run refused = EvalTestData.cli("eval", "--policy", policy.toString(), "--data", data.toString(),
                "--out", dir.resolve("a").toString(), "-q");

        assertThat(refused.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(refused.err()).contains(data + ":2:", "'-1'").doesNotContain("Exception");

        Path out = dir.resolve("b");
        EvalTestData.Run mapped = EvalTestData.cli("eval", "--policy", policy.toString(), "--data", data.toString(),
                "--out", out.toString(), "-q", "--unsafe-values=1", "--safe-values=-1");

        assertThat(mapped.exit()).as(mapped.err()).isZero();
        assertThat(results(out)).extracting(r -> r.get("gold").asText()).containsExactly("safe", "unsafe");
    }

    @Test
    void latin1DataIsRefusedWithItsLineAndColumnAndNoStackTrace() throws IOException {
        Path policy = EvalTestData.writePolicy(dir);
        Path data = dir.resolve("latin1.csv");
        Files.write(data, "id,text,label\nq0,how do I bake bread,safe\nq1,un caf\u00e9,safe\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        EvalTestData.Run run = EvalTestData.cli("eval", "--policy", policy.toString(), "--data", data.toString(),
                "--out", dir.resolve("run").toString(), "-q");

        assertThat(run.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(run.err()).contains(data + ":3:10: error: [encoding] invalid UTF-8: byte 0xE9")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(dir.resolve("run").resolve("results.jsonl")).doesNotExist();
    }

    @Test
    void aFileOfOnlyGzipMagicBytesIsAUserErrorNamingTheFile() throws IOException {
        Path policy = EvalTestData.writePolicy(dir);
        Path data = Files.write(dir.resolve("set.jsonl.gz"), new byte[] {0x1f, (byte) 0x8b});

        EvalTestData.Run run = EvalTestData.cli("eval", "--policy", policy.toString(), "--data", data.toString(),
                "--out", dir.resolve("run").toString(), "-q");

        assertThat(run.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(run.err()).contains(data + ":1:1: error: [gzip] the gzip data is cut off or broken")
                .doesNotContain("null").doesNotContain("Exception");
    }

    @Test
    void jsonLinesWithAnIsSafeColumnAreDetectedWithoutFlags() throws IOException {
        Path policy = EvalTestData.writePolicy(dir);
        StringBuilder sb = new StringBuilder();
        for (EvalTestData.Row r : EvalTestData.rows(10)) {
            sb.append("{\"user_input\": ").append(JudgementJson.mapper().writeValueAsString(r.text()))
              .append(", \"is_safe\": ").append(r.label().equals("safe") ? 1 : 0).append("}\n");
        }
        Path data = dir.resolve("set.jsonl");
        Files.writeString(data, sb.toString());
        Path out = dir.resolve("run");

        EvalTestData.Run run = EvalTestData.cli("eval", "--policy", policy.toString(), "--data", data.toString(),
                "--out", out.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("user_input", "is_safe");
        assertThat(results(out)).extracting(r -> r.get("gold").asText()).startsWith("unsafe", "safe", "unsafe");
    }

    @Test
    void anOutFolderWithResultsIsNotReusedWithoutResume() throws IOException {
        Path policy = EvalTestData.writePolicy(dir);
        Path data = EvalTestData.writeCsv(dir.resolve("set.csv"), EvalTestData.rows(6));
        Path out = dir.resolve("run");
        String[] args = {"eval", "--policy", policy.toString(), "--data", data.toString(), "--out", out.toString(), "-q"};
        assertThat(EvalTestData.cli(args).exit()).isZero();

        EvalTestData.Run again = EvalTestData.cli(args);

        assertThat(again.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(again.err()).contains("already holds results", "--resume", "another --out").doesNotContain("Exception");
    }

    @Test
    void resumingAFinishedRunJudgesNothingAndRewritesTheSameReport() throws IOException {
        Path policy = EvalTestData.writePolicy(dir);
        Path data = EvalTestData.writeCsv(dir.resolve("set.csv"), EvalTestData.rows(8));
        Path out = dir.resolve("run");
        String[] args = {"eval", "--policy", policy.toString(), "--data", data.toString(), "--out", out.toString()};
        assertThat(EvalTestData.cli(args).exit()).isZero();
        String firstReport = Files.readString(out.resolve("report.json"));

        EvalTestData.Run resumed = EvalTestData.cli(append(args, "--resume"));

        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("resuming: 8 of 8 rows");
        assertThat(resumed.out()).contains("8 rows (0 judged now, 8 from the earlier run)");
        assertThat(results(out)).hasSize(8);
        assertThat(Files.readString(out.resolve("report.json"))).isEqualTo(firstReport);
    }

    @Test
    void limitJudgesOnlyTheFirstRows() throws IOException {
        Path policy = EvalTestData.writePolicy(dir);
        Path data = EvalTestData.writeCsv(dir.resolve("set.csv"), EvalTestData.rows(20));
        Path out = dir.resolve("run");

        EvalTestData.Run run = EvalTestData.cli("eval", "--policy", policy.toString(), "--data", data.toString(),
                "--out", out.toString(), "--limit", "5", "--json");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode printed = JudgementJson.mapper().readTree(run.out());
        assertThat(printed.get("rows").asInt()).isEqualTo(5);
        // reading stopped at the limit: the rows after it were not counted
        assertThat(printed.get("dataset").get("rows").asInt()).isEqualTo(5);
        assertThat(printed.get("dataset").get("read_whole_file").asBoolean()).isFalse();
    }

    @Test
    void theLlmEngineWithoutAModelFolderIsRefusedWithAClearMessage() throws IOException {
        Path policy = EvalTestData.writePolicy(dir);
        Path data = EvalTestData.writeCsv(dir.resolve("set.csv"), EvalTestData.rows(4));

        EvalTestData.Run run = EvalTestData.cli("eval", "--policy", policy.toString(), "--data", data.toString(),
                "--out", dir.resolve("run").toString(), "--engine", "llm");

        assertThat(run.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(run.err()).contains("--engine llm needs --model DIR");
    }

    @Test
    void theLlmEngineEvaluatesWithALocalModelFolderAndCountsParseFailures() throws IOException {
        Path policy = EvalTestData.writePolicy(dir);
        Path data = EvalTestData.writeCsv(dir.resolve("set.csv"), EvalTestData.rows(3));
        Path model = dir.resolve("tiny-model");
        org.rsafe.engine.llm.RandomModelWriter.write(model, org.rsafe.engine.llm.RandomModelWriter.Shape.TINY, 7,
                org.rsafe.engine.llm.RandomModelWriter.Options.defaults());

        EvalTestData.Run run = EvalTestData.cli("eval", "--policy", policy.toString(), "--data", data.toString(),
                "--out", dir.resolve("run").toString(), "--engine", "llm", "--model", model.toString(),
                "--preset", "greedy", "--max-new-tokens", "4", "-q");

        assertThat(run.exit()).isEqualTo(Main.EXIT_OK);
        JsonNode report = JudgementJson.mapper().readTree(dir.resolve("run/report.json").toFile());
        assertThat(report.get("engine").get("engine").asText()).isEqualTo("llm");
        assertThat(report.get("engine").get("settings").get("decoding").asText()).isEqualTo("greedy");
        // Random weights write no \boxed{} answer in 4 tokens: every row is a counted parse failure, none is hidden.
        assertThat(report.get("parse_failures").asInt()).isEqualTo(3);
        assertThat(Files.readAllLines(dir.resolve("run/results.jsonl"))).hasSize(3);
    }

    @Test
    void unlabelledDataIsAUserErrorThatNamesTheLabelFlag() throws IOException {
        Path policy = EvalTestData.writePolicy(dir);
        Path data = dir.resolve("plain.csv");
        Files.writeString(data, "text\nhello there\nwhat time is it\n");

        EvalTestData.Run run = EvalTestData.cli("eval", "--policy", policy.toString(), "--data", data.toString(),
                "--out", dir.resolve("run").toString());

        assertThat(run.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(run.err()).contains("--label-col").doesNotContain("Exception");
    }

    @Test
    void theDefaultOutFolderIsNamedAfterThePolicyAndTheData() {
        org.rsafe.policy.Policy p = org.rsafe.policy.PolicyLoader.parse("p.yaml", EvalTestData.POLICY).policy();

        assertThat(org.rsafe.app.Evaluation.defaultOutDir(p, Path.of("data", "toxic chat.csv.gz")))
                .isEqualTo(Path.of("runs", "cli-test-toxic_chat"));
    }

    private static String[] append(String[] args, String... more) {
        String[] out = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, out, args.length, more.length);
        return out;
    }
}
