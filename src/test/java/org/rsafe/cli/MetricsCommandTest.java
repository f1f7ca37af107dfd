package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCommandTest {

    /** Gold: 6 unsafe (a–f), 6 safe (g–l). */
    private static final String GOLD = """
            id,prompt,response,label,categories,source
            a,p,,unsafe,U1,t
            b,p,,unsafe,U1,t
            c,p,,unsafe,U2,t
            d,p,,unsafe,U2,t
            e,p,,unsafe,U1,t
            f,p,,unsafe,U2,t
            g,p,,safe,,t
            h,p,,safe,,t
            i,p,,safe,,t
            j,p,,safe,,t
            k,p,,safe,,t
            l,p,,safe,,t
            """;

    /** tp = a,b,c; fn = d,e; fp = g; tn = h,i,j,k; parse failures f (unsafe) and l (safe). */
    private static final String PRED = """
            id,verdict,flagged_clauses
            a,unsafe,U1
            b,unsafe,U1
            c,unsafe,U1
            d,safe,
            e,safe,
            f,unknown,
            g,unsafe,U2
            h,safe,
            i,safe,
            j,safe,
            k,safe,
            l,,
            """;

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) { }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void metricsPrintsATextTable() throws IOException {
        Run run = run("metrics", "--data", file("gold.csv", GOLD).toString(), "--pred", file("pred.csv", PRED).toString());

        assertThat(run.exit()).as(run.err()).isZero();
        // tp=3 fp=1 tn=4 fn=2: precision 3/4, recall 3/5, F1 6/9, kappa 0.4 (see MetricsTest for the arithmetic)
        assertThat(run.out())
                .contains("missing predictions: 0")
                .contains("parse failures   2 (16.67%, excluded from the metrics below)")
                .contains("precision        0.7500")
                .contains("recall           0.6000")
                .contains("f1               0.6667  95% CI [")
                .contains("kappa            0.4000")
                .contains("mcc              0.4082")
                .containsPattern("U1 +3 +2 +1 +1");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void metricsPrintsJsonWithTheReportShape() throws IOException {
        Run run = run("metrics", "--json", "--seed", "7", "--data", file("gold.csv", GOLD).toString(),
                "--pred", file("pred.csv", PRED).toString());

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("rows").asInt()).isEqualTo(12);
        assertThat(json.get("parse_failures").asInt()).isEqualTo(2);
        assertThat(json.get("missing_predictions").asInt()).isZero();
        assertThat(json.at("/confusion/tp").asInt()).isEqualTo(3);
        assertThat(json.at("/metrics/f1").asDouble()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(json.at("/metrics/fpr").asDouble()).isCloseTo(0.2, within(1e-12));
        assertThat(json.at("/metrics/f1_ci95")).hasSize(2);
        assertThat(json.at("/per_clause/U1/support").asInt()).isEqualTo(3);
        assertThat(json.at("/bootstrap/seed").asLong()).isEqualTo(7);
        Run again = run("metrics", "--json", "--seed", "7", "--data", dir.resolve("gold.csv").toString(),
                "--pred", dir.resolve("pred.csv").toString());
        assertThat(again.out()).isEqualTo(run.out());
    }

    @Test
    void missingPredictionsAreAnErrorUnlessAllowed() throws IOException {
        String partial = PRED.lines().filter(l -> !l.startsWith("k,")).reduce("", (a, b) -> a + b + "\n");
        Path gold = file("gold.csv", GOLD);
        Path pred = file("pred.csv", partial);

        Run refused = run("metrics", "--data", gold.toString(), "--pred", pred.toString());
        Run allowed = run("metrics", "--data", gold.toString(), "--pred", pred.toString(), "--allow-missing");

        assertThat(refused.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(refused.err()).contains("1 gold row(s) have no prediction (first: k)", "--allow-missing");
        assertThat(allowed.exit()).isZero();
        assertThat(allowed.out()).contains("missing predictions: 1 (left out)").contains("rows             11");
    }

    @Test
    void badGoldRowFailsWithItsPositionOrIsSkippedOnRequest() throws IOException {
        Path gold = file("gold.csv", GOLD.replace("h,p,,safe,,t", "h,p,,perhaps,,t"));
        Path pred = file("pred.csv", PRED);

        Run failed = run("metrics", "--data", gold.toString(), "--pred", pred.toString());
        Run skipped = run("metrics", "--data", gold.toString(), "--pred", pred.toString(), "--on-bad-row", "skip");

        assertThat(failed.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(failed.err()).startsWith(gold + ":9:6: error: [label-value] row 8: unrecognised label value 'perhaps'");
        assertThat(skipped.exit()).isZero();
        assertThat(skipped.err()).contains(gold + ":9:6:");
        assertThat(skipped.out()).contains("bad rows skipped: 1").contains("rows             11");
    }

    @Test
    void dataOptionsOverrideDetectedColumnsAndLabelValues() throws IOException {
        Path gold = file("gold.tsv", "key\tsay\tmark\nx\thi\tBAD\ny\tyo\tGOOD\n");
        Path pred = file("pred.jsonl", "{\"id\": \"x\", \"verdict\": \"unsafe\"}\n{\"id\": \"y\", \"verdict\": \"unsafe\"}\n");

        Run run = run("metrics", "--json", "--data", gold.toString(), "--pred", pred.toString(), "--id-col", "key",
                "--text-col", "say", "--label-col", "mark", "--unsafe-values", "bad", "--safe-values", "good");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.at("/confusion/tp").asInt()).isEqualTo(1);
        assertThat(json.at("/confusion/fp").asInt()).isEqualTo(1);
    }

    @Test
    void unknownBadRowPolicyIsAFlagError() throws IOException {
        Run run = run("metrics", "--data", file("gold.csv", GOLD).toString(), "--pred", file("pred.csv", PRED).toString(),
                "--on-bad-row", "ignore");

        assertThat(run.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(run.err()).contains("expected skip or fail");
    }

    @Test
    void unlabelledGoldIsRefused() throws IOException {
        Run run = run("metrics", "--data", file("gold.csv", "prompt\nhello\n").toString(),
                "--pred", file("pred.csv", PRED).toString());

        assertThat(run.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(run.err()).contains("no label column found");
    }

    @Test
    void withThePolicyTheDatasCategoryNamesCountForItsClauses() throws IOException {
        Path gold = Files.writeString(dir.resolve("gold.csv"), GOLD.replace(",U1,", ",Violence,")
                .replace(",U2,", ",Weapons,"));
        Path pred = Files.writeString(dir.resolve("pred.csv"), PRED);

        Run plain = run("metrics", "--data", gold.toString(), "--pred", pred.toString(), "--json");
        Run mapped = run("metrics", "--data", gold.toString(), "--pred", pred.toString(), "--json",
                "--policy", "policies/rsafe-default.yaml");

        assertThat(plain.exit()).isZero();
        assertThat(mapped.exit()).isZero();
        JsonNode before = new ObjectMapper().readTree(plain.out()).path("per_clause");
        JsonNode after = new ObjectMapper().readTree(mapped.out());
        assertThat(before.has("Violence")).isTrue();     // without the policy the names stay apart from clause ids
        assertThat(after.path("per_clause").has("Violence")).isFalse();
        assertThat(after.path("per_clause").path("U1").path("tp").asInt()).isEqualTo(2);
        assertThat(after.path("gold_categories").path("mapped").path("Weapons").asText()).isEqualTo("U2");
    }
}
