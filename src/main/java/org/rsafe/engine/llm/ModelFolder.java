package org.rsafe.engine.llm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.rsafe.engine.Qwen2Tensors;
import org.rsafe.util.BoundedFiles;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.Hashing;
import org.rsafe.util.SourcePos;
import org.rsafe.util.UserException;

/**
 * A Hugging Face Qwen2 model folder (config.json, generation_config.json, tokenizer.json, safetensors
 * weights) and optionally a LoRA adapter on top: reads the config, checks the weights against it and hands
 * out float32 weights, merged with the adapter where it applies.
 *
 * <p>Typical use by model code: {@code try (ModelFolder f = ModelFolder.open(dir).validate()) { ... f.mergedWeights(name) ... }}.
 */
public final class ModelFolder implements AutoCloseable {
    public static final String CONFIG_FILE = "config.json";
    public static final String GENERATION_CONFIG_FILE = "generation_config.json";
    public static final String TOKENIZER_FILE = "tokenizer.json";
    /** Bytes sampled from each end of every tensor for the model hash. */
    static final int HASH_SAMPLE_BYTES = 4096;
    /** config.json field written by {@link RandomModelWriter}. */
    public static final String RANDOM_WEIGHTS_MARKER = "rsafe_random_weights";

    private final Path dir;
    private final ModelConfig config;
    private final GenerationDefaults generationDefaults;
    private final Path tokenizerJson;
    private final SafetensorsReader tensors;
    private final LoraAdapter adapter;
    private final List<String> warnings;
    private String modelHash;

    private ModelFolder(Path dir, ModelConfig config, GenerationDefaults generationDefaults, Path tokenizerJson,
                        SafetensorsReader tensors, LoraAdapter adapter, List<String> warnings) {
        this.dir = dir;
        this.config = config;
        this.generationDefaults = generationDefaults;
        this.tokenizerJson = tokenizerJson;
        this.tensors = tensors;
        this.adapter = adapter;
        this.warnings = List.copyOf(warnings);
    }

    /** Opens a model folder without an adapter. Does not check the tensors: call {@link #validate()}. */
    public static ModelFolder open(Path dir) {
        return open(dir, null);
    }

    /**
     * Opens a model folder and, when {@code adapterDirOrNull} is given, a PEFT LoRA adapter folder checked
     * against the shapes config.json implies. Throws UserException for a missing folder, a missing or
     * malformed config.json, an architecture other than Qwen2, a missing tokenizer.json, unreadable
     * safetensors headers or an adapter that does not fit.
     */
    public static ModelFolder open(Path dir, Path adapterDirOrNull) {
        if (!Files.isDirectory(dir)) {
            throw new UserException("model folder " + dir + " does not exist");
        }
        Path configFile = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(configFile)) {
            throw new UserException("no " + CONFIG_FILE + " in " + dir + " (not a Hugging Face model folder?)");
        }
        List<String> warnings = new ArrayList<>();
        ModelConfig config = readConfig(configFile, warnings);
        GenerationDefaults gen = readGenerationConfig(dir.resolve(GENERATION_CONFIG_FILE), config.eosTokenIds());
        Path tokenizer = dir.resolve(TOKENIZER_FILE);
        if (!Files.isRegularFile(tokenizer)) {
            throw new UserException("no " + TOKENIZER_FILE + " in " + dir
                    + " (copy it from the base model's folder; the tokenizer is part of the model)");
        }
        SafetensorsReader reader = SafetensorsReader.open(dir);
        try {
            checkConfigAgainstTensors(config, reader);
            LoraAdapter adapter = adapterDirOrNull == null ? null
                    : LoraAdapter.open(adapterDirOrNull, expectedShapes(config));
            return new ModelFolder(dir, config, gen, tokenizer, reader, adapter, warnings);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    // ---- config.json ------------------------------------------------------------------------------------

    /**
     * Reads a Qwen2 config.json. Errors carry the file and, where the JSON is malformed or a field has the
     * wrong type, its line and column.
     */
    public static ModelConfig readConfig(Path configFile, List<String> warnings) {
        String text;
        try {
            text = BoundedFiles.readUtf8(configFile, BoundedFiles.SETTINGS_JSON_BYTES, "a config.json");
        } catch (IOException e) {
            throw new UserException("cannot read " + configFile + ": " + e.getMessage(), e);
        }
        JsonNode root = SafetensorsReader.readJson(configFile);
        String file = configFile.toString();
        if (root == null || !root.isObject()) {
            throw new UserException(List.of(Diagnostic.error(file, new SourcePos(1, 1), null,
                    "config.json must be a JSON object")));
        }
        Map<String, SourcePos> pos = topLevelPositions(text);
        Fields f = new Fields(file, root, pos);

        String modelType = root.path("model_type").asText(null);
        List<String> archs = new ArrayList<>();
        root.path("architectures").forEach(a -> archs.add(a.asText()));
        if (modelType == null && archs.isEmpty()) {
            f.error("model_type", "config.json names no model_type or architectures; expected qwen2 / Qwen2ForCausalLM");
        }
        if (modelType != null && !modelType.equals("qwen2")) {
            f.error("model_type", "model_type is \"" + modelType + "\"; only qwen2 (Qwen2 / Qwen2.5 and RSafe) "
                    + "models are supported");
        }
        if (!archs.isEmpty() && !archs.equals(List.of("Qwen2ForCausalLM"))) {
            f.error("architectures", "architectures is " + archs + "; only Qwen2ForCausalLM is supported");
        }
        f.throwIfErrors();

        int vocab = f.requiredInt("vocab_size");
        int hidden = f.requiredInt("hidden_size");
        int inter = f.requiredInt("intermediate_size");
        int layers = f.requiredInt("num_hidden_layers");
        int heads = f.requiredInt("num_attention_heads");
        f.throwIfErrors();
        Integer kv = f.optionalInt("num_key_value_heads");
        Integer headDim = f.optionalInt("head_dim");
        if (headDim == null && heads > 0 && hidden % heads != 0) {
            f.error("hidden_size", "hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads
                    + " and config.json has no head_dim");
        }
        double eps = f.optionalDouble("rms_norm_eps", 1e-6);
        double theta;
        JsonNode ropeParams = root.get("rope_parameters");
        if (ropeParams != null && ropeParams.isObject() && ropeParams.has("rope_theta")) {
            theta = ropeParams.get("rope_theta").asDouble(Double.NaN);
            checkRopeType(f, "rope_parameters", ropeParams);
        } else {
            theta = f.optionalDouble("rope_theta", 10000.0);
        }
        if (!(theta > 0) || Double.isInfinite(theta)) {
            f.error(root.has("rope_theta") ? "rope_theta" : "rope_parameters", "rope_theta must be a positive number");
        }
        JsonNode ropeScaling = root.get("rope_scaling");
        if (ropeScaling != null && !ropeScaling.isNull()) {
            checkRopeType(f, "rope_scaling", ropeScaling);
        }
        String act = root.path("hidden_act").asText("silu");
        if (!act.equals("silu")) {
            f.error("hidden_act", "hidden_act is \"" + act + "\"; Qwen2 uses silu");
        }
        if (root.path("use_sliding_window").asBoolean(false)) {
            warnings.add(file + ": use_sliding_window is true; this engine always uses full attention "
                    + "(identical for inputs shorter than sliding_window)");
        }
        boolean tied = f.optionalBoolean("tie_word_embeddings", false);
        int maxPos = Optional.ofNullable(f.optionalInt("max_position_embeddings")).orElse(32768);
        List<Integer> eos = f.intOrList("eos_token_id");
        String dtype = root.has("torch_dtype") ? root.path("torch_dtype").asText("") : root.path("dtype").asText("");
        f.throwIfErrors();
        try {
            return new ModelConfig(vocab, hidden, inter, layers, heads, kv == null ? heads : kv,
                    headDim == null ? hidden / heads : headDim, eps, theta, tied, maxPos, eos, dtype);
        } catch (IllegalArgumentException e) {
            throw new UserException(List.of(Diagnostic.error(file, SourcePos.UNKNOWN, null, e.getMessage())));
        }
    }

    private static void checkRopeType(Fields f, String field, JsonNode node) {
        String type = node.path("rope_type").asText(node.path("type").asText("default"));
        if (!type.equals("default")) {
            f.error(field, field + " uses rope type \"" + type + "\"; only the default rotary embedding is supported");
        }
    }

    /** Where each top-level field's name starts, for positioned messages (the tree model keeps no positions). */
    private static Map<String, SourcePos> topLevelPositions(String text) {
        Map<String, SourcePos> out = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(text)) {
            int depth = 0;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    depth++;
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                } else if (t == JsonToken.FIELD_NAME && depth == 1) {
                    JsonLocation loc = p.currentTokenLocation();
                    out.put(p.currentName(), new SourcePos(loc.getLineNr(), loc.getColumnNr()));
                }
            }
        } catch (IOException e) {
            // Already parsed once successfully; positions are a nicety.
        }
        return out;
    }

    /** Typed access to config fields that collects every problem as a positioned diagnostic. */
    private static final class Fields {
        final String file;
        final JsonNode root;
        final Map<String, SourcePos> pos;
        final List<Diagnostic> errors = new ArrayList<>();

        Fields(String file, JsonNode root, Map<String, SourcePos> pos) {
            this.file = file;
            this.root = root;
            this.pos = pos;
        }

        void error(String field, String message) {
            errors.add(Diagnostic.error(file, pos.getOrDefault(field, SourcePos.UNKNOWN), null, message));
        }

        void throwIfErrors() {
            if (!errors.isEmpty()) {
                throw new UserException(errors);
            }
        }

        int requiredInt(String field) {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                errors.add(Diagnostic.error(file, SourcePos.UNKNOWN, null, "config.json has no " + field));
                return 0;
            }
            return toInt(field, n);
        }

        Integer optionalInt(String field) {
            JsonNode n = root.get(field);
            return n == null || n.isNull() ? null : toInt(field, n);
        }

        private int toInt(String field, JsonNode n) {
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() <= 0) {
                error(field, field + " must be a positive integer, was " + n);
                return 1;
            }
            return n.asInt();
        }

        double optionalDouble(String field, double fallback) {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                return fallback;
            }
            if (!n.isNumber()) {
                error(field, field + " must be a number, was " + n);
                return fallback;
            }
            return n.asDouble();
        }

        boolean optionalBoolean(String field, boolean fallback) {
            JsonNode n = root.get(field);
            if (n == null || n.isNull()) {
                return fallback;
            }
            if (!n.isBoolean()) {
                error(field, field + " must be true or false, was " + n);
                return fallback;
            }
            return n.asBoolean();
        }

        List<Integer> intOrList(String field) {
            JsonNode n = root.get(field);
            List<Integer> out = new ArrayList<>();
            if (n == null || n.isNull()) {
                return out;
            }
            if (n.isArray()) {
                for (JsonNode e : n) {
                    if (!e.isIntegralNumber() || e.asInt() < 0) {
                        error(field, field + " must be a token id or a list of token ids, was " + n);
                        return out;
                    }
                    out.add(e.asInt());
                }
            } else if (n.isIntegralNumber() && n.asInt() >= 0) {
                out.add(n.asInt());
            } else {
                error(field, field + " must be a token id or a list of token ids, was " + n);
            }
            return out;
        }
    }

    // ---- generation_config.json -------------------------------------------------------------------------

    /** Reads generation_config.json when present (else transformers' defaults), merging the config's EOS ids. */
    /**
     * The model's own name, for an adapter's {@code base_model_name_or_path}: config.json's {@code _name_or_path} when
     * it is a hub-style name ({@code Qwen/Qwen2.5-7B-Instruct}), else the folder's name. A local path found there
     * (absolute, or starting with {@code .}, {@code ~} or a drive letter) is not a name that travels, so the folder
     * name is used instead.
     */
    public static String ownName(Path dir) {
        Path folder = dir.toAbsolutePath().normalize().getFileName();
        String fallback = folder == null ? dir.toString() : folder.toString();
        Path config = dir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            return fallback;
        }
        JsonNode root;
        try {
            root = SafetensorsReader.readJson(config);
        } catch (RuntimeException e) {
            return fallback;
        }
        JsonNode name = root == null ? null : root.get("_name_or_path");
        String n = name == null || !name.isTextual() ? "" : name.asText().strip();
        boolean localPath = n.startsWith("/") || n.startsWith("\\") || n.startsWith(".") || n.startsWith("~")
                || n.matches("^[A-Za-z]:[\\\\/].*");
        return n.isEmpty() || localPath ? fallback : n;
    }

    public static GenerationDefaults readGenerationConfig(Path file, List<Integer> configEos) {
        if (!Files.isRegularFile(file)) {
            return GenerationDefaults.huggingFace(configEos);
        }
        String text;
        try {
            text = BoundedFiles.readUtf8(file, BoundedFiles.SETTINGS_JSON_BYTES, "a generation_config.json");
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode root = SafetensorsReader.readJson(file);
        if (root == null || !root.isObject()) {
            throw new UserException(file + ": expected a JSON object");
        }
        Fields f = new Fields(file.toString(), root, topLevelPositions(text));
        boolean doSample = f.optionalBoolean("do_sample", false);
        double temperature = f.optionalDouble("temperature", GenerationDefaults.HF_TEMPERATURE);
        double topP = f.optionalDouble("top_p", GenerationDefaults.HF_TOP_P);
        JsonNode k = root.get("top_k");
        int topK = GenerationDefaults.HF_TOP_K;
        if (k != null && !k.isNull()) {
            if (!k.isIntegralNumber() || k.asInt() < 0) {
                f.error("top_k", "top_k must be a non-negative integer, was " + k);
            } else {
                topK = k.asInt();
            }
        }
        double penalty = f.optionalDouble("repetition_penalty", GenerationDefaults.HF_REPETITION_PENALTY);
        LinkedHashSet<Integer> eos = new LinkedHashSet<>(f.intOrList("eos_token_id"));
        eos.addAll(configEos);
        if (!(temperature > 0)) {
            f.error("temperature", "temperature must be > 0, was " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            f.error("top_p", "top_p must be in (0, 1], was " + topP);
        }
        if (!(penalty > 0)) {
            f.error("repetition_penalty", "repetition_penalty must be > 0, was " + penalty);
        }
        f.throwIfErrors();
        return new GenerationDefaults(doSample, temperature, topP, topK, penalty, List.copyOf(eos), true);
    }

    // ---- expected weights --------------------------------------------------------------------------------

    /** config.json disagrees with the stored tensors in a way that makes the full check pointless (or endless). */
    public static final class ConfigMismatch extends UserException {
        private static final long serialVersionUID = 1L;

        ConfigMismatch(String message) {
            super(message);
        }
    }

    /**
     * A cheap check of config.json against the tensors' headers, before anything is sized by the config: the layer
     * count, then the shapes of the embedding and of layer 0's projections. A config claiming a million layers would
     * otherwise have the full check (and the loader) walk a million layers of missing tensors.
     */
    static void checkConfigAgainstTensors(ModelConfig c, SafetensorsReader reader) {
        int stored = 0;
        for (String name : reader.names()) {
            if (name.startsWith("model.layers.")) {
                int dot = name.indexOf('.', "model.layers.".length());
                try {
                    stored = Math.max(stored, 1 + Integer.parseInt(name.substring("model.layers.".length(), dot)));
                } catch (NumberFormatException | IndexOutOfBoundsException ignored) {
                    // not a numbered layer; the full check reports it as unexpected
                }
            }
        }
        if (stored != c.numLayers()) {
            throw new ConfigMismatch("config.json says num_hidden_layers " + c.numLayers() + ", but the tensors hold "
                    + stored + " layer" + (stored == 1 ? "" : "s") + " (model.layers.0 to model.layers." + (stored - 1)
                    + "): config.json does not belong to these weights");
        }
        long h = c.hiddenSize();
        Map<String, List<Long>> probes = new LinkedHashMap<>();
        probes.put("model.embed_tokens.weight", List.of((long) c.vocabSize(), h));
        probes.put("model.layers.0.self_attn.q_proj.weight", List.of((long) c.numHeads() * c.headDim(), h));
        probes.put("model.layers.0.self_attn.k_proj.weight", List.of((long) c.numKvHeads() * c.headDim(), h));
        probes.put("model.layers.0.mlp.gate_proj.weight", List.of((long) c.intermediateSize(), h));
        for (Map.Entry<String, List<Long>> p : probes.entrySet()) {
            if (reader.names().contains(p.getKey()) && !reader.info(p.getKey()).shape().equals(p.getValue())) {
                throw new ConfigMismatch("tensor " + p.getKey() + " in " + reader.info(p.getKey()).file()
                        + " has shape " + reader.info(p.getKey()).shape() + ", config.json implies " + p.getValue()
                        + " (config.json does not belong to these weights)");
            }
        }
    }

    /**
     * Every tensor a Qwen2 checkpoint with this config stores, in checkpoint order, with its [out, in] (or
     * [n]) shape; {@code lm_head.weight} only when the embeddings are not tied.
     */
    public static Map<String, List<Long>> expectedShapes(ModelConfig c) {
        return Qwen2Tensors.shapes(c.vocabSize(), c.hiddenSize(), (long) c.numHeads() * c.headDim(),
                (long) c.numKvHeads() * c.headDim(), c.intermediateSize(), c.numLayers(), !c.tieWordEmbeddings());
    }

    /** Every mismatch between the stored tensors and config.json; empty when the folder is consistent. */
    public List<String> problems() {
        Map<String, List<Long>> expected = expectedShapes(config);
        List<String> missing = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        for (Map.Entry<String, List<Long>> e : expected.entrySet()) {
            if (!tensors.names().contains(e.getKey())) {
                missing.add("missing tensor " + e.getKey() + " " + e.getValue());
                continue;
            }
            TensorSource.TensorInfo info = tensors.info(e.getKey());
            if (!info.shape().equals(e.getValue())) {
                misShaped.add("tensor " + e.getKey() + " in " + info.file() + " has shape " + info.shape()
                        + ", config.json implies " + e.getValue());
            }
            if (!SafetensorsDtype.valueOf(info.dtype()).isFloat()) {
                misShaped.add("tensor " + e.getKey() + " in " + info.file() + " is stored as " + info.dtype()
                        + ", not a floating-point type");
            }
        }
        for (String name : new TreeSet<>(tensors.names())) {
            // Old exports carry the non-persistent RoPE buffer; it is derived from the config anyway.
            if (!expected.containsKey(name) && !name.endsWith("rotary_emb.inv_freq")) {
                String why = name.equals("lm_head.weight") ? " (tie_word_embeddings is true, so it would be ignored)" : "";
                extra.add("unexpected tensor " + name + " in " + tensors.info(name).file() + why);
            }
        }
        List<String> all = new ArrayList<>(missing);
        all.addAll(misShaped);
        all.addAll(extra);
        return all;
    }

    /** Throws one UserException listing every missing, unexpected and mis-shaped tensor; returns this otherwise. */
    public ModelFolder validate() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            StringBuilder sb = new StringBuilder("model folder " + dir + " does not match its config.json ("
                    + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "):");
            problems.forEach(p -> sb.append("\n  - ").append(p));
            throw new UserException(sb.toString());
        }
        return this;
    }

    // ---- weights -----------------------------------------------------------------------------------------

    /**
     * The named weight as float32, row-major, with the adapter's {@code (alpha/r)·B·A} added when the adapter
     * targets it; the stored weight otherwise. Model code should load every weight through this method.
     */
    public float[] mergedWeights(String name) {
        float[] w = tensors.readFloats(name);
        if (adapter != null) {
            adapter.addDeltaTo(name, w);
        }
        return w;
    }

    /**
     * Like {@link #mergedWeights(String)} but writes into {@code dst} (e.g. a direct buffer for the native
     * engine), so an untargeted multi-GB tensor such as the 7B embedding never needs a heap float[]; an
     * adapter-targeted weight (a linear layer, at most a few hundred MB) goes through the heap to be merged.
     */
    public void mergedWeightsInto(String name, java.nio.FloatBuffer dst) {
        if (adapter != null && adapter.targets(name)) {
            long n = tensors.info(name).elementCount();
            if (dst.remaining() < n) {
                throw new IllegalArgumentException("buffer has room for " + dst.remaining() + " floats, tensor "
                        + name + " has " + n);
            }
            dst.put(mergedWeights(name));
        } else {
            tensors.readInto(name, dst);
        }
    }

    /** The stored dtype of the weights ("BF16"), or e.g. "mixed(BF16,F32)" when they differ. */
    public String storedDtype() {
        Set<String> d = tensors.names().stream().map(n -> tensors.info(n).dtype())
                .collect(Collectors.toCollection(TreeSet::new));
        return d.size() == 1 ? d.iterator().next() : "mixed(" + String.join(",", d) + ")";
    }

    /** Parameters actually stored (sum of element counts), which equals the config's count for a valid folder. */
    public long storedParameterCount() {
        return tensors.names().stream().mapToLong(n -> tensors.info(n).elementCount()).sum();
    }

    /**
     * SHA-256 identifying the weights without reading them all: config.json's bytes, every tensor's header
     * entry (name, dtype, shape, file, offsets) and the first and last {@value #HASH_SAMPLE_BYTES} bytes of
     * its data, so a fine-tune with the same shapes (RSafe vs. its Qwen base) still hashes differently. With
     * an adapter, the adapter's full hash is included.
     */
    public synchronized String modelHash() {
        if (modelHash == null) {
            MessageDigest md = Hashing.sha256Digest();
            try {
                md.update(Files.readAllBytes(dir.resolve(CONFIG_FILE)));
                Map<Path, FileChannel> open = new HashMap<>();
                try {
                    for (Map.Entry<String, SafetensorsReader.Location> e : tensors.locations().entrySet()) {
                        SafetensorsReader.Location loc = e.getValue();
                        String line = e.getKey() + "|" + loc.dtype() + "|" + loc.shape() + "|"
                                + loc.file().getFileName() + "|" + loc.begin() + "|" + loc.end() + "\n";
                        md.update(line.getBytes(StandardCharsets.UTF_8));
                        FileChannel ch = open.get(loc.file());
                        if (ch == null) {
                            ch = FileChannel.open(loc.file(), StandardOpenOption.READ);
                            open.put(loc.file(), ch);
                        }
                        long len = loc.end() - loc.begin();
                        sample(ch, loc.begin(), Math.min(len, HASH_SAMPLE_BYTES), md);
                        if (len > HASH_SAMPLE_BYTES) {
                            long tail = Math.min(len - HASH_SAMPLE_BYTES, HASH_SAMPLE_BYTES);
                            sample(ch, loc.end() - tail, tail, md);
                        }
                    }
                } finally {
                    for (FileChannel ch : open.values()) {
                        ch.close();
                    }
                }
            } catch (IOException e) {
                throw new UserException("cannot read " + dir + " to hash it: " + e.getMessage(), e);
            }
            if (adapter != null) {
                md.update(("adapter|" + adapter.hash()).getBytes(StandardCharsets.UTF_8));
            }
            modelHash = java.util.HexFormat.of().formatHex(md.digest());
        }
        return modelHash;
    }

    private static void sample(FileChannel ch, long pos, long len, MessageDigest md) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) len);
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) {
                break;
            }
        }
        buf.flip();
        md.update(buf);
    }

    public Path dir() {
        return dir;
    }

    public ModelConfig config() {
        return config;
    }

    public GenerationDefaults generationDefaults() {
        return generationDefaults;
    }

    /** The raw stored tensors (no adapter applied); prefer {@link #mergedWeights(String)} for weights. */
    public TensorSource tensors() {
        return tensors;
    }

    /** The safetensors files and byte locations behind {@link #tensors()}. */
    public SafetensorsReader reader() {
        return tensors;
    }

    public Path tokenizerJson() {
        return tokenizerJson;
    }

    public Optional<LoraAdapter> adapter() {
        return Optional.ofNullable(adapter);
    }

    /**
     * True when config.json carries the marker {@code rsafe model random} writes: the weights are random and
     * the model's outputs mean nothing.
     */
    public boolean randomWeights() {
        return SafetensorsReader.readJson(dir.resolve(CONFIG_FILE)).has(RANDOM_WEIGHTS_MARKER);
    }

    /** Non-fatal remarks about the config (e.g. sliding window requested but full attention used). */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public void close() {
        tensors.close();
        if (adapter != null) {
            adapter.close();
        }
    }
}
