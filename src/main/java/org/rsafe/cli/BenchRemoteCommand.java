package org.rsafe.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.rsafe.engine.DecodingSettings;
import org.rsafe.engine.remote.RemoteBenchmark;
import org.rsafe.engine.remote.RemoteEngineOptions;
import org.rsafe.engine.remote.StubChatServer;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rsafe bench remote}: the remote engine's requests/s and tokens/s at concurrency 1, 4 and 16. */
@Command(name = "remote", mixinStandardHelpOptions = true,
        description = {"Measure the remote engine against an OpenAI-compatible server: requests/s and completion "
                + "tokens/s at concurrency 1, 4 and 16, and the speed-up of 16 over 1.",
            "--stub-delay-ms runs an in-process STUB server instead (no model; every answer after a fixed delay), so "
                + "the speed-up measures the client alone: the target is >= 12x at 200 ms."})
public final class BenchRemoteCommand extends CliCommand {

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "The server's OpenAI API base URL, e.g. http://127.0.0.1:8000/v1.")
    private String endpoint;

    @Option(names = "--model", paramLabel = "NAME", description = "Model to request (default: the server's only model).")
    private String model;

    @Option(names = "--api-key-env", paramLabel = "NAME",
            description = "Name of the environment variable that holds the server's API key (default: none).")
    private String apiKeyEnv;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "32",
            description = "Timed requests per concurrency level (default: ${DEFAULT-VALUE}).")
    private int requests;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "64",
            description = "max_tokens of each request; decoding is greedy (default: ${DEFAULT-VALUE}).")
    private int maxTokens;

    @Option(names = "--stub-delay-ms", paramLabel = "MS",
            description = "Measure against an in-process stub server answering after MS milliseconds instead of "
                    + "--endpoint (200 is the reference).")
    private Long stubDelayMillis;

    @Option(names = "--policy", paramLabel = "FILE", defaultValue = "policies/rsafe-default.yaml",
            description = "Policy whose prompt is sent (default: ${DEFAULT-VALUE}).")
    private Path policyFile;

    @Override
    public Integer call() {
        if ((endpoint == null) == (stubDelayMillis == null)) {
            throw usage("give either --endpoint URL (a real server) or --stub-delay-ms MS (the stub server)");
        }
        if (requests < 1) {
            throw usage("--requests must be at least 1, was " + requests);
        }
        if (maxTokens < 1) {
            throw usage("--max-tokens must be at least 1, was " + maxTokens);
        }
        if (stubDelayMillis != null && (stubDelayMillis < 0 || stubDelayMillis > 60_000)) {
            throw usage("--stub-delay-ms must be from 0 to 60000, was " + stubDelayMillis);
        }
        if (!Files.isRegularFile(policyFile)) {
            throw new UserException(policyFile + ": no such policy file (pass --policy FILE)");
        }
        Policy policy = PolicyLoader.loadOrThrow(policyFile);
        DecodingSettings decoding = DecodingSettings.greedyPreset().withMaxNewTokens(maxTokens);
        PrintWriter out = out();
        PrintWriter err = err();
        StubChatServer stub = stubDelayMillis == null ? null : StubChatServer.start(Duration.ofMillis(stubDelayMillis));
        try {
            String url = stub == null ? endpoint : stub.baseUrl();
            RemoteEngineOptions options = RemoteEngineOptions.of(RemoteEngineOptions.endpoint(url), model, decoding)
                    .withApiKeyEnv(apiKeyEnv);
            out.printf("remote engine benchmark (%s UTC): %d requests per level, max_tokens %d, greedy, against %s%n",
                    LocalDate.now(ZoneOffset.UTC), requests, maxTokens, stub == null ? options.endpoint()
                            : "the STUB server (no model; answers after " + stubDelayMillis + " ms) at " + url);
            out.flush();
            RemoteBenchmark.Result r = CtrlC.cancels(cancel -> RemoteBenchmark.run(options, policy, requests,
                    stub == null ? -1 : stubDelayMillis, step -> {
                        err.println("  ... " + step);
                        err.flush();
                    }, cancel));
            out.println("model " + r.model() + ", server kind " + r.serverKind());
            r.lines().forEach(out::println);
            out.flush();
            return Main.EXIT_OK;
        } finally {
            if (stub != null) {
                stub.close();
            }
        }
    }
}
