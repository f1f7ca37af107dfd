package org.rsafe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.cli.TrainCommand;
import org.rsafe.engine.llm.DeviceChoice;
import org.rsafe.train.GrpoConfig;
import org.rsafe.train.GrpoRun;
import org.rsafe.ui.task.DirectTaskExecutor;
import org.rsafe.ui.training.TrainingViewModel;
import org.rsafe.ui.workspace.WorkbenchHome;
import picocli.CommandLine;

/**
 * {@code rsafe train grpo} and the Training tab, given the same inputs, ask for the same GRPO run: the same options
 * reach {@link GrpoRun} and the same settings come out. Fails when one face grows a default of its own.
 */
class TrainingFacesTest {
    @TempDir
    Path dir;

    private Path model() {
        return dir.resolve("model");
    }

    private Path data() {
        return dir.resolve("train.jsonl");
    }

    private Path out() {
        return dir.resolve("run");
    }

    private GrpoRun.Options fromCli(String... flags) {
        CommandLine cl = new CommandLine(new TrainCommand());
        String[] args = new String[flags.length + 7];
        String[] fixed = {"grpo", "--model", model().toString(), "--data", data().toString(), "--out", out().toString()};
        System.arraycopy(fixed, 0, args, 0, fixed.length);
        System.arraycopy(flags, 0, args, fixed.length, flags.length);
        cl.parseArgs(args);
        TrainCommand.Grpo grpo = cl.getSubcommands().get("grpo").getCommand();
        return Training.options(grpo.request());
    }

    private TrainingViewModel form() {
        TrainingViewModel vm = new TrainingViewModel(new DirectTaskExecutor(), new WorkbenchHome(dir.resolve("home")));
        vm.modelDirProperty().set(model().toString());
        vm.dataFileProperty().set(data().toString());
        vm.outDirProperty().set(out().toString());
        return vm;
    }

    @Test
    void untouchedFormAndBareCommandAskForTheSameRun() {
        GrpoRun.Options cli = fromCli();
        GrpoRun.Options gui = Training.options(form().request());

        assertThat(gui).isEqualTo(cli);
        assertThat(cli.device()).isEqualTo(DeviceChoice.parse(Training.DEFAULT_DEVICE));
        assertThat(cli.dtype()).isNull();
        assertThat(cli.overrides()).isEmpty();
    }

    @Test
    void formFieldsAndMoreSettingsGiveTheSameOptionsAndSettingsAsTheFlags() {
        GrpoRun.Options cli = fromCli("--device", "cpu", "--num-generations", "8", "--learning_rate", "0.003",
                "--max-steps", "2", "--max-completion-length", "256", "--save_steps", "10", "--beta", "0.04");
        TrainingViewModel vm = form();
        vm.deviceProperty().set("cpu");
        vm.knob("num_generations").set("8");
        vm.knob("learning_rate").set("0.003");
        vm.knob("max_steps").set("2");
        vm.knob("beta").set("0.04");
        vm.moreSettingsProperty().set("max-completion-length=256; save_steps=10");

        GrpoRun.Options gui = Training.options(vm.request());

        assertThat(gui).isEqualTo(cli);
        assertThat(GrpoConfig.fromSettings(gui.overrides())).isEqualTo(GrpoConfig.fromSettings(cli.overrides()));
        assertThat(cli.overrides()).containsEntry("max_completion_length", "256").containsEntry("save_steps", "10");
    }

    @Test
    void aResumeCarriesOnlyTheSettingsGivenForIt() {
        GrpoRun.Options cli = fromCli("--resume", "--save-steps", "5", "--logging_steps", "2");
        TrainingViewModel vm = form();
        vm.resumeProperty().set(true);
        vm.moreSettingsProperty().set("save_steps=5; logging-steps=2");

        GrpoRun.Options gui = Training.options(vm.request());

        assertThat(gui).isEqualTo(cli);
        assertThat(cli.resume()).isTrue();
        assertThat(cli.overrides()).isEqualTo(Map.of("save_steps", "5", "logging_steps", "2"));
    }
}
