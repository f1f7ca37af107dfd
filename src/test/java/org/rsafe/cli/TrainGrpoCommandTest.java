package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.llm.LocalModel;
import org.rsafe.engine.llm.ModelFolder;
import org.rsafe.train.Checkpoint;
import org.rsafe.train.GrpoConfig;
import org.rsafe.train.GrpoTrainer;
import org.rsafe.train.StepMetrics;
import org.rsafe.train.ToyTask;
import org.rsafe.train.TrainLog;
import org.rsafe.train.TrainingRows;

/** {@code rsafe train grpo} on the toy task: files, flags, and a real kill followed by --resume. */
class TrainGrpoCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) { }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    private Path model;
    private Path data;

    private void toy() throws IOException {
        model = ToyTask.writeModel(dir, "toy", 1);
        data = dir.resolve("train.jsonl");
        TrainingRows.write(data, ToyTask.rows(64));
    }

    /** The toy settings as flags, in TRL's snake case for some and kebab case for others. */
    private static List<String> flags(Map<String, String> settings) {
        List<String> out = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, String> e : settings.entrySet()) {
            out.add(i++ % 2 == 0 ? "--" + e.getKey() : "--" + e.getKey().replace('_', '-'));
            out.add(e.getValue());
        }
        return out;
    }

    private String[] grpo(Path out, Map<String, String> settings, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "grpo", "--model", model.toString(), "--data",
                data.toString(), "--out", out.toString(), "--device", "cpu", "-q"));
        args.addAll(flags(settings));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void grpoWritesTheAdapterTheLogAndCheckpoints() throws IOException {
        toy();
        Path out = dir.resolve("run");
        Map<String, String> s = new LinkedHashMap<>(ToyTask.settings(3, 1));
        s.put("save_steps", "2");

        Run r = run(grpo(out, s));

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("grpo: 3 steps").contains("adapter: " + out);
        assertThat(TrainLog.readAll(out.resolve(TrainLog.FILE_NAME))).extracting(StepMetrics::step).containsExactly(1, 2, 3);
        assertThat(out.resolve("checkpoints").resolve(Checkpoint.folderName(2))).isDirectory();
        assertThat(out.resolve("checkpoints").resolve(Checkpoint.folderName(3))).isDirectory();
        assertThat(Files.readString(out.resolve("grpo_config.json"))).contains("\"num_generations\" : 8");
        try (ModelFolder withAdapter = ModelFolder.open(model, out)) {
            assertThat(withAdapter.adapter()).isPresent();
            assertThat(withAdapter.adapter().orElseThrow().r()).isEqualTo(8);
        }
    }

    @Test
    void badSettingsAreUserErrorsNamingTheKnob() throws IOException {
        toy();

        Run r = run(grpo(dir.resolve("run"), Map.of("num_generations", "3", "per_device_train_batch_size", "4")));

        assertThat(r.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(r.err()).contains("must be a multiple of num_generations");
    }

    @Test
    void aSecondRunIntoTheSameFolderNeedsResume() throws IOException {
        toy();
        Path out = dir.resolve("run");
        assertThat(run(grpo(out, ToyTask.settings(1, 1))).exit()).isZero();

        Run again = run(grpo(out, ToyTask.settings(1, 1)));
        Run changed = run(grpo(out, Map.of("learning_rate", "0.5"), "--resume"));

        assertThat(again.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(again.err()).contains("--resume");
        assertThat(changed.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(changed.err()).contains("GRPO settings differ");
        assertThat(Files.readString(out.resolve("grpo_config.json"))).as("a refused resume leaves the settings alone")
                .contains("\"learning_rate\" : 0.003");
    }

    /** A child JVM running the CLI with the test's class path. */
    private Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "org.rsafe.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + System.nanoTime() + ".log").toFile()).start();
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var s = Files.lines(file)) {
            return s.count();
        }
    }

    @Test
    void aKilledRunResumedWithResumeContinuesExactlyLikeAnUninterruptedOne() throws Exception {
        toy();
        int steps = 10;
        // Eight micro-batches per step make a step slow enough (a few hundred ms) to be killed in the middle.
        Map<String, String> s = new LinkedHashMap<>(ToyTask.settings(steps, 1));
        s.put("gradient_accumulation_steps", "8");
        s.put("save_steps", "1");
        List<StepMetrics> reference = new ArrayList<>();
        try (GrpoTrainer t = GrpoTrainer.start(LocalModel.open(model, null, Device.cpu(), DataType.FLOAT32),
                GrpoConfig.fromSettings(s), TrainingRows.read(data))) {
            while (!t.finished()) {
                reference.add(t.trainStep(Cancellation.none(), GrpoTrainer.Listener.NONE));
            }
        }
        Path out = dir.resolve("run");
        Path log = out.resolve(TrainLog.FILE_NAME);

        Process first = start(grpo(out, s));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (lines(log) < 3 && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
        first.waitFor(30, TimeUnit.SECONDS);
        long stepsBeforeKill = lines(log);
        assertThat(stepsBeforeKill).as("killed in the middle of the run").isBetween(3L, (long) steps - 1);

        Process second = start(grpo(out, Map.of(), "--resume"));
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isZero();

        List<StepMetrics> resumed = TrainLog.readAll(log);
        assertThat(resumed).extracting(StepMetrics::step).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        for (int i = 0; i < steps; i++) {
            assertThat(resumed.get(i).loss()).as("loss of step %d", i + 1).isEqualTo(reference.get(i).loss());
            assertThat(resumed.get(i).reward()).as("reward of step %d", i + 1).isEqualTo(reference.get(i).reward());
            assertThat(resumed.get(i).gradNorm()).as("grad norm of step %d", i + 1).isEqualTo(reference.get(i).gradNorm());
        }
    }
}
