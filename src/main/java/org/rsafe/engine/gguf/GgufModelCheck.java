package org.rsafe.engine.gguf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rsafe.engine.Qwen2Tensors;
import org.rsafe.util.UserException;

/**
 * Checks a GGUF file before llama.cpp loads it, because llama.cpp accepts silently what would later give garbage or
 * abort the process: special-token ids outside the vocabulary, tensors whose shapes or types do not fit the
 * hyper-parameters, NaN or infinite values in the small tensors (norms, biases), an architecture the bundled build
 * cannot run, and adapters that do not fit their model.
 */
public final class GgufModelCheck {
    /** Tensors up to this many values are scanned for NaN and infinity (every norm and bias of a 7B model). */
    static final long SCAN_LIMIT = 1 << 20;
    private static final List<String> SPECIAL_IDS = List.of("bos_token_id", "eos_token_id", "unknown_token_id",
            "padding_token_id", "eot_token_id", "seperator_token_id");

    private GgufModelCheck() { }

    /** What a checked model offers its server. */
    public record ModelFacts(int vocabSize, int trainContextLength, String name, java.util.Set<String> controlTokens) { }

    /** Checks a model file; every problem found is in one UserException. */
    public static ModelFacts checkModel(GgufFile f) {
        List<String> problems = new ArrayList<>();
        GgufMetadata m = f.metadata();
        String arch = architecture(f);
        String type = m.string("general.type").orElse("model");
        if (type.equals("adapter")) {
            throw new UserException(f.path() + " is a LoRA adapter, not a model; give it with --adapter next to its "
                    + "model");
        }
        String a = arch + ".";
        long layers = required(m, a + "block_count", problems);
        long hidden = required(m, a + "embedding_length", problems);
        long ff = required(m, a + "feed_forward_length", problems);
        long heads = required(m, a + "attention.head_count", problems);
        long kvHeads = m.integer(a + "attention.head_count_kv").orElse(heads);
        long context = required(m, a + "context_length", problems);
        throwIf(f, problems);
        if (heads <= 0 || hidden <= 0 || kvHeads <= 0 || heads % kvHeads != 0) {
            problems.add("attention.head_count " + heads + " / head_count_kv " + kvHeads + " / embedding_length "
                    + hidden + " are inconsistent");
            throwIf(f, problems);
        }
        long headDim = m.integer(a + "attention.key_length").orElse(hidden / heads);
        Optional<List<?>> tokens = m.array("tokenizer.ggml.tokens");
        if (tokens.isEmpty()) {
            problems.add("no tokenizer.ggml.tokens (the tokenizer is missing)");
            throwIf(f, problems);
        }
        int vocab = tokens.get().size();
        m.array("tokenizer.ggml.token_type").filter(t -> t.size() != vocab).ifPresent(t ->
                problems.add("tokenizer.ggml.token_type has " + t.size() + " entries for " + vocab + " tokens"));
        for (String key : SPECIAL_IDS) {
            m.integer("tokenizer.ggml." + key).filter(id -> id < 0 || id >= vocab).ifPresent(id ->
                    problems.add("tokenizer.ggml." + key + " is " + id + ", outside the " + vocab + " tokens"));
        }
        if (m.integer("tokenizer.ggml.eos_token_id").isEmpty()) {
            problems.add("no tokenizer.ggml.eos_token_id: generation would never stop at an end token");
        }
        Map<String, List<Long>> expected = new java.util.LinkedHashMap<>();
        Qwen2Tensors.shapes(vocab, hidden, heads * headDim, kvHeads * headDim, ff, layers,
                f.tensors().containsKey("output.weight"))
                .forEach((hfName, shape) -> expected.put(Qwen2GgufConverter.ggufName(hfName), shape));
        expected.forEach((name, shape) -> {
            GgufFile.TensorInfo t = f.tensors().get(name);
            if (t == null) {
                problems.add("tensor " + name + " is missing");
            } else if (!t.shape().equals(shape)) {
                problems.add("tensor " + name + " has shape " + t.shape() + ", the metadata implies " + shape);
            } else if (shape.size() == 1 && t.type() != GgufType.F32) {
                problems.add("tensor " + name + " is " + t.type() + "; one-dimensional tensors must be F32");
            }
        });
        for (String name : f.tensors().keySet()) {
            if (!expected.containsKey(name)) {
                problems.add("tensor " + name + " has no place in a " + arch + " model");
            }
        }
        throwIf(f, problems);
        scanSmallTensors(f, problems);
        throwIf(f, problems);
        java.util.Set<String> control = new java.util.HashSet<>();
        List<?> types = m.array("tokenizer.ggml.token_type").orElse(List.of());
        for (int k = 0; k < types.size(); k++) {
            if (Long.valueOf(HfVocabulary.CONTROL).equals(types.get(k))) {
                control.add(String.valueOf(tokens.get().get(k)));
            }
        }
        return new ModelFacts(vocab, (int) Math.min(Integer.MAX_VALUE, context),
                m.string("general.name").orElse(""), java.util.Set.copyOf(control));
    }

    /** Checks an adapter file against the model it will be applied to. */
    public static void checkAdapter(GgufFile adapter, GgufFile model) {
        List<String> problems = new ArrayList<>();
        GgufMetadata m = adapter.metadata();
        if (!m.string("general.type").orElse("").equals("adapter")
                || !m.string("adapter.type").orElse("").equals("lora")) {
            throw new UserException(adapter.path() + " is not a GGUF LoRA adapter (general.type = adapter, "
                    + "adapter.type = lora); convert a PEFT adapter with rsafe model convert MODEL --adapter DIR");
        }
        String arch = m.string("general.architecture").orElse("");
        String modelArch = model.metadata().string("general.architecture").orElse("");
        if (!arch.equals(modelArch)) {
            problems.add("adapter architecture " + arch + " does not match the model's " + modelArch);
        }
        m.number("adapter.lora.alpha").filter(v -> !Double.isFinite(v)).ifPresent(v ->
                problems.add("adapter.lora.alpha is " + v));
        for (GgufFile.TensorInfo a : adapter.tensors().values()) {
            if (!a.name().endsWith(".lora_a")) {
                if (!a.name().endsWith(".lora_b")) {
                    problems.add("tensor " + a.name() + " is neither a lora_a nor a lora_b factor");
                }
                continue;
            }
            String base = a.name().substring(0, a.name().length() - ".lora_a".length());
            GgufFile.TensorInfo b = adapter.tensors().get(base + ".lora_b");
            GgufFile.TensorInfo w = model.tensors().get(base);
            if (b == null) {
                problems.add("tensor " + base + ".lora_b is missing");
            } else if (w == null) {
                problems.add("the model has no tensor " + base + " for " + a.name());
            } else if (a.shape().size() != 2 || b.shape().size() != 2 || w.shape().size() != 2
                    || !a.shape().get(1).equals(w.shape().get(1)) || !b.shape().get(0).equals(w.shape().get(0))
                    || !a.shape().get(0).equals(b.shape().get(1))) {
                problems.add(base + ": lora_a " + a.shape() + " and lora_b " + b.shape() + " do not fit the weight "
                        + w.shape());
            }
        }
        throwIf(adapter, problems);
        scanSmallTensors(adapter, problems);
        throwIf(adapter, problems);
    }

    /** general.architecture, refusing what the bundled llama.cpp cannot run. */
    static String architecture(GgufFile f) {
        String arch = f.metadata().string("general.architecture").orElseThrow(() ->
                new UserException(f.path() + ": no general.architecture in its metadata"));
        if (arch.startsWith("qwen3")) {
            throw new UserException(f.path() + ": architecture " + arch + " cannot be run by the bundled llama.cpp ("
                    + Qwen2GgufConverter.BUNDLED_LLAMA_CPP + "); Qwen2 and Qwen2.5 models can");
        }
        if (!arch.equals(Qwen2GgufConverter.ARCHITECTURE)) {
            throw new UserException(f.path() + ": architecture " + arch + " is not supported; this engine runs "
                    + "Qwen2-family (qwen2) GGUF models");
        }
        return arch;
    }

    private static void scanSmallTensors(GgufFile f, List<String> problems) {
        for (GgufFile.TensorInfo t : f.tensors().values()) {
            if (t.elementCount() > SCAN_LIMIT) {
                continue;
            }
            float[] v = f.readFloats(t.name());
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    problems.add("tensor " + t.name() + " holds " + v[i] + " at index " + i);
                    break;
                }
            }
        }
    }

    private static long required(GgufMetadata m, String key, List<String> problems) {
        Optional<Long> v = m.integer(key);
        if (v.isEmpty()) {
            problems.add("no " + key + " in the metadata");
            return 0;
        }
        return v.get();
    }

    private static void throwIf(GgufFile f, List<String> problems) {
        if (problems.isEmpty()) {
            return;
        }
        String shown = String.join("; ", problems.subList(0, Math.min(5, problems.size())));
        throw new UserException(f.path() + ": not a usable GGUF model: " + shown
                + (problems.size() > 5 ? " (and " + (problems.size() - 5) + " more)" : ""));
    }
}
