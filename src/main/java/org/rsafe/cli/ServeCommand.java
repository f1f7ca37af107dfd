package org.rsafe.cli;

import org.rsafe.app.EngineSpec;
import org.rsafe.app.Serving;
import org.rsafe.serve.ChatServer;
import org.rsafe.serve.ServeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rsafe serve}: serves a local model over the OpenAI chat-completions protocol until Ctrl-C or SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a local model as an OpenAI-compatible server (GET /v1/models, POST /v1/chat/completions, "
                + "streamed or not, GET /health), for the remote engine or any OpenAI client.",
            "Requests that arrive together are generated as one batch (a request waits at most --batch-wait-ms for "
                + "company). Ctrl-C or SIGTERM cancels what is in flight and stops."})
public final class ServeCommand extends CliCommand {

    @Option(names = "--engine", paramLabel = "llm", defaultValue = "llm",
            description = "Engine to serve; only llm (a local model folder) can be served. Default: ${DEFAULT-VALUE}.")
    private String engine;

    /** The model folder (its name is the served model id), adapter and device. */
    @Mixin
    private LocalModelOptions local = new LocalModelOptions();

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = ServeOptions.DEFAULT_HOST,
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 = every "
                    + "interface, better with --api-key-env).")
    private String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + ServeOptions.DEFAULT_PORT,
            description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 = any free port).")
    private int port;

    @Option(names = "--api-key-env", paramLabel = "NAME",
            description = "Name of an environment variable holding the API key every request must send as "
                    + "'Authorization: Bearer KEY' (default: no key).")
    private String apiKeyEnv;

    @Option(names = "--max-tokens-limit", paramLabel = "N", defaultValue = "" + ServeOptions.DEFAULT_MAX_TOKENS_LIMIT,
            description = "Largest max_tokens a request may ask for (default: ${DEFAULT-VALUE}).")
    private int maxTokensLimit;

    @Option(names = "--max-request-bytes", paramLabel = "N",
            defaultValue = "" + ServeOptions.DEFAULT_MAX_REQUEST_BYTES,
            description = "Longest request body accepted; a longer one is answered 413 (default: ${DEFAULT-VALUE}).")
    private int maxRequestBytes;

    @Option(names = "--max-batch", paramLabel = "N", defaultValue = "" + ServeOptions.DEFAULT_MAX_BATCH,
            description = "Most requests generated together (default: ${DEFAULT-VALUE}; 1 = one at a time).")
    private int maxBatch;

    @Option(names = "--batch-wait-ms", paramLabel = "MS", defaultValue = "" + ServeOptions.DEFAULT_BATCH_WAIT_MILLIS,
            description = "Longest a request that finds the model idle waits for others to batch with "
                    + "(default: ${DEFAULT-VALUE}; 0 to " + ServeOptions.MAX_BATCH_WAIT_MILLIS + ").")
    private int batchWaitMillis;

    @Mixin
    private CpuThreadsOption threads = new CpuThreadsOption();

    @Option(names = "--constrain-format",
            description = "GGUF models: constrain every answer to <think>...</think> then \\boxed{safe} or "
                    + "\\boxed{unsafe} with a grammar.")
    private boolean constrainFormat;

    /** Set by the GGUF engine for its child: stop when the process that started this one ends. */
    @Option(names = "--exit-with-parent", hidden = true)
    private boolean exitWithParent;

    @Override
    public Integer call() throws Exception {
        if (!engine.trim().equalsIgnoreCase("llm")) {
            throw usage("--engine: only llm can be served, was '" + engine + "'");
        }
        if (port < 0 || port > 65535) {
            throw usage("--port must be from 0 to 65535, was " + port);
        }
        if (maxTokensLimit < 1) {
            throw usage("--max-tokens-limit must be at least 1, was " + maxTokensLimit);
        }
        if (maxRequestBytes < 1024) {
            throw usage("--max-request-bytes must be at least 1024, was " + maxRequestBytes);
        }
        if (maxBatch < 1) {
            throw usage("--max-batch must be at least 1, was " + maxBatch);
        }
        if (batchWaitMillis < 0 || batchWaitMillis > ServeOptions.MAX_BATCH_WAIT_MILLIS) {
            throw usage("--batch-wait-ms must be from 0 to " + ServeOptions.MAX_BATCH_WAIT_MILLIS + ", was "
                    + batchWaitMillis);
        }
        if (!EngineSpec.isGgufFile(local.model)) {
            threads.apply(); // PyTorch's threads; llama.cpp takes its count from the spec
        }
        EngineSpec spec = local.spec().withConstrainFormat(constrainFormat)
                .withThreads(threads.threads == null ? 0 : threads.threads);
        ServeOptions options = ServeOptions.defaults().withHost(host).withPort(port).withMaxTokensLimit(maxTokensLimit)
                .withMaxRequestBytes(maxRequestBytes).withMaxBatch(maxBatch).withBatchWaitMillis(batchWaitMillis);
        ChatServer server = Serving.start(spec, options, apiKeyEnv);
        server.notices().forEach(n -> err().println("rsafe: note: " + n));
        err().println("rsafe: serving '" + server.modelId() + "' at " + server.baseUrl()
                + (apiKeyEnv == null ? "" : " (API key required)") + ", batches of up to " + maxBatch
                + "; Ctrl-C stops");
        err().flush();
        // The parseable line a parent process waits for (the GGUF engine starts rsafe serve as its child).
        out().println(Serving.READY_LINE + server.baseUrl());
        out().flush();
        // The server is closed inside the cancellable work, so the shutdown hook waits until it has stopped.
        CtrlC.cancels(cancel -> {
            if (exitWithParent) {
                ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(cancel::cancel));
            }
            try (server) {
                // Bounded by the user: ends when Ctrl-C or SIGTERM sets the cancellation.
                while (!cancel.isCancelled()) {
                    Thread.sleep(200);
                }
                err().println("rsafe: stopping");
                err().flush();
            }
            return null;
        });
        return Main.EXIT_OK;
    }
}
