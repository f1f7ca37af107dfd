package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.app.DecodingPreset;
import org.rsafe.app.EngineKind;
import org.rsafe.app.EngineSpec;
import org.rsafe.app.Engines;
import org.rsafe.engine.Engine;
import org.rsafe.engine.llm.RandomModelWriter;
import org.rsafe.engine.remote.FakeOpenAiServer;
import org.rsafe.engine.remote.ServerKind;
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

    @Test
    void theRemoteEngineWithDefaultFlagsIsTheSameSpecAsTheGuiPickerWithItsDefaults() {
        EngineChoice choice = guiChoice();
        choice.engineKindProperty().set(EngineKind.REMOTE);
        choice.endpointProperty().set("http://127.0.0.1:8000/v1");
        choice.remoteModelProperty().set("rsafe-7b");

        assertThat(choice.spec()).isEqualTo(cli("--engine", "remote", "--endpoint", "http://127.0.0.1:8000/v1",
                "--model", "rsafe-7b"));
        assertThat(choice.spec().remote().serverKind()).isEqualTo(EngineSpec.DEFAULT_SERVER_KIND);
    }

    @Test
    void theRemoteEngineWithEveryPickerFieldSetIsTheSameSpecAsTheCliWithTheSameFlags() {
        EngineChoice choice = guiChoice();
        choice.engineKindProperty().set(EngineKind.REMOTE);
        choice.endpointProperty().set("https://gpu-box:8443/v1");
        choice.remoteModelProperty().set("rsafe-7b");
        choice.apiKeyEnvProperty().set("RSAFE_SERVER_KEY");
        choice.serverKindProperty().set(ServerKind.SGLANG);
        choice.decodingProperty().set(DecodingPreset.GREEDY);
        choice.maxCompletionLengthProperty().set(256);

        assertThat(choice.spec()).isEqualTo(cli("--engine", "remote", "--endpoint", "https://gpu-box:8443/v1",
                "--model", "rsafe-7b", "--api-key-env", "RSAFE_SERVER_KEY", "--server-kind", "sglang",
                "--preset", "greedy", "--max-new-tokens", "256"));
    }

    @Test
    void localModelSettingsLeftInThePickerAreNoPartOfTheRemoteSpec() {
        EngineChoice choice = guiChoice();
        choice.modelFolderProperty().set(dir.resolve("qwen"));
        choice.adapterFolderProperty().set(dir.resolve("grpo-run"));
        choice.deviceProperty().set("gpu");
        choice.engineKindProperty().set(EngineKind.REMOTE);
        choice.endpointProperty().set("http://127.0.0.1:8000/v1");
        choice.remoteModelProperty().set("rsafe-7b");

        assertThat(choice.spec()).isEqualTo(cli("--engine", "remote", "--endpoint", "http://127.0.0.1:8000/v1",
                "--model", "rsafe-7b"));
    }

    @Test
    void aRemoteEngineOpenedFromEitherFaceHasTheSameIdentityAndRunKey() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            EngineChoice choice = guiChoice();
            choice.engineKindProperty().set(EngineKind.REMOTE);
            choice.endpointProperty().set(server.url());
            choice.remoteModelProperty().set("rsafe-7b");

            EngineIdentity fromGui;
            EngineIdentity fromCli;
            try (Engine gui = Engines.open(choice.spec()); Engine cli = Engines.open(cli("--engine", "remote",
                    "--endpoint", server.url(), "--model", "rsafe-7b"))) {
                fromGui = gui.identity();
                fromCli = cli.identity();
            }
            assertThat(fromGui).isEqualTo(fromCli);
            assertThat(fromGui.engine()).isEqualTo("remote");
            assertThat(RunStore.engineKey(fromGui)).isEqualTo(RunStore.engineKey(fromCli));
        }
    }
}
