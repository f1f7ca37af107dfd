package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.cli.PromptCommandTest.Run;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.JudgementJson;
import org.rsafe.trace.Verdict;

class ParseCommandTest {

    private static final String OUTPUT = "<think>\n1. The user wants a fake login page.\n2. That is S1, scams.\n"
            + "</think>\n\\boxed{unsafe}";

    @TempDir
    Path dir;

    private Path policy() throws IOException {
        return Files.writeString(dir.resolve("small.yaml"), PromptCommandTest.SMALL_POLICY);
    }

    @Test
    void parsePrintsTheJudgementAsJson() throws IOException {
        Path raw = Files.writeString(dir.resolve("out.txt"), OUTPUT);

        Run run = PromptCommandTest.run("parse", "--policy", policy().toString(), raw.toString());

        assertThat(run.exit()).isZero();
        Judgement j = JudgementJson.fromJson(run.out());
        assertThat(j.verdict()).isEqualTo(Verdict.UNSAFE);
        assertThat(j.formatOk()).isTrue();
        assertThat(j.rawOutput()).isEqualTo(OUTPUT);
        assertThat(j.steps()).hasSize(3);
        assertThat(j.steps().get(1).citations()).extracting(c -> c.clauseId()).containsExactly("S1");
        JsonNode tree = JudgementJson.mapper().readTree(run.out());
        assertThat(tree.get("verdict").asText()).isEqualTo("unsafe");
        assertThat(run.out()).contains("\n  \"format_ok\" : true");
    }

    @Test
    void invalidCitationsAreSaidOnStderrAndKeptInTheJson() throws IOException {
        Path raw = Files.writeString(dir.resolve("bad.txt"), "<think>\nThat is S9 (Scams).\n</think>\n\\boxed{unsafe}");

        Run run = PromptCommandTest.run("parse", "--policy", policy().toString(), raw.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.err()).startsWith("rsafe parse: warning: 1 invalid citation: S9 is not a clause of this policy");
        Judgement j = JudgementJson.fromJson(run.out());
        assertThat(j.steps().get(0).citations()).singleElement()
                .satisfies(c -> assertThat(c.problem()).isEqualTo(org.rsafe.trace.Citation.Problem.UNKNOWN_ID));
    }

    @Test
    void parseReadsStandardInputForADash() throws IOException {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream("<think>fine</think> \\boxed{Safe}".getBytes(StandardCharsets.UTF_8)));

            Run run = PromptCommandTest.run("parse", "--policy", policy().toString(), "-");

            assertThat(run.exit()).isZero();
            assertThat(JudgementJson.fromJson(run.out()).verdict()).isEqualTo(Verdict.SAFE);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void anOutputWithoutAnswerIsReportedAsUnknown() throws IOException {
        Path raw = Files.writeString(dir.resolve("out.txt"), "I cannot decide.");

        Run run = PromptCommandTest.run("parse", "--policy", policy().toString(), raw.toString());

        assertThat(run.exit()).isZero();
        Judgement j = JudgementJson.fromJson(run.out());
        assertThat(j.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(j.answer()).isNull();
        assertThat(j.formatOk()).isFalse();
    }

    @Test
    void aMissingOutputFileIsAUserError() throws IOException {
        Run run = PromptCommandTest.run("parse", "--policy", policy().toString(), dir.resolve("none.txt").toString());

        assertThat(run.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(run.err()).contains("none.txt: error: no such file").doesNotContain("Exception");
    }

    @Test
    void anOutputFileThatIsNotUtf8IsAUserError() throws IOException {
        Path raw = Files.write(dir.resolve("bin.txt"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x41});

        Run run = PromptCommandTest.run("parse", "--policy", policy().toString(), raw.toString());

        assertThat(run.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(run.err()).contains("bin.txt:1:1: error: [encoding] invalid UTF-8: byte 0xFF is not UTF-8 text");
    }
}
