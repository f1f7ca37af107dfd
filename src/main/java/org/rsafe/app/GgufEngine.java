package org.rsafe.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
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
    static final String ENGINE = "llm";

    private final EngineSpec spec;
    private final EngineIdentity identity;
    private LlamaCppChild child;
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
        DecodingSettings d = spec.decoding().settings(null).withMaxNewTokens(spec.maxNewTokens());
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
            throwIfStopped(j);
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
                throwIfStopped(j);
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
        return child.process().pid();
    }

    /** The connected remote engine, starting a child first when there is none or the last one stopped. */
    private synchronized RemoteEngine running() {
        if (child != null && child.process().isAlive()) {
            return remote;
        }
        closeChild();
        LlamaCppChild c = LlamaCppChild.start(spec);
        try {
            DecodingSettings request = spec.decoding().settings(null).withMaxNewTokens(spec.maxNewTokens());
            RemoteEngineOptions o = RemoteEngineOptions.of(RemoteEngineOptions.endpoint(c.baseUrl()), null, request)
                    .withServerKind(ServerKind.RSAFE).withConcurrency(1)
                    .withRetries(1, RemoteEngineOptions.DEFAULT_FIRST_BACKOFF)
                    .withClauseRelevance(EncoderClauseRelevance.shared());
            remote = RemoteEngine.open(o);
            child = c;
            return remote;
        } catch (RuntimeException e) {
            c.stop();
            throw c.process().isAlive() ? e : new UserException(c.stoppedMessage());
        }
    }

    /**
     * The remote engine reports a broken connection as a judgement without output; when the child is gone, that is
     * the backend's crash and is reported as such.
     */
    private void throwIfStopped(Judgement j) {
        if (j.rawOutput().isEmpty()) {
            RuntimeException e = stoppedOr(null);
            if (e != null) {
                throw e;
            }
        }
    }

    /** A failure while the child was found dead becomes the one-line backend message; others pass unchanged. */
    private RuntimeException stoppedOr(RuntimeException e) {
        LlamaCppChild c;
        synchronized (this) {
            c = child;
        }
        if (c == null) {
            return e;
        }
        try {
            // A crash closes the connection slightly before the process is gone; a failed answer from a live
            // child (a refused request) waits less.
            c.process().waitFor(e == null ? 300 : 2000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        return c.process().isAlive() ? e : new UserException(c.stoppedMessage());
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
}
