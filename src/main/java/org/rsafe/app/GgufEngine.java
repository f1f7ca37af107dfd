package org.rsafe.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.DecodingSettings;
import org.rsafe.engine.Engine;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.engine.gguf.GgufFile;
import org.rsafe.engine.gguf.GgufModelCheck;
import org.rsafe.engine.gguf.Qwen2GgufConverter;
import org.rsafe.engine.quick.EncoderClauseRelevance;
import org.rsafe.engine.remote.RemoteEngine;
import org.rsafe.engine.remote.RemoteEngineOptions;
import org.rsafe.engine.remote.ServerKind;
import org.rsafe.trace.EngineIdentity;
import org.rsafe.trace.Judgement;
import org.rsafe.util.UserException;

/**
 * The local LLM on a GGUF file: llama.cpp runs in a child JVM ({@code rsafe serve --model FILE.gguf}, same java,
 * same class path, bound to 127.0.0.1 on a free port) and this engine talks to it through the remote engine. A
 * native crash ends the child only: the judgement in flight fails with one line ("the llama.cpp backend stopped:
 * ...") and the next judgement starts a fresh child.
 *
 * <p>Thread-safe like the remote engine; the child is started and replaced under this object's lock.
 */
final class GgufEngine implements Engine {
    /** The CLI entry point the child runs; named as text because the use-case layer does not depend on a face. */
    static final String CHILD_MAIN = "org.rsafe.cli.Main";
    /** Longest wait for the child to load its model and listen (a 7B file is read through a memory map). */
    static final Duration READY_TIMEOUT = Duration.ofMinutes(10);
    /** Heap of the child: the model lives in native memory, the JVM only serves HTTP. */
    static final String CHILD_HEAP = "-Xmx512m";
    static final String ENGINE = "llm";

    private final EngineSpec spec;
    private final EngineIdentity identity;
    private Child child;
    private RemoteEngine remote;

    private GgufEngine(EngineSpec spec, EngineIdentity identity) {
        this.spec = spec;
        this.identity = identity;
    }

    /**
     * Checks the file in this process (so a broken file is reported here, in one line, before any child starts),
     * then starts the child and connects to it.
     */
    static GgufEngine open(EngineSpec spec) {
        spec.problem().ifPresent(p -> {
            throw new UserException(p);
        });
        GgufEngine engine = new GgufEngine(spec, identity(spec));
        engine.running();
        return engine;
    }

    /** Records the file (name, size, type, content hash), the adapter, the decoding and the format constraint. */
    static EngineIdentity identity(EngineSpec spec) {
        Map<String, String> settings = new LinkedHashMap<>();
        String hash;
        try (GgufFile f = GgufFile.open(spec.model())) {
            GgufModelCheck.checkModel(f);
            hash = f.contentHash();
            settings.put("backend", "llama.cpp " + Qwen2GgufConverter.BUNDLED_LLAMA_CPP);
            settings.put("gguf_type", f.fileTypeName());
            settings.put("gguf_bytes", Long.toString(f.fileSize()));
            if (spec.adapter() != null) {
                try (GgufFile a = GgufFile.open(spec.adapter())) {
                    GgufModelCheck.checkAdapter(a, f);
                    settings.put("adapter", spec.adapter().getFileName() + " " + a.contentHash());
                }
            }
        }
        DecodingSettings d = spec.decoding().settings().withMaxNewTokens(spec.maxNewTokens());
        settings.put("decoding", d.preset());
        settings.put("temperature", Double.toString(d.temperature()));
        settings.put("top_p", Double.toString(d.topP()));
        settings.put("top_k", Integer.toString(d.topK()));
        settings.put("repetition_penalty", Double.toString(d.repetitionPenalty()));
        settings.put("max_new_tokens", Integer.toString(d.maxNewTokens()));
        settings.put("greedy", Boolean.toString(d.greedy()));
        settings.put("seed", Long.toString(d.seed()));
        settings.put("constrain_format", Boolean.toString(spec.constrainFormat()));
        return new EngineIdentity(ENGINE, spec.model().getFileName().toString(), "gguf:" + hash, "cpu", settings);
    }

    @Override
    public EngineIdentity identity() {
        return identity;
    }

    @Override
    public Judgement judge(JudgeRequest request, JudgeListener listener, Cancellation cancellation) {
        RemoteEngine r = running();
        try {
            Judgement j = r.judge(request, listener, cancellation);
            return j.withEngine(identity, j.latencyMillis());
        } catch (CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw stoppedOr(e);
        }
    }

    @Override
    public List<Judgement> judgeBatch(List<JudgeRequest> requests, JudgeListener listener, Cancellation cancellation) {
        RemoteEngine r = running();
        try {
            List<Judgement> out = new ArrayList<>();
            for (Judgement j : r.judgeBatch(requests, listener, cancellation)) {
                out.add(j.withEngine(identity, j.latencyMillis()));
            }
            return out;
        } catch (CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw stoppedOr(e);
        }
    }

    @Override
    public int preferredBatchSize() {
        return 1;
    }

    /** The child's process id, for tests that stop it. */
    synchronized long childPid() {
        return child.process.pid();
    }

    /** The connected remote engine, starting a child first when there is none or the last one stopped. */
    private synchronized RemoteEngine running() {
        if (child != null && child.process.isAlive()) {
            return remote;
        }
        closeChild();
        Child c = Child.start(spec);
        try {
            DecodingSettings request = spec.decoding().settings().withMaxNewTokens(spec.maxNewTokens());
            RemoteEngineOptions o = RemoteEngineOptions.of(RemoteEngineOptions.endpoint(c.baseUrl), null, request)
                    .withServerKind(ServerKind.RSAFE).withConcurrency(1)
                    .withRetries(1, RemoteEngineOptions.DEFAULT_FIRST_BACKOFF)
                    .withClauseRelevance(EncoderClauseRelevance.shared());
            remote = RemoteEngine.open(o);
            child = c;
            return remote;
        } catch (RuntimeException e) {
            c.stop();
            throw c.process.isAlive() ? e : new UserException(c.stoppedMessage());
        }
    }

    /** A failure while the child was found dead becomes the one-line backend message; others pass unchanged. */
    private RuntimeException stoppedOr(RuntimeException e) {
        Child c;
        synchronized (this) {
            c = child;
        }
        if (c == null) {
            return e;
        }
        try {
            // A crash closes the connection slightly before the process is gone.
            c.process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        return c.process.isAlive() ? e : new UserException(c.stoppedMessage());
    }

    private synchronized void closeChild() {
        if (remote != null) {
            remote.close();
            remote = null;
        }
        if (child != null) {
            child.stop();
            child = null;
        }
    }

    @Override
    public void close() {
        closeChild();
    }

    /** One child process: {@code rsafe serve} on the GGUF file, its stderr kept in a log file. */
    private static final class Child {
        final Process process;
        final String baseUrl;
        final Path log;

        private Child(Process process, String baseUrl, Path log) {
            this.process = process;
            this.baseUrl = baseUrl;
            this.log = log;
        }

        static Child start(EngineSpec spec) {
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), CHILD_HEAP,
                    "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), CHILD_MAIN,
                    "serve", "--model", spec.model().toAbsolutePath().toString(), "--host", "127.0.0.1",
                    "--port", "0", "--exit-with-parent",
                    "--max-tokens-limit", Integer.toString(Math.max(spec.maxNewTokens(), 4096))));
            if (spec.adapter() != null) {
                cmd.addAll(List.of("--adapter", spec.adapter().toAbsolutePath().toString()));
            }
            if (spec.constrainFormat()) {
                cmd.add("--constrain-format");
            }
            if (spec.threads() > 0) {
                cmd.addAll(List.of("--threads", Integer.toString(spec.threads())));
            }
            Path log;
            Process p;
            try {
                log = Files.createTempFile("rsafe-llama-", ".log");
                p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
            } catch (IOException e) {
                throw new UserException("cannot start the llama.cpp backend: " + e.getMessage(), e);
            }
            closeQuietly(p);
            CompletableFuture<String> ready = new CompletableFuture<>();
            Thread reader = new Thread(() -> readStdout(p, ready), "rsafe-llama-stdout-" + p.pid());
            reader.setDaemon(true);
            reader.start();
            p.onExit().thenRun(() -> ready.completeExceptionally(new IllegalStateException("exited")));
            try {
                String url = ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                return new Child(p, url, log);
            } catch (ExecutionException e) {
                Child dead = new Child(p, null, log);
                try {
                    p.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                throw new UserException(dead.failedStartMessage());
            } catch (TimeoutException e) {
                p.destroyForcibly();
                throw new UserException("the llama.cpp backend did not start listening within "
                        + READY_TIMEOUT.toMinutes() + " minutes; its log: " + log);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while the llama.cpp backend started");
            }
        }

        private static void closeQuietly(Process p) {
            try {
                p.getOutputStream().close();
            } catch (IOException e) {
                // the child reads nothing from its stdin
            }
        }

        /** Waits for the ready line, then keeps reading so the child never blocks on a full pipe. */
        private static void readStdout(Process p, CompletableFuture<String> ready) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.startsWith(Serving.READY_LINE)) {
                        ready.complete(line.substring(Serving.READY_LINE.length()).trim());
                    }
                }
            } catch (IOException e) {
                // the child's output closed with it
            }
        }

        /** The child's own error line when it refused to start (a user mistake it found), else its exit status. */
        String failedStartMessage() {
            String own = lastLine("rsafe: error: ");
            if (own != null) {
                return own;
            }
            return "the llama.cpp backend did not start: " + exitWords() + "; its log: " + log;
        }

        String stoppedMessage() {
            return "the llama.cpp backend stopped: " + exitWords() + "; its log: " + log + " (try again to restart it)";
        }

        private String exitWords() {
            if (process.isAlive()) {
                return "it is not answering";
            }
            int code = process.exitValue();
            String what = switch (code) {
                case 134 -> " (the native library aborted)";
                case 137 -> " (killed, perhaps out of memory)";
                case 139 -> " (a crash in native code)";
                case 143 -> " (terminated)";
                default -> "";
            };
            return "exit code " + code + what;
        }

        private String lastLine(String prefix) {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                for (int k = lines.size() - 1; k >= 0; k--) {
                    if (lines.get(k).startsWith(prefix)) {
                        return lines.get(k).substring(prefix.length());
                    }
                }
            } catch (IOException e) {
                // no log to quote
            }
            return null;
        }

        void stop() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
