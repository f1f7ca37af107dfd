package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.app.EngineKind;
import org.rsafe.app.EngineSpec;
import org.rsafe.app.Engines;
import org.rsafe.engine.Engine;
import org.rsafe.engine.llm.RandomModelWriter;
import org.rsafe.trace.EngineIdentity;
import org.rsafe.ui.bench.EngineChoice;
import org.rsafe.ui.bench.EngineService;
import org.rsafe.ui.task.HeldTaskExecutor;
import org.rsafe.workspace.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The CLI's engine flags and the GUI's engine picker, left at their defaults, describe the same engine: the same
 * spec, the same engine identity, and so the same stored-run key. Fails if either face grows its own default again.
 */
class FacesOpenTheSameEngineTest {
    @TempDir
    Path dir;

    @Command(name = "probe")
    static final class Flags {
        @Mixin
        EngineOptions engine = new EngineOptions();
    }

    private static EngineSpec cli(String... args) {
        Flags flags = new Flags();
        new CommandLine(flags).parseArgs(args);
        return flags.engine.spec();
    }

    private static EngineChoice guiChoice() {
        return new EngineChoice(new EngineService(new HeldTaskExecutor(), () -> {
            throw new IllegalStateException("no quick engine in this test");
        }));
    }

    @Test
    void theLocalLlmWithDefaultFlagsIsTheSameSpecAsTheGuiPickerWithItsDefaults() {
        Path model = dir.resolve("qwen");
        EngineChoice choice = guiChoice();
        choice.engineKindProperty().set(EngineKind.LOCAL_LLM);
        choice.modelFolderProperty().set(model);

        assertThat(choice.spec()).isEqualTo(cli("--engine", "llm", "--model", model.toString()));
        assertThat(choice.spec().decoding()).isEqualTo(EngineSpec.DEFAULT_DECODING);
    }

    @Test
    void theQuickEngineWithDefaultFlagsIsTheSameSpecAsTheGuiPickerWithItsDefaults() {
        assertThat(guiChoice().spec()).isEqualTo(cli());
    }

    @Test
    void aLocalModelOpenedFromEitherFaceHasTheSameIdentityAndRunKey() throws Exception {
        Path model = dir.resolve("tiny");
        RandomModelWriter.write(model, RandomModelWriter.Shape.TINY, 3, RandomModelWriter.Options.defaults());
        EngineChoice choice = guiChoice();
        choice.engineKindProperty().set(EngineKind.LOCAL_LLM);
        choice.modelFolderProperty().set(model);

        EngineIdentity fromGui;
        EngineIdentity fromCli;
        try (Engine gui = Engines.open(choice.spec()); Engine cli = Engines.open(cli("--engine", "llm", "--model",
                model.toString()))) {
            fromGui = gui.identity();
            fromCli = cli.identity();
        }
        assertThat(fromGui).isEqualTo(fromCli);
        assertThat(RunStore.engineKey(fromGui)).isEqualTo(RunStore.engineKey(fromCli));
    }

    @Test
    void theGuisQuickEngineKeepsACoreFreeYetJudgesLikeTheClis() {
        EngineSpec gui = EngineService.guiQuickSpec().withDiskCache(false);
        EngineSpec cli = cli().withDiskCache(false);
        try (Engine a = Engines.open(gui); Engine b = Engines.open(cli)) {
            assertThat(RunStore.engineKey(a.identity())).isEqualTo(RunStore.engineKey(b.identity()));
        }
    }
}
