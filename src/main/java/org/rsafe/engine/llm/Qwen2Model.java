package org.rsafe.engine.llm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.rsafe.util.UserException;

/**
 * The Qwen2 decoder (embeddings, pre-norm blocks of grouped-query attention with q/k/v biases and a SwiGLU
 * MLP, final RMSNorm, tied or untied LM head) as DJL NDArray operations on the PyTorch engine.
 *
 * <p>Weights are read from a {@link TensorSource} once, as float32, and kept for the model's lifetime in one
 * long-lived manager: float32 on the CPU (float16 is 20–100× slower there), float16 or float32 on a GPU. The
 * q, k and v projections are fused into one matrix, and gate and up into another, so a layer runs two fewer
 * matrix products per token; PyTorch's {@code linear} multiplies by the stored {@code [out, in]} matrices
 * without copying them, so they are not pre-transposed.
 *
 * <p>Every call runs inside its own sub-manager and {@link NDScope}; only the logits leave it, as a Java array,
 * and only the {@link KvCache} is written in place. So a decode step leaves no native array behind, whoever's
 * manager an intermediate result was attached to.
 *
 * <p>Not thread-safe: one forward pass at a time (the engine serialises calls).
 */
public final class Qwen2Model implements AutoCloseable {
    /** Prompt tokens per chunk of a batched prefill: bounds the attention scores' memory per layer. */
    static final int PREFILL_TOKENS_PER_CHUNK = 1024;
    /** Up to this many rows per matrix product take the {@code W·xᵀ} route of {@link #project}. */
    static final int FEW_ROWS = 64;
    /** Additive mask value for hidden keys: exp() of it is exactly 0 in float32, and it never makes NaN. */
    private static final float MASKED = -1e9f;

    private final ModelConfig config;
    private final Device device;
    private final DataType dtype;
    private final NDManager manager;      // owns weights, rotary tables and (through sub-managers) caches
    private final NDArray embedTokens;    // [V, H]
    private final NDArray lmHead;         // [V, H]; the same array as embedTokens when tied
    private final NDArray finalNorm;      // [H]
    private final Layer[] layers;
    private final RotaryTables rotary;
    private final long decodeWeightBytes;
    private volatile LinearAdapter adapter;   // LoRA training's update of the projections; null = none

    /** One decoder block's weights. */
    private record Layer(
            NDArray inputNorm,      // [H]
            NDArray qkvWeight,      // [(heads + 2·kv)·hd, H]: q_proj, k_proj, v_proj rows stacked
            NDArray qkvBias,        // [(heads + 2·kv)·hd]
            NDArray oWeight,        // [H, heads·hd]
            NDArray postNorm,       // [H]
            NDArray gateUpWeight,   // [2·I, H]: gate_proj rows, then up_proj rows
            NDArray downWeight) {   // [H, I]
    }

    private Qwen2Model(ModelConfig config, Device device, DataType dtype, NDManager manager, NDArray embedTokens,
            NDArray lmHead, NDArray finalNorm, Layer[] layers, RotaryTables rotary, long decodeWeightBytes) {
        this.config = config;
        this.device = device;
        this.dtype = dtype;
        this.manager = manager;
        this.embedTokens = embedTokens;
        this.lmHead = lmHead;
        this.finalNorm = finalNorm;
        this.layers = layers;
        this.rotary = rotary;
        this.decodeWeightBytes = decodeWeightBytes;
    }

    /**
     * Loads every weight named by the Qwen2 layout, checking each shape against the config.
     *
     * @param dtype {@link DataType#FLOAT32}, or {@link DataType#FLOAT16} (sensible on a GPU only)
     * @throws UserException when a tensor is missing or has a shape the config does not imply
     */
    public static Qwen2Model load(ModelConfig config, TensorSource tensors, Device device, DataType dtype) {
        Objects.requireNonNull(tensors, "tensors");
        return load(config, tensors, tensors::readFloats, device, dtype, Loader.CHUNK_FLOATS);
    }

    /**
     * Loads a model folder's weights, each through {@link ModelFolder#mergedWeights(String)} so that an attached
     * LoRA adapter is merged in.
     */
    public static Qwen2Model load(ModelFolder folder, Device device, DataType dtype) {
        return load(folder, device, dtype, Loader.CHUNK_FLOATS);
    }

    /** As {@link #load(ModelFolder, Device, DataType)}, creating tensors above {@code chunkFloats} in row blocks. */
    static Qwen2Model load(ModelFolder folder, Device device, DataType dtype, long chunkFloats) {
        return load(folder.config(), folder.tensors(), folder::mergedWeights, device, dtype, chunkFloats);
    }

    private static Qwen2Model load(ModelConfig config, TensorSource tensors, Function<String, float[]> values,
            Device device, DataType dtype, long chunkFloats) {
        Objects.requireNonNull(config, "config");
        if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16) {
            throw new IllegalArgumentException("weights are held as float32 or float16, not " + dtype);
        }
        NDManager manager = NDManager.newBaseManager(device, TorchRuntime.engine().getEngineName());
        manager.setName("qwen2-weights");
        try {
            Loader loader = new Loader(tensors, values, manager, dtype, chunkFloats);
            int h = config.hiddenSize();
            int hd = config.headDim();
            int qRows = config.numHeads() * hd;
            int kvRows = config.numKvHeads() * hd;
            int inter = config.intermediateSize();
            NDArray embed = loader.matrix("model.embed_tokens.weight", config.vocabSize(), h);
            NDArray head = config.tieWordEmbeddings() ? embed : loader.matrix("lm_head.weight", config.vocabSize(), h);
            NDArray norm = loader.vector("model.norm.weight", h);
            Layer[] layers = new Layer[config.numLayers()];
            for (int i = 0; i < layers.length; i++) {
                String p = "model.layers." + i + ".";
                layers[i] = new Layer(
                        loader.vector(p + "input_layernorm.weight", h),
                        loader.stacked(h, new String[] {p + "self_attn.q_proj.weight", p + "self_attn.k_proj.weight",
                                p + "self_attn.v_proj.weight"}, new int[] {qRows, kvRows, kvRows}),
                        loader.stackedVector(new String[] {p + "self_attn.q_proj.bias", p + "self_attn.k_proj.bias",
                                p + "self_attn.v_proj.bias"}, new int[] {qRows, kvRows, kvRows}),
                        loader.matrix(p + "self_attn.o_proj.weight", h, qRows),
                        loader.vector(p + "post_attention_layernorm.weight", h),
                        loader.stacked(h, new String[] {p + "mlp.gate_proj.weight", p + "mlp.up_proj.weight"},
                                new int[] {inter, inter}),
                        loader.matrix(p + "mlp.down_proj.weight", h, inter));
            }
            RotaryTables rotary = new RotaryTables(manager, hd, config.ropeTheta(), dtype,
                    Math.min(4096, Math.max(16, config.maxPositionEmbeddings())));
            long elementBytes = dtype == DataType.FLOAT32 ? 4 : 2;
            // A decode step reads every matrix once; the embedding only one row, unless it is also the head.
            long decodeElements = config.parameterCount()
                    - (config.tieWordEmbeddings() ? 0 : (long) config.vocabSize() * h);
            return new Qwen2Model(config, device, dtype, manager, embed, head, norm, layers, rotary,
                    decodeElements * elementBytes);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public ModelConfig config() {
        return config;
    }

    /** The device the weights live on. */
    public Device device() {
        return device;
    }

    /** The dtype weights and activations are held in (RMSNorm and softmax always run in float32). */
    public DataType dataType() {
        return dtype;
    }

    /** Bytes of weights one decode step has to read: the memory-bandwidth bound of decoding. */
    public long decodeWeightBytes() {
        return decodeWeightBytes;
    }

    /**
     * Adds {@code adapter}'s update to the linear projections' outputs from now on (null removes it). The base
     * weights are not touched; used by LoRA training, whose factors live with the adapter.
     */
    public void setAdapter(LinearAdapter adapter) {
        this.adapter = adapter;
    }

    public LinearAdapter adapter() {
        return adapter;
    }

    /** Native arrays held by the model itself (weights and rotary tables), caches excluded. */
    public int liveWeightArrays() {
        return manager.getManagedArrays().size();
    }

    /**
     * An empty cache for a batch. {@code leftPadding[b]} is how many of row b's first slots will be padding.
     * Capacity grows by doubling if exceeded; size it for prompt plus generated tokens to avoid any copy.
     */
    public KvCache newCache(int[] leftPadding, int capacity) {
        return new KvCache(manager, config, dtype, leftPadding, capacity);
    }

    /**
     * Feeds {@code tokens[b][t]} (every row the same length) after what the cache already holds and returns
     * the logits after each row's last token, {@code float[batch · V]} row-major.
     */
    public float[] forward(KvCache cache, int[][] tokens) {
        return run(cache, tokens, false);
    }

    /** Feeds one token per row; the decode step. Returns {@code float[batch · V]}. */
    public float[] decode(KvCache cache, int[] tokens) {
        return decode(cache, tokens, new float[tokens.length * config.vocabSize()]);
    }

    /**
     * The decode step, writing the logits into {@code into} ({@code float[batch · V]}, returned), so that a
     * generation loop reuses one buffer instead of receiving a new array of the vocabulary's size per token.
     */
    public float[] decode(KvCache cache, int[] tokens, float[] into) {
        if (tokens.length != cache.batchSize()) {
            throw new IllegalArgumentException("cache holds " + cache.batchSize() + " rows, got " + tokens.length);
        }
        if (into.length < tokens.length * config.vocabSize()) {
            throw new IllegalArgumentException("the logits buffer holds " + into.length + " values, the step needs "
                    + tokens.length * config.vocabSize());
        }
        int[][] column = new int[tokens.length][];
        for (int b = 0; b < tokens.length; b++) {
            column[b] = new int[] {tokens[b]};
        }
        runChunk(cache, column, 0, 1, Logits.LAST, into);
        return into;
    }

    /**
     * Like {@link #forward} but returns the logits at every fed position, {@code float[batch · T · V]}:
     * for comparisons with a reference and for scoring sequences.
     */
    public float[] forwardAllPositions(KvCache cache, int[][] tokens) {
        return run(cache, tokens, true);
    }

    private float[] run(KvCache cache, int[][] tokens, boolean allPositions) {
        int batch = tokens.length;
        if (batch != cache.batchSize()) {
            throw new IllegalArgumentException("cache holds " + cache.batchSize() + " rows, got " + batch);
        }
        int total = tokens[0].length;
        for (int[] row : tokens) {
            if (row.length != total || total == 0) {
                throw new IllegalArgumentException("every row must feed the same, non-zero number of tokens");
            }
        }
        int chunk = Math.max(16, PREFILL_TOKENS_PER_CHUNK / batch);
        int vocab = config.vocabSize();
        long outSize = (long) batch * (allPositions ? total : 1) * vocab;
        if (outSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("logits for " + batch + " × " + total + " positions exceed one Java array");
        }
        float[] out = allPositions ? new float[(int) outSize] : null;
        for (int from = 0; from < total; from += chunk) {
            int to = Math.min(total, from + chunk);
            boolean lastChunk = to == total;
            if (!allPositions && !lastChunk) {
                runChunk(cache, tokens, from, to, Logits.NONE, null);
                continue;
            }
            float[] logits = runChunk(cache, tokens, from, to, allPositions ? Logits.ALL : Logits.LAST, null);
            if (!allPositions) {
                return logits;
            }
            // logits: [batch, to-from, V] → place into [batch, total, V]
            int t = to - from;
            for (int b = 0; b < batch; b++) {
                System.arraycopy(logits, b * t * vocab, out, (b * total + from) * vocab, t * vocab);
            }
        }
        return out;
    }

    /** Which positions of a chunk get logits. */
    private enum Logits { NONE, LAST, ALL }

    /** Runs tokens {@code [from, to)} of each row through every layer, appending to the cache. */
    /** Runs positions {@code [from, to)}; the logits asked for go into {@code into} when given, else a new array. */
    private float[] runChunk(KvCache cache, int[][] tokens, int from, int to, Logits logitsAt, float[] into) {
        int batch = tokens.length;
        int t = to - from;
        int start = cache.length();
        int keysAfter = start + t;
        cache.ensureCapacity(keysAfter);
        rotary.ensure(keysAfter);
        long[] ids = new long[batch * t];          // [B, T]
        long[] positions = new long[batch * t];    // [B, T]
        for (int b = 0; b < batch; b++) {
            int pad = cache.padding(b);
            for (int j = 0; j < t; j++) {
                ids[b * t + j] = tokens[b][from + j];
                // cumsum(mask) − 1 for real tokens; padding slots get 0 (they are masked anyway).
                positions[b * t + j] = Math.max(0, start + j - pad);
            }
        }
        try (NDManager step = manager.newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray idArray = step.create(ids, new Shape(batch, t));            // [B, T]
            NDArray posArray = step.create(positions, new Shape(batch, t));     // [B, T]
            NDArray cos = gatherRows(posArray, rotary.cos()).expandDims(2);       // [B, T, 1, hd]
            NDArray sin = gatherRows(posArray, rotary.sinSigned()).expandDims(2); // [B, T, 1, hd]
            NDArray mask = attentionMask(step, cache, start, t);                  // [B, 1, 1, T, L] or null
            NDArray x = gatherRows(idArray, embedTokens);                         // [B, T, H]
            for (int l = 0; l < layers.length; l++) {
                x = block(x, layers[l], l, cache, cos, sin, mask, start);
            }
            cache.advance(t);
            if (logitsAt == Logits.NONE) {
                return null;
            }
            NDArray hidden = logitsAt == Logits.ALL ? x : x.get(new NDIndex(":, {}:", t - 1)); // [B, T or 1, H]
            NDArray normed = rmsNorm(hidden, finalNorm, config.rmsNormEps());       // [B, T or 1, H]
            NDArray logits = project(normed, lmHead, null);                          // [B, T or 1, V]
            if (logits.getDataType() != DataType.FLOAT32) {
                logits = logits.toType(DataType.FLOAT32, false);
            }
            if (into == null) {
                return logits.toFloatArray();
            }
            // A direct view of a CPU tensor's memory where the engine allows it (a copy otherwise), read before
            // the step's manager frees the tensor.
            logits.toByteBuffer(true).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer()
                    .get(into, 0, Math.toIntExact(logits.size()));
            return into;
        }
    }

    /**
     * A forward pass over whole sequences for training: no cache, and every array lives in {@code manager} (the
     * caller's, closed after the backward pass), so autograd can follow it from the logits back to an adapter's
     * parameters. Rows are left-padded prompts followed by right-padded completions; {@code leftPadding[b]} slots
     * of row b are hidden from attention, later padding is harmless under the causal mask.
     *
     * @param tokens      [B][T] ids, every row the same length
     * @param leftPadding per row, how many leading slots are padding
     */
    public TrainingPass trainingPass(NDManager manager, int[][] tokens, int[] leftPadding) {
        return new TrainingPass(manager, tokens, leftPadding);
    }

    /**
     * Logits at positions {@code [from, to)} of every row, {@code [B, to − from, V]} float32, computed by a
     * {@link TrainingPass} (gradients flow when a GradientCollector is open).
     */
    public NDArray trainingLogits(NDManager manager, int[][] tokens, int[] leftPadding, int from, int to) {
        TrainingPass pass = trainingPass(manager, tokens, leftPadding);
        NDArray x = pass.embed();
        for (int l = 0; l < pass.layers(); l++) {
            x = pass.layer(l, x);
        }
        return pass.logits(x, from, to);
    }

    /**
     * The stages of a training forward pass, exposed one layer at a time so a trainer can keep only layer inputs
     * and recompute each layer during the backward pass (gradient checkpointing).
     */
    public final class TrainingPass {
        private final NDManager manager;
        private final long[] ids;          // [B, T]
        private final int batch;
        private final int length;
        private final NDArray cos;         // [B, T, 1, hd]
        private final NDArray sin;         // [B, T, 1, hd]
        private final NDArray mask;        // [B, 1, 1, T, T] or null
        private final NDArray scale;       // [] head_dim^-0.5, native-owned

        private TrainingPass(NDManager manager, int[][] tokens, int[] leftPadding) {
            this.manager = manager;
            this.batch = tokens.length;
            if (batch == 0 || leftPadding.length != batch) {
                throw new IllegalArgumentException("need one padding count per row");
            }
            this.length = tokens[0].length;
            int vocab = config.vocabSize();
            ids = new long[batch * length];
            long[] positions = new long[batch * length];
            boolean padded = false;
            for (int b = 0; b < batch; b++) {
                if (tokens[b].length != length || length == 0) {
                    throw new IllegalArgumentException("every row must have the same, non-zero length");
                }
                padded |= leftPadding[b] > 0;
                for (int j = 0; j < length; j++) {
                    int id = tokens[b][j];
                    if (id < 0 || id >= vocab) {
                        throw new IllegalArgumentException("token id " + id + " outside the vocabulary");
                    }
                    ids[b * length + j] = id;
                    positions[b * length + j] = Math.max(0, j - leftPadding[b]);
                }
            }
            scale = manager.full(new Shape(), (float) (1.0 / Math.sqrt(config.headDim())), dtype);
            rotary.ensure(length);
            NDArray pos = manager.create(positions, new Shape(batch, length));      // [B, T]
            cos = gatherRows(pos, rotary.cos()).expandDims(2);                      // [B, T, 1, hd]
            sin = gatherRows(pos, rotary.sinSigned()).expandDims(2);                // [B, T, 1, hd]
            NDArray m = attentionMask(manager, leftPadding, padded, 0, length);    // [B, 1, 1, T, T] or null
            // A native copy: arrays made from Java data live only as long as their Java object (see block).
            mask = m == null ? null : m.duplicate();
            if (m != null) {
                m.close();
            }
        }

        public int layers() {
            return layers.length;
        }

        /** Token embeddings, [B, T, H]. */
        public NDArray embed() {
            return kept(() -> gatherRows(manager.create(ids, new Shape(batch, length)), embedTokens));
        }

        /** Decoder layer {@code l} applied to {@code x} [B, T, H]. */
        public NDArray layer(int l, NDArray x) {
            return kept(() -> block(x, layers[l], l, null, cos, sin, mask, 0, scale));
        }

        /**
         * Runs a stage in its own scope so its throw-away arrays are released at once (autograd holds on to what
         * the backward pass needs), and hands the result to the pass's manager and the caller's scope: some
         * products are attached to the weights' manager, which would otherwise keep them for the model's life.
         */
        private NDArray kept(java.util.function.Supplier<NDArray> stage) {
            NDArray out;
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                out = stage.get();
                NDScope.unregister(out);
            }
            out.attach(manager);
            NDScope.register(out);
            return out;
        }

        /** Final norm and LM head at positions [from, to): [B, to − from, V] float32. */
        public NDArray logits(NDArray x, int from, int to) {
            if (from < 0 || to > length || from >= to) {
                throw new IllegalArgumentException("positions [" + from + ", " + to + ") outside [0, " + length + ")");
            }
            return kept(() -> {
                NDArray hidden = x.get(new NDIndex(":, {}:{}", from, to));            // [B, to-from, H]
                NDArray logits = project(rmsNorm(hidden, finalNorm, config.rmsNormEps()), lmHead, null); // [B, to-from, V]
                return logits.getDataType() == DataType.FLOAT32 ? logits : logits.toType(DataType.FLOAT32, false);
            });
        }
    }

    /** One pre-norm decoder block: {@code h = x + attn(rms1(x))}, {@code out = h + mlp(rms2(h))}. */
    private NDArray block(NDArray x, Layer w, int layer, KvCache cache, NDArray cos, NDArray sin, NDArray mask,
            int start) {
        return block(x, w, layer, cache, cos, sin, mask, start, null);
    }

    /**
     * @param trainingScale head_dim^-0.5 as a native-owned scalar in a training pass (no cache), else null
     */
    private NDArray block(NDArray x, Layer w, int layer, KvCache cache, NDArray cos, NDArray sin, NDArray mask,
            int start, NDArray trainingScale) {
        long batch = x.getShape().get(0);
        long t = x.getShape().get(1);
        int heads = config.numHeads();
        int kv = config.numKvHeads();
        int hd = config.headDim();
        int group = config.groupSize();
        int keys = start + (int) t;

        NDArray h = rmsNorm(x, w.inputNorm(), config.rmsNormEps());                 // [B, T, H]
        NDArray qkv = project(h, w.qkvWeight(), w.qkvBias());                         // [B, T, (heads+2kv)·hd]
        LinearAdapter lora = adapter;
        if (lora != null) {
            NDList parts = qkv.split(new long[] {(long) heads * hd, (long) (heads + kv) * hd}, 2); // q, k, v
            qkv = NDArrays.concat(new NDList(
                    plus(parts.get(0), lora, layer, LinearAdapter.Projection.Q_PROJ, h),  // [B, T, heads·hd]
                    plus(parts.get(1), lora, layer, LinearAdapter.Projection.K_PROJ, h),  // [B, T, kv·hd]
                    plus(parts.get(2), lora, layer, LinearAdapter.Projection.V_PROJ, h)), 2);
        }
        // Queries and keys are rotated together, as one [B, T, heads + kv, hd] block: a decode step runs hundreds
        // of small operations whose cost is mostly the call itself, so one rotation instead of two matters.
        NDList qkAndV = qkv.reshape(batch, t, heads + 2L * kv, hd)
                .split(new long[] {heads + kv}, 2);                                    // [B,T,heads+kv,hd], [B,T,kv,hd]
        NDList qk = rope(qkAndV.get(0), cos, sin).split(new long[] {heads}, 2);       // [B,T,heads,hd], [B,T,kv,hd]
        NDArray q = qk.get(0).transpose(0, 2, 1, 3);                                   // [B, heads, T, hd]
        NDArray k = qk.get(1).transpose(0, 2, 1, 3);                                   // [B, kv, T, hd]
        NDArray v = qkAndV.get(1).transpose(0, 2, 1, 3);                               // [B, kv, T, hd]
        // A training pass scales by a tensor: DJL backs a Number operand with a Java buffer that it frees at once,
        // and the backward pass would read the scale from freed memory. Inference needs no gradient.
        q = trainingScale != null ? q.mul(trainingScale) : q.mul((float) (1.0 / Math.sqrt(hd))); // scaled
        NDArray allKeys;                                                               // [B, kv, L, hd]
        NDArray allValues;                                                             // [B, kv, L, hd]
        if (cache != null) {
            cache.write(layer, k, v);
            allKeys = cache.keys(layer, keys);
            allValues = cache.values(layer, keys);
        } else {
            // A training pass sees whole sequences at once; writing into a cache would cut the autograd graph.
            allKeys = k;
            allValues = v;
        }

        // Grouped-query attention without repeating K/V: the g query heads of kv head j are rows of one matrix.
        NDArray qGrouped = q.reshape(batch, kv, group * t, hd);                        // [B, kv, g·T, hd]
        NDArray scores = qGrouped.matMul(allKeys.transpose(0, 1, 3, 2));              // [B, kv, g·T, L]
        if (scores.getDataType() != DataType.FLOAT32) {
            scores = scores.toType(DataType.FLOAT32, false);                           // softmax in float32
        }
        if (mask != null) {
            scores = scores.reshape(batch, kv, group, t, keys).add(mask);              // [B, kv, g, T, L]
        }
        NDArray probs = scores.softmax(scores.getShape().dimension() - 1)
                .reshape(batch, kv, group * t, keys);                                  // [B, kv, g·T, L]
        if (dtype != DataType.FLOAT32) {
            probs = probs.toType(dtype, false);
        }
        NDArray context = probs.matMul(allValues)                                      // [B, kv, g·T, hd]
                .reshape(batch, heads, t, hd)                                          // [B, heads, T, hd]
                .transpose(0, 2, 1, 3)                                                 // [B, T, heads, hd]
                .reshape(batch, t, (long) heads * hd);                                 // [B, T, heads·hd]
        NDArray attended = x.add(plus(project(context, w.oWeight(), null), lora, layer,
                LinearAdapter.Projection.O_PROJ, context));                            // [B, T, H]

        NDArray h2 = rmsNorm(attended, w.postNorm(), config.rmsNormEps());             // [B, T, H]
        NDArray gateUp = project(h2, w.gateUpWeight(), null);                         // [B, T, 2I]
        NDList gu = gateUp.split(2, 2);                                                // 2 × [B, T, I]
        NDArray gate = plus(gu.get(0), lora, layer, LinearAdapter.Projection.GATE_PROJ, h2); // [B, T, I]
        NDArray up = plus(gu.get(1), lora, layer, LinearAdapter.Projection.UP_PROJ, h2);     // [B, T, I]
        NDArray act = Activation.sigmoid(gate).mul(gate).mul(up);                     // [B, T, I] silu(gate)·up
        return attended.add(plus(project(act, w.downWeight(), null), lora, layer,
                LinearAdapter.Projection.DOWN_PROJ, act));                             // [B, T, H]
    }

    /** {@code out + adapter's update for this projection given its input}, or {@code out} when there is none. */
    private static NDArray plus(NDArray out, LinearAdapter lora, int layer, LinearAdapter.Projection p, NDArray input) {
        if (lora == null) {
            return out;
        }
        NDArray delta = lora.delta(layer, p, input);
        return delta == null ? out : out.add(delta);
    }

    /**
     * {@code x·Wᵀ + b} for {@code x [B, T, in]} and {@code W [out, in]}: {@code [B, T, out]}. A batched decode
     * step has a handful of rows; PyTorch's CPU GEMM runs that shape 1.2–1.4× faster (measured on 2 cores,
     * Qwen2.5-0.5B matrices) as {@code W·xᵀ}, the weight matrix streamed once with the rows as its narrow side.
     */
    static NDArray project(NDArray x, NDArray w, NDArray bias) {
        Shape shape = x.getShape();
        long rows = shape.get(0) * shape.get(1);
        if (rows == 1 || rows > FEW_ROWS) {
            return (bias == null ? Linear.linear(x, w) : Linear.linear(x, w, bias)).singletonOrThrow();
        }
        NDArray columns = x.reshape(rows, shape.get(2)).transpose();                  // [in, rows] (view)
        NDArray y = w.matMul(columns).transpose();                                    // [rows, out] (view)
        if (bias != null) {
            y = y.add(bias);
        }
        return y.reshape(shape.get(0), shape.get(1), w.getShape().get(0));            // [B, T, out]
    }

    /**
     * {@code x·cos + rotate_half(x)·sin} for {@code x [B, T, n, hd]} and tables {@code [B, T, 1, hd]}, with
     * rotate_half as a swap of halves times the signed sine table.
     */
    static NDArray rope(NDArray x, NDArray cos, NDArray sinSigned) {
        NDList halves = x.split(2, 3);                                                 // 2 × [B, T, n, hd/2]
        NDArray swapped = NDArrays.concat(new NDList(halves.get(1), halves.get(0)), 3); // [B, T, n, hd]
        return x.mul(cos).add(swapped.mul(sinSigned));                                  // [B, T, n, hd]
    }

    /** RMSNorm in float32: {@code x · 1/sqrt(mean(x², last) + eps)}, cast back, then times the weight. */
    static NDArray rmsNorm(NDArray x, NDArray weight, double eps) {
        DataType in = x.getDataType();
        NDArray xf = in == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);   // [..., H]
        int last = xf.getShape().dimension() - 1;
        NDArray meanSquare = xf.square().mean(new int[] {last}, true);                  // [..., 1]
        NDArray normed = xf.div(meanSquare.add((float) eps).sqrt());                    // [..., H]
        if (in != DataType.FLOAT32) {
            normed = normed.toType(in, false);
        }
        return normed.mul(weight);
    }

    /** Rows of {@code table [R, D]} picked by {@code index [B, T]} (int64): {@code [B, T, D]}, in the index's manager. */
    private static NDArray gatherRows(NDArray index, NDArray table) {
        return index.getNDArrayInternal().embedding(index, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /**
     * Additive mask {@code [B, 1, 1, T, L]} hiding future slots (causal) and each row's padding slots; null when
     * nothing needs hiding (a single token per row and no padding).
     */
    private static NDArray attentionMask(NDManager step, KvCache cache, int start, int t) {
        int[] paddings = new int[cache.batchSize()];
        for (int b = 0; b < paddings.length; b++) {
            paddings[b] = cache.padding(b);
        }
        return attentionMask(step, paddings, cache.anyPadding(), start, t);
    }

    private static NDArray attentionMask(NDManager step, int[] paddings, boolean padded, int start, int t) {
        int batch = paddings.length;
        int keys = start + t;
        if (t == 1 && !padded) {
            return null;
        }
        float[] m = new float[batch * t * keys];
        for (int b = 0; b < batch; b++) {
            int pad = paddings[b];
            for (int i = 0; i < t; i++) {
                int row = (b * t + i) * keys;
                int self = start + i;
                for (int j = 0; j < keys; j++) {
                    if (j > self || j < pad) {
                        m[row + j] = MASKED;
                    }
                }
            }
        }
        return step.create(m, new Shape(batch, 1, 1, t, keys));
    }

    @Override
    public void close() {
        rotary.close();
        manager.close();
    }

    /** Reads tensors as float32 and creates them on the model's device in the model's dtype. */
    private static final class Loader {
        /** Largest tensor created in one piece by default: 64 MB of float32. */
        static final long CHUNK_FLOATS = 16L << 20;

        private final TensorSource tensors;
        private final Function<String, float[]> values;
        private final NDManager manager;
        private final DataType dtype;
        private final long chunkFloats;

        Loader(TensorSource tensors, Function<String, float[]> values, NDManager manager, DataType dtype,
                long chunkFloats) {
            this.tensors = tensors;
            this.values = values;
            this.chunkFloats = chunkFloats;
            this.manager = manager;
            this.dtype = dtype;
        }

        NDArray vector(String name, int n) {
            return create(read(name, n), new Shape(n));
        }

        NDArray matrix(String name, int rows, int cols) {
            return create(read(name, rows, cols), new Shape(rows, cols));
        }

        /** Matrices with the same column count stacked by rows, in the given order. */
        NDArray stacked(int cols, String[] names, int[] rows) {
            int total = Arrays.stream(rows).sum();
            float[] all = new float[Math.multiplyExact(total, cols)];
            int at = 0;
            for (int i = 0; i < names.length; i++) {
                float[] part = read(names[i], rows[i], cols);
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
            return create(all, new Shape(total, cols));
        }

        NDArray stackedVector(String[] names, int[] lengths) {
            int total = Arrays.stream(lengths).sum();
            float[] all = new float[total];
            int at = 0;
            for (int i = 0; i < names.length; i++) {
                float[] part = read(names[i], lengths[i]);
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
            return create(all, new Shape(total));
        }

        private float[] read(String name, long... expected) {
            TensorSource.TensorInfo info = tensors.info(name);
            List<Long> want = new ArrayList<>();
            for (long d : expected) {
                want.add(d);
            }
            if (!info.shape().equals(want)) {
                throw new UserException(info.file() + ": tensor " + name + " has shape " + info.shape()
                        + " but config.json implies " + want);
            }
            return values.apply(name);
        }

        private NDArray create(float[] data, Shape shape) {
            if (data.length <= chunkFloats) {
                return typed(manager.create(data, shape));
            }
            // DJL copies an array into one direct buffer, which cannot exceed 2 GB (the 7B embedding in float32
            // is 2.2 GB), and the copy would double the peak: fill the tensor a block of rows at a time.
            long cols = shape.size() / shape.get(0);
            int rowsPerChunk = (int) Math.max(1, chunkFloats / cols);
            NDArray target = manager.zeros(shape, dtype);
            NDScope.unregister(target);
            FloatBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(rowsPerChunk * cols * Float.BYTES))
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (long row = 0; row < shape.get(0); row += rowsPerChunk) {
                long n = Math.min(rowsPerChunk, shape.get(0) - row);
                buffer.clear();
                buffer.put(data, Math.toIntExact(row * cols), Math.toIntExact(n * cols));
                buffer.flip();
                Shape part = shape.dimension() == 1 ? new Shape(n) : new Shape(n, cols);
                try (NDArray block = typed(manager.create(buffer, part))) {
                    target.set(new NDIndex("{}:{}", row, row + n), block);
                }
            }
            return target;
        }

        /** The array in the model's dtype, outside any caller's scope. */
        private NDArray typed(NDArray f32) {
            NDScope.unregister(f32);
            if (dtype == DataType.FLOAT32) {
                return f32;
            }
            NDArray converted = f32.toType(dtype, false);
            NDScope.unregister(converted);
            f32.close();
            return converted;
        }
    }
}
