package org.rsafe.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.rsafe.util.UserException;

/**
 * One child process of the GGUF engine: {@code rsafe serve} on the GGUF file in a JVM of the same java and class
 * path, bound to 127.0.0.1 on a free port; ready once it prints {@link Serving#READY_LINE}. Its stderr (llama.cpp's
 * log) goes to a temporary file that is named in every failure message.
 */
/** One child process: {@code rsafe serve} on the GGUF file, its stderr kept in a log file. */
final class LlamaCppChild {
    /** The CLI entry point the child runs; named as text because the use-case layer does not depend on a face. */
    static final String CHILD_MAIN = "org.rsafe.cli.Main";
    /** Longest wait for the child to load its model and listen (a 7B file is read through a memory map). */
    static final Duration READY_TIMEOUT = Duration.ofMinutes(10);
    /** Heap of the child: the model lives in native memory, the JVM only serves HTTP. */
    static final String CHILD_HEAP = "-Xmx512m";

    private final Process process;
    private final String baseUrl;
    private final Path log;

    private LlamaCppChild(Process process, String baseUrl, Path log) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
    }

    static LlamaCppChild start(EngineSpec spec) {
        return start(spec, CHILD_HEAP);
    }

    /**
     * Starts {@code rsafe serve} on the spec's model with the given JVM heap flag; a model folder (the local engine,
     * for side-by-side benchmarks) needs a heap as large as its float32 weights.
     */
    static LlamaCppChild start(EngineSpec spec, String heap) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap,
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
            return new LlamaCppChild(p, url, log);
        } catch (ExecutionException e) {
            LlamaCppChild dead = new LlamaCppChild(p, null, log);
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

    Process process() {
        return process;
    }

    /** The child's OpenAI API base URL, {@code http://127.0.0.1:PORT/v1}. */
    String baseUrl() {
        return baseUrl;
    }

    /** The child's peak resident memory (VmHWM in /proc), in bytes; -1 where /proc is not available. */
    long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the child has gone
        }
        return -1;
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

    /** Stops the child (SIGTERM, then SIGKILL after 10 s); its log is deleted when it had ended well. */
    void stop() {
        boolean crashed = !process.isAlive() && process.exitValue() != 0 && process.exitValue() != 143;
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (!crashed) {
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                // a leftover log in the temp folder is harmless
            }
        }
    }
}
