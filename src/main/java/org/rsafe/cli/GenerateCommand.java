package org.rsafe.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.rsafe.engine.Cancellation;
import org.rsafe.app.DecodingPreset;
import org.rsafe.engine.DecodingSettings;
import org.rsafe.engine.llm.DeviceChoice;
import org.rsafe.engine.llm.LocalModel;
import org.rsafe.engine.llm.Precision;
import org.rsafe.engine.llm.TextGenerator;
import org.rsafe.prompt.ChatTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rsafe generate}: continues a prompt with a local Qwen2-family model folder, streaming the text to stdout. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate text with a local Hugging Face Qwen2-family model folder, streaming it to stdout.",
            "Statistics (tokens, speed, device, why it stopped) go to stderr."})
public final class GenerateCommand extends CliCommand {

    @Mixin
    private LocalModelOptions local = new LocalModelOptions();

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "The text to continue.")
    private String prompt;

    @Option(names = "--chat", description = "Send the prompt as one user turn of Qwen's chat format "
            + "(default system turn, assistant header), as the RSafe engine does.")
    private boolean chat;

    @Option(names = "--preset", paramLabel = "paper|greedy|hf", defaultValue = DecodingSettings.PAPER,
            description = "Decoding: paper (temperature 0.7, top-p 0.8, repetition penalty 1.05), greedy "
                    + "(arg-max, reproducible) or hf (the folder's generation_config.json, as Hugging Face generate "
                    + "reads it). Default: ${DEFAULT-VALUE}.")
    private String preset;

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "Stop after N tokens (default: 512).")
    private Integer maxNewTokens;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the sampler (default: 42).")
    private Long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop before this text (repeatable).")
    private List<String> stops = List.of();

    @Mixin
    private CpuThreadsOption threads = new CpuThreadsOption();

    @Override
    public Integer call() {
        threads.apply();
        DecodingSettings settings = DecodingPreset.parse(preset).settings(local.model);
        if (maxNewTokens != null) {
            if (maxNewTokens < 1) {
                throw usage("--max-new-tokens must be at least 1, got " + maxNewTokens);
            }
            settings = settings.withMaxNewTokens(maxNewTokens);
        }
        if (seed != null) {
            settings = settings.withSeed(seed);
        }
        DeviceChoice choice = DeviceChoice.parse(local.device);
        PrintWriter out = out();
        PrintWriter err = err();
        String input = chat ? ChatTemplate.wrapQwen(prompt) : prompt;
        try (LocalModel model = LocalModel.open(local.model, local.adapter, choice, Precision.parse(local.dtype))) {
            model.notices().forEach(n -> err.println("rsafe: note: " + n));
            err.flush();
            TextGenerator.Generation g = model.generator().generate(List.of(input), settings, stops, (row, delta) -> {
                out.print(delta);
                out.flush();
            }, Cancellation.none()).get(0);
            out.println();
            out.flush();
            double prefill = g.prefillNanos() / 1e9;
            double decode = g.decodeNanos() / 1e9;
            err.printf(Locale.ROOT, "[%d prompt tokens in %.2f s (%.1f tokens/s); %d generated in %.2f s (%.2f tokens/s); "
                            + "stopped: %s; %s, %s, decoding %s]%n", g.promptTokens(), prefill, g.promptTokens() / prefill,
                    g.completionTokens(), decode, decode > 0 ? g.completionTokens() / decode : 0.0,
                    g.stopReason().name().toLowerCase(Locale.ROOT).replace('_', ' '), model.deviceName(),
                    model.dtypeName(), settings.preset());
            err.flush();
        }
        return Main.EXIT_OK;
    }
}
