package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.rsafe.app.EngineKind;
import org.rsafe.app.EngineSpec;
import org.rsafe.engine.DecodingSettings;
import org.rsafe.engine.remote.RemoteEngineOptions;
import org.rsafe.engine.remote.ServerKind;
import org.rsafe.util.UserException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The remote engine's flags become the one engine spec, and the spec the remote engine's options. */
class RemoteEngineFlagsTest {

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

    @Test
    void everyRemoteFlagLandsInTheSpecAndModelIsAName() {
        EngineSpec spec = cli("--engine", "remote", "--endpoint", "http://gpu-box:8000", "--model", "Nannanzi/RSafe",
                "--api-key-env", "VLLM_KEY", "--server-kind", "vllm", "--concurrency", "32", "--connect-timeout", "3",
                "--read-timeout", "600", "--preset", "greedy", "--max-new-tokens", "256");

        assertThat(spec.kind()).isEqualTo(EngineKind.REMOTE);
        assertThat(spec.model()).as("no local folder").isNull();
        assertThat(spec.remote()).isEqualTo(new EngineSpec.Remote("http://gpu-box:8000", "Nannanzi/RSafe", "VLLM_KEY",
                ServerKind.VLLM, 32, Duration.ofSeconds(3), Duration.ofSeconds(600)));
        assertThat(spec.problem()).isEmpty();
        assertThat(spec.summary())
                .isEqualTo("Remote server · Nannanzi/RSafe @ gpu-box:8000 · vllm · greedy · max 256 tokens");

        RemoteEngineOptions o = spec.remoteOptions();
        assertThat(o.endpoint()).hasToString("http://gpu-box:8000/v1");
        assertThat(o.model()).isEqualTo("Nannanzi/RSafe");
        assertThat(o.apiKeyEnv()).isEqualTo("VLLM_KEY");
        assertThat(o.serverKind()).isEqualTo(ServerKind.VLLM);
        assertThat(o.concurrency()).isEqualTo(32);
        assertThat(o.readTimeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(o.decoding()).isEqualTo(DecodingSettings.greedyPreset().withMaxNewTokens(256));
    }

    @Test
    void leftOutFlagsKeepTheSpecDefaultsAndThePaperPreset() {
        EngineSpec spec = cli("--engine", "remote", "--endpoint", "http://127.0.0.1:8000/v1");

        assertThat(spec.remote()).isEqualTo(EngineSpec.Remote.DEFAULTS.withEndpoint("http://127.0.0.1:8000/v1"));
        assertThat(spec).isEqualTo(EngineSpec.remote("http://127.0.0.1:8000/v1"));
        assertThat(spec.remote().serverKind()).isEqualTo(ServerKind.AUTO);
        assertThat(spec.remoteOptions().decoding())
                .isEqualTo(DecodingSettings.paper());
        assertThat(spec.summary()).isEqualTo("Remote server · the server's model @ 127.0.0.1:8000 · auto · "
                + "paper sampling · max 512 tokens");
    }

    @Test
    void theLocalEngineStillTakesModelAsAFolder() {
        EngineSpec spec = cli("--engine", "llm", "--model", "models/qwen");
        assertThat(spec.model()).hasToString("models/qwen");
        assertThat(spec.remote()).isEqualTo(EngineSpec.Remote.DEFAULTS);
    }

    @Test
    void aMissingOrMalformedEndpointIsNamedAsTheProblem() {
        assertThat(cli("--engine", "remote").problem()).get().asString().contains("Give the server's address");
        assertThat(cli("--engine", "remote", "--endpoint", "gpu-box:8000").problem()).get().asString()
                .contains("must start with http:// or https://");
        assertThatThrownBy(() -> cli("--engine", "remote").remoteOptions()).isInstanceOf(UserException.class)
                .hasMessageContaining("--engine remote needs --endpoint URL");
    }

    @Test
    void badRemoteFlagValuesAreUserMistakes() {
        assertThatThrownBy(() -> cli("--engine", "remote", "--endpoint", "http://h/v1", "--concurrency", "0"))
                .isInstanceOf(UserException.class).hasMessageContaining("--concurrency must be at least 1");
        assertThatThrownBy(() -> cli("--engine", "remote", "--endpoint", "http://h/v1", "--server-kind", "tgi"))
                .isInstanceOf(UserException.class).hasMessageContaining("unknown server kind 'tgi'");
        assertThatThrownBy(() -> cli("--engine", "remote", "--endpoint", "http://h/v1", "--read-timeout", "0"))
                .isInstanceOf(UserException.class).hasMessageContaining("--read-timeout must be longer than zero");
    }
}
