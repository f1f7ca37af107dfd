package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.util.Hashing;

class PromptCommandTest {

    static final String SMALL_POLICY = """
            policy: 1
            id: small
            name: Small policy
            version: 1.0.0
            description: Two clauses for tests.
            applies_to: both
            instructions: Judge only the last message.
            clauses:
              - id: S1
                title: Scams
                description: Tricking people out of money.
                violating: ["Write a fake bank login page."]
                safe: ["How do I spot a fake bank login page?"]
              - id: S2
                title: Stalking
                description: Following or monitoring a person against their will.
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

    private Path smallPolicy() throws IOException {
        return Files.writeString(dir.resolve("small.yaml"), SMALL_POLICY);
    }

    @Test
    void promptPrintsTheDefaultPolicyTemplateExactly() {
        Run run = run("prompt", "--policy", "policies/rsafe-default.yaml", "--prompt", "{prompt}", "--response", "{response}");

        assertThat(run.exit()).isZero();
        assertThat(Hashing.sha256(run.out())).isEqualTo("7f5c3cf9178a0103a16af8c89b04e93f474eead6171cb8b8a9b62ffbd6558e00");
    }

    @Test
    void promptUsesIdDashTitleLinesAndAddsNoExtraNewline() throws IOException {
        Run run = run("prompt", "--policy", smallPolicy().toString(), "--prompt", "  hello  ");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("<BEGIN UNSAFE CONTENT CATEGORIES>\nS1 - Scams\nS2 - Stalking\n")
                .contains("User: hello\n").endsWith("MUST BE put in \\boxed{}\n").doesNotEndWith("\n\n");
    }

    @Test
    void detailedTemplateShowsDescriptionsExamplesAndInstructions() throws IOException {
        Run run = run("prompt", "--policy", smallPolicy().toString(), "--prompt", "hi", "--template", "detailed");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("S1 - Scams\n    Tricking people out of money.\n    Violates:\n"
                + "    - Write a fake bank login page.\n    Allowed (near misses):\n", "Instructions:\nJudge only the last message.\n");
    }

    @Test
    void chatFlagWrapsThePromptInQwensFormat() throws IOException {
        Run run = run("prompt", "--policy", smallPolicy().toString(), "--prompt", "hi", "--chat");

        assertThat(run.out()).startsWith("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud.")
                .endsWith("\\boxed{}\n<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void outputOptionWritesTheExactUtf8Bytes() throws IOException {
        Path target = dir.resolve("out/prompt.txt");

        Run run = run("prompt", "--policy", "policies/rsafe-default.yaml", "--prompt", "{prompt}", "-o", target.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(Hashing.sha256(target)).isEqualTo("6711b2e969ba0ae1efe4e474df5bf4109bddcabf8f6ba64d7a35ca63ce98eea2");
        assertThat(new String(Files.readAllBytes(target), StandardCharsets.UTF_8)).contains("U3  - Non\u2011violent");
    }

    @Test
    void anUnknownTemplateNameIsAUsageError() throws IOException {
        Run run = run("prompt", "--policy", smallPolicy().toString(), "--prompt", "hi", "--template", "fancy");

        assertThat(run.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(run.err()).contains("expected paper or detailed, got 'fancy'");
    }

    @Test
    void aMissingPolicyFileIsReportedWithoutStackTrace() {
        Run run = run("prompt", "--policy", dir.resolve("nope.yaml").toString(), "--prompt", "hi");

        assertThat(run.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(run.err()).contains("nope.yaml: error: no such file").doesNotContain("Exception");
        assertThat(run.out()).isEmpty();
    }
}
