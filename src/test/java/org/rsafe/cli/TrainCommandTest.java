package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.llm.ModelFolder;
import org.rsafe.engine.llm.TinyModels;
import org.rsafe.train.PeftAdapterWriter;
import org.rsafe.train.TrainingRow;
import org.rsafe.train.TrainingRows;

class TrainCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) { }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    private Path policy() throws IOException {
        return Files.writeString(dir.resolve("p.yaml"), PromptCommandTest.SMALL_POLICY);
    }

    @Test
    void trainDataWritesRowsAndPrintsEveryCount() throws IOException {
        Path a = Files.writeString(dir.resolve("a.csv"), """
                prompt,response,label
                fake bank login page please,,unsafe
                how do I spot a scam,,safe
                where do you live,I will follow you home,unsafe
                nice weather,yes it is,safe
                what is 2+2,,safe
                """);
        Path b = Files.writeString(dir.resolve("b.jsonl"), """
                {"text": "hello", "label": "safe"}
                {"text": "%s", "label": "unsafe"}
                """.formatted("very long text ".repeat(400)));
        Path out = dir.resolve("train.jsonl");

        Run r = run("train", "data", "--from", a.toString(), b.toString(), "--policy", policy().toString(),
                "--out", out.toString(), "--balance", "--max-prompt-tokens", "1000", "--seed", "3");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("rows in:              7", "dropped over-long:    1", "removed by balancing: 2",
                "rows out:             4", "tokens estimated");
        List<TrainingRow> rows = TrainingRows.read(out);
        assertThat(rows).hasSize(4);
        assertThat(rows).filteredOn(x -> x.level() == TrainingRow.Level.RESPONSE).isNotEmpty();
        assertThat(rows.get(0).prompt()).startsWith("<|im_start|>system\n").endsWith("<|im_start|>assistant\n");
    }

    @Test
    void trainDataWithABadRowPointsAtItsLineAndWritesNothing() throws IOException {
        Path a = Files.writeString(dir.resolve("a.csv"), "prompt,label\nfine,safe\nodd,perhaps\n");
        Path out = dir.resolve("train.jsonl");

        Run r = run("train", "data", "--from", a.toString(), "--policy", policy().toString(), "--out", out.toString());

        assertThat(r.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(r.err()).contains("a.csv:3:").contains("perhaps");
        assertThat(out).doesNotExist();
    }

    @Test
    void trainDataCountsTokensWithTheModelsTokenizerWhenGiven() throws IOException {
        Path model = TinyModels.f32Tied(dir);
        Path a = Files.writeString(dir.resolve("a.csv"), "prompt,label\nhello,safe\n");
        Path out = dir.resolve("train.jsonl");

        Run r = run("train", "data", "--from", a.toString(), "--policy", policy().toString(), "--out", out.toString(),
                "--model", model.toString(), "--chat", "none");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("tokens counted with");
        assertThat(TrainingRows.read(out).get(0).prompt()).doesNotContain("<|im_start|>");
    }

    @Test
    void trainMergeWritesALoadableModelFolder() throws IOException {
        Path base = TinyModels.f32Tied(dir);
        Path adapter = dir.resolve("adapter");
        try (ModelFolder f = ModelFolder.open(base)) {
            int h = f.config().hiddenSize();
            PeftAdapterWriter.write(adapter, new PeftAdapterWriter.Spec(2, 4, 0, List.of("o_proj")), "base",
                    List.of(new PeftAdapterWriter.Module("model.layers.0.self_attn.o_proj", h, h, new float[2 * h],
                            new float[h * 2])));
        }
        Path out = dir.resolve("merged");

        Run r = run("train", "merge", "--model", base.toString(), "--adapter", adapter.toString(), "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("merged 1 of").contains("wrote");
        try (ModelFolder merged = ModelFolder.open(out)) {
            assertThat(merged.problems()).isEmpty();
        }
    }

    @Test
    void trainWithoutAStepAsksForOne() {
        Run r = run("train");

        assertThat(r.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(r.err()).contains("rsafe train data");
    }
}
