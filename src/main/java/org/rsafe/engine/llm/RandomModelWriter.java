package org.rsafe.engine.llm;

import static org.rsafe.util.FileTrees.deleteTree;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.UserException;

/**
 * Writes a complete Qwen2-shaped Hugging Face model folder filled with seeded random weights (config.json,
 * generation_config.json, a synthetic byte-level BPE tokenizer.json, safetensors, README.txt), so the
 * engine can be exercised and tested without downloading a real checkpoint. The weights are meaningless.
 */
public final class RandomModelWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Qwen2.5's tokenizer has 151665 ids; its special tokens sit at 151643..151645. */
    static final int QWEN_TOKENIZER_SPECIALS_END = 151646;
    public static final String ENDOFTEXT = "<|endoftext|>";
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";

    private RandomModelWriter() { }

    /** The shapes {@code rsafe model random} offers: a tiny test model and the real Qwen2.5 sizes. */
    public enum Shape {
        TINY("tiny", new ModelConfig(300, 64, 128, 2, 4, 2, 16, 1e-6, 1e6, true, 2048, List.of(299), "float32")),
        QWEN2_5_0_5B("qwen2.5-0.5b", new ModelConfig(151936, 896, 4864, 24, 14, 2, 64, 1e-6, 1e6, true, 32768,
                List.of(151645), "bfloat16")),
        QWEN2_5_1_5B("qwen2.5-1.5b", new ModelConfig(151936, 1536, 8960, 28, 12, 2, 128, 1e-6, 1e6, true, 32768,
                List.of(151645), "bfloat16")),
        QWEN2_5_7B("qwen2.5-7b", new ModelConfig(152064, 3584, 18944, 28, 28, 4, 128, 1e-6, 1e6, false, 32768,
                List.of(151645), "bfloat16"));

        private final String id;
        private final ModelConfig config;

        Shape(String id, ModelConfig config) {
            this.id = id;
            this.config = config;
        }

        /** The name used on the command line ("qwen2.5-0.5b"). */
        public String id() {
            return id;
        }

        /** The real model's hyper-parameters (LLM.md §1); the tiny one's are ours. */
        public ModelConfig config() {
            return config;
        }

        public static Shape parse(String id) {
            for (Shape s : values()) {
                if (s.id.equalsIgnoreCase(id)) {
                    return s;
                }
            }
            throw new UserException("unknown model shape '" + id + "'; choose one of "
                    + Stream.of(values()).map(Shape::id).toList());
        }
    }

    /**
     * How to write the folder.
     *
     * @param dtype   stored weight type (F32 or BF16 in the CLI; F16 also works)
     * @param tied    tie the LM head to the embedding; null = the shape's own choice
     * @param shards  1 = a single model.safetensors; n &gt; 1 = n shards plus the index
     * @param config  custom hyper-parameters replacing the shape's (tests); null = the shape's
     * @param initStd standard deviation of the random matrices and biases (0.02 like transformers' init)
     */
    public record Options(SafetensorsWriter.Dtype dtype, Boolean tied, int shards, ModelConfig config, double initStd) {
        public Options {
            if (dtype == null) {
                dtype = SafetensorsWriter.Dtype.F32;
            }
            if (shards < 1) {
                throw new IllegalArgumentException("shards must be >= 1, was " + shards);
            }
            if (!(initStd > 0) || Double.isInfinite(initStd)) {
                throw new IllegalArgumentException("initStd must be > 0, was " + initStd);
            }
        }

        public static Options defaults() {
            return new Options(SafetensorsWriter.Dtype.F32, null, 1, null, 0.02);
        }

        public Options withDtype(SafetensorsWriter.Dtype d) {
            return new Options(d, tied, shards, config, initStd);
        }

        public Options withTied(boolean t) {
            return new Options(dtype, t, shards, config, initStd);
        }

        public Options withShards(int n) {
            return new Options(dtype, tied, n, config, initStd);
        }

        public Options withConfig(ModelConfig c) {
            return new Options(dtype, tied, shards, c, initStd);
        }

        public Options withInitStd(double s) {
            return new Options(dtype, tied, shards, config, s);
        }
    }

    /** The hyper-parameters that {@link #write} will use for this shape and these options. */
    public static ModelConfig resolvedConfig(Shape shape, Options options) {
        ModelConfig c = options.config() != null ? options.config() : shape.config();
        boolean tied = options.tied() != null ? options.tied() : c.tieWordEmbeddings();
        int tokenizerSize = tokenizerSize(c.vocabSize());
        return new ModelConfig(c.vocabSize(), c.hiddenSize(), c.intermediateSize(), c.numLayers(), c.numHeads(),
                c.numKvHeads(), c.headDim(), c.rmsNormEps(), c.ropeTheta(), tied, c.maxPositionEmbeddings(),
                List.of(tokenizerSize - 1), options.dtype().stored().torchName());
    }

    /** Bytes the safetensors files will take (headers excluded). */
    public static long estimatedBytes(Shape shape, Options options) {
        return resolvedConfig(shape, options).parameterCount() * options.dtype().stored().size();
    }

    /**
     * Ids the synthetic tokenizer defines: the whole vocabulary for small models; for Qwen-sized ones up to
     * and including {@code <|im_end|>} = 151645, as in Qwen2.5 (the embedding keeps spare rows).
     */
    public static int tokenizerSize(int vocabSize) {
        return Math.min(vocabSize, QWEN_TOKENIZER_SPECIALS_END);
    }

    /**
     * Writes the folder: everything goes into a hidden temporary folder beside {@code dir} that is renamed
     * to {@code dir} at the end, so an interrupted run leaves no half model. {@code dir} must not exist or
     * be empty. Tensors are generated and written one at a time, so the heap never holds the model.
     */
    public static void write(Path dir, Shape shape, long seed, Options options) throws IOException {
        ModelConfig c = resolvedConfig(shape, options);
        if (c.vocabSize() < 256 + 3) {
            throw new UserException("vocab_size " + c.vocabSize() + " is too small: the byte-level tokenizer "
                    + "needs 256 byte tokens and 3 special tokens");
        }
        int tensorCount = ModelFolder.expectedShapes(c).size();
        if (options.shards() > tensorCount) {
            throw new UserException("cannot split " + tensorCount + " tensors into " + options.shards() + " shards");
        }
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target) && (!Files.isDirectory(target) || !isEmpty(target))) {
            throw new UserException(target + " already exists and is not an empty folder; choose a new folder");
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
        try {
            int tokSize = tokenizerSize(c.vocabSize());
            AtomicFiles.writeString(tmp.resolve(ModelFolder.CONFIG_FILE), configJson(c, shape, seed, tokSize));
            AtomicFiles.writeString(tmp.resolve(ModelFolder.GENERATION_CONFIG_FILE), generationConfigJson(tokSize));
            AtomicFiles.writeString(tmp.resolve(ModelFolder.TOKENIZER_FILE), tokenizerJson(tokSize));
            AtomicFiles.writeString(tmp.resolve("tokenizer_config.json"), tokenizerConfigJson(tokSize));
            AtomicFiles.writeString(tmp.resolve("README.txt"), readme(shape, seed, options, c));
            List<SafetensorsWriter.Entry> entries = entries(c, seed, options.initStd());
            if (options.shards() == 1) {
                SafetensorsWriter.write(tmp.resolve(SafetensorsReader.SINGLE_FILE), entries, options.dtype());
            } else {
                SafetensorsWriter.writeSharded(tmp, entries, options.dtype(), options.shards());
            }
            if (Files.isDirectory(target)) {
                Files.delete(target);
            }
            AtomicFiles.moveFolderIntoPlace(tmp, target);
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
    }

    /** The tensors in checkpoint order, each generating its values from its own seed when written. */
    static List<SafetensorsWriter.Entry> entries(ModelConfig c, long seed, double std) {
        List<SafetensorsWriter.Entry> out = new ArrayList<>();
        for (Map.Entry<String, List<Long>> e : ModelFolder.expectedShapes(c).entrySet()) {
            String name = e.getKey();
            boolean norm = name.endsWith("layernorm.weight") || name.equals("model.norm.weight");
            long tensorSeed = mix(seed ^ mix(name.hashCode() * 0x9E3779B97F4A7C15L));
            out.add(new SafetensorsWriter.Entry(name, e.getValue(), () -> norm ? ones() : randomValues(tensorSeed, std)));
        }
        return out;
    }

    private static SafetensorsWriter.Values ones() {
        return (chunk, count) -> java.util.Arrays.fill(chunk, 0, count, 1f);
    }

    /**
     * Bell-shaped values with standard deviation {@code std}: the sum of four uniforms (Irwin–Hall), one
     * SplitMix64 draw per value, cheap enough to fill a 7B model.
     */
    private static SafetensorsWriter.Values randomValues(long seed, double std) {
        float scale = (float) (std * Math.sqrt(3.0));
        return new SafetensorsWriter.Values() {
            private long state = seed;

            @Override
            public void next(float[] chunk, int count) {
                for (int i = 0; i < count; i++) {
                    state += 0x9E3779B97F4A7C15L;
                    long z = mix(state);
                    float sum = ((z & 0xFFFF) + ((z >>> 16) & 0xFFFF) + ((z >>> 32) & 0xFFFF) + (z >>> 48)) / 65536f;
                    chunk[i] = (sum - 2f) * scale;
                }
            }
        };
    }

    /** SplitMix64's finaliser: a bijective scramble of 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---- text files ----------------------------------------------------------------------------------------

    static String configJson(ModelConfig c, Shape shape, long seed, int tokSize) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.putArray("architectures").add("Qwen2ForCausalLM");
        n.put("model_type", "qwen2");
        n.put("attention_dropout", 0.0);
        n.put("bos_token_id", tokSize - 3);
        n.put("eos_token_id", tokSize - 1);
        n.put("hidden_act", "silu");
        n.put("hidden_size", c.hiddenSize());
        if (c.headDim() * c.numHeads() != c.hiddenSize()) {
            n.put("head_dim", c.headDim());
        }
        n.put("initializer_range", 0.02);
        n.put("intermediate_size", c.intermediateSize());
        n.put("max_position_embeddings", c.maxPositionEmbeddings());
        n.put("max_window_layers", c.numLayers());
        n.put("num_attention_heads", c.numHeads());
        n.put("num_hidden_layers", c.numLayers());
        n.put("num_key_value_heads", c.numKvHeads());
        n.put("rms_norm_eps", c.rmsNormEps());
        n.putNull("rope_scaling");
        n.put("rope_theta", c.ropeTheta());
        n.put("sliding_window", c.maxPositionEmbeddings());
        n.put("tie_word_embeddings", c.tieWordEmbeddings());
        n.put("torch_dtype", c.torchDtype());
        n.put("use_cache", true);
        n.put("use_sliding_window", false);
        n.put("vocab_size", c.vocabSize());
        ObjectNode mark = n.putObject(ModelFolder.RANDOM_WEIGHTS_MARKER);
        mark.put("shape", shape.id());
        mark.put("seed", seed);
        return JSON.writeValueAsString(n) + "\n";
    }

    /** Qwen2.5-7B-Instruct's sampling defaults, with the ids of this tokenizer. */
    static String generationConfigJson(int tokSize) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("bos_token_id", tokSize - 3);
        n.put("pad_token_id", tokSize - 3);
        n.put("do_sample", true);
        n.putArray("eos_token_id").add(tokSize - 1).add(tokSize - 3);
        n.put("repetition_penalty", 1.05);
        n.put("temperature", 0.7);
        n.put("top_p", 0.8);
        n.put("top_k", 20);
        return JSON.writeValueAsString(n) + "\n";
    }

    static String tokenizerConfigJson(int tokSize) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("add_bos_token", false);
        n.put("add_prefix_space", false);
        ObjectNode decoder = n.putObject("added_tokens_decoder");
        String[] specials = {ENDOFTEXT, IM_START, IM_END};
        for (int i = 0; i < 3; i++) {
            ObjectNode t = decoder.putObject(Integer.toString(tokSize - 3 + i));
            t.put("content", specials[i]).put("lstrip", false).put("normalized", false).put("rstrip", false)
                    .put("single_word", false).put("special", true);
        }
        n.putNull("bos_token");
        n.put("clean_up_tokenization_spaces", false);
        n.put("eos_token", IM_END);
        n.put("errors", "replace");
        n.put("model_max_length", 32768);
        n.put("pad_token", ENDOFTEXT);
        n.put("split_special_tokens", false);
        n.put("tokenizer_class", "Qwen2Tokenizer");
        n.putNull("unk_token");
        return JSON.writeValueAsString(n) + "\n";
    }

    /**
     * A byte-level BPE tokenizer.json with {@code size} ids: the 256 byte symbols (GPT-2's byte-to-character
     * table, so any UTF-8 text encodes without unknowns), pair merges of common letters, filler entries
     * no merge produces, and the three Qwen special tokens as the last three ids.
     */
    public static String tokenizerJson(int size) throws IOException {
        if (size < 259) {
            throw new IllegalArgumentException("tokenizer needs at least 259 ids, got " + size);
        }
        String[] byteChar = byteToChar();
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int b = 0; b < 256; b++) {
            vocab.put(byteChar[b], b);
        }
        int free = size - 3 - 256;
        List<String> merges = new ArrayList<>();
        // Pairs of the most frequent English letters and the space symbol, most useful first.
        String alphabet = "\u0120etaoinshrdlcumwfgypbvkjxqz";
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < alphabet.length(); i++) {
            for (int j = 0; j < alphabet.length(); j++) {
                if (alphabet.charAt(j) != '\u0120') {
                    pairs.add(new int[] {i, j});
                }
            }
        }
        pairs.sort(Comparator.<int[]>comparingInt(p -> p[0] + p[1]).thenComparingInt(p -> p[0]));
        for (int[] p : pairs) {
            if (merges.size() >= free) {
                break;
            }
            String a = String.valueOf(alphabet.charAt(p[0]));
            String b = String.valueOf(alphabet.charAt(p[1]));
            merges.add(a + " " + b);
            vocab.put(a + b, vocab.size());
        }
        while (vocab.size() < size - 3) {
            vocab.put("<|filler_" + vocab.size() + "|>", vocab.size());
        }
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        String[] specials = {ENDOFTEXT, IM_START, IM_END};
        for (int i = 0; i < 3; i++) {
            added.addObject().put("id", size - 3 + i).put("content", specials[i]).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putObject("normalizer").put("type", "NFC");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", false).put("use_regex", true);
        root.putObject("post_processor").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", false).put("use_regex", false);
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", false).put("use_regex", false);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", "");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        ArrayNode m = model.putArray("merges");
        merges.forEach(m::add);
        // Compact: a Qwen-sized vocabulary would otherwise be mostly indentation.
        return new String(new ObjectMapper().writeValueAsBytes(root), StandardCharsets.UTF_8);
    }

    /**
     * The reversible byte → printable character table of byte-level BPE: printable Latin-1 bytes stand for
     * themselves, the rest are shifted to code points from 256 upwards in byte order.
     */
    static String[] byteToChar() {
        String[] out = new String[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            out[b] = String.valueOf((char) (printable ? b : next++));
        }
        return out;
    }

    static String readme(Shape shape, long seed, Options options, ModelConfig c) {
        return String.format(Locale.ROOT, """
                RANDOM WEIGHTS - NOT A TRAINED MODEL

                This folder was written by `rsafe model random`. Its weights are seeded random numbers
                (shape %s, seed %d, dtype %s, %s, %d shard%s). It has the layout and tensor shapes of a
                Hugging Face Qwen2 checkpoint so the RSafe engine can be exercised end to end, but its
                outputs are meaningless: do not use it to judge anything.

                Parameters: %,d   vocab_size: %d   tokenizer ids: %d (synthetic byte-level BPE)
                """, shape.id(), seed, options.dtype(), c.tieWordEmbeddings() ? "tied LM head" : "separate LM head",
                options.shards(), options.shards() == 1 ? "" : "s", c.parameterCount(), c.vocabSize(),
                tokenizerSize(c.vocabSize()));
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
