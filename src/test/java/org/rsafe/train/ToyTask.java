package org.rsafe.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rsafe.engine.llm.ModelConfig;
import org.rsafe.engine.llm.ModelFolder;
import org.rsafe.engine.llm.SafetensorsReader;
import org.rsafe.engine.llm.SafetensorsWriter;
import org.rsafe.trace.Verdict;

/**
 * A toy guard task in RSafe's output format that a tiny random model can learn in seconds on a CPU.
 *
 * <p>The model is a Qwen2-shaped folder with a 24-word vocabulary (a word-level tokenizer.json, so each word is one
 * token): the end token, {@code <think>}, {@code </think>}, the two answers {@code \boxed{safe}} and
 * {@code \boxed{unsafe}} as single tokens, four marker words and filler. A prompt is {@code review : <marker>}; the
 * marker alone decides the verdict ({@code knife}, {@code poison} → unsafe; {@code apple}, {@code bread} → safe).
 *
 * <p>Why it can learn: the reasoning block is pre-filled ({@code completion_prefix = "<think> </think>"}), so a
 * completion is well-formed as soon as it holds a box token, and RSafe's reward of prefix + completion is 0 (no
 * box), 0.1 (wrong box) or 1.0 (right box). With near-uniform initial logits over 24 tokens and 3 completion tokens
 * about a quarter of completions hold a box (mean reward ≈ 0.13), so many groups of 4 have unequal rewards from
 * the first step; {@code frac_reward_zero_std} shows the rest.
 */
final class ToyTask {
    static final String[] WORDS = {
        "<|endoftext|>", "<think>", "</think>", "\\boxed{safe}", "\\boxed{unsafe}",
        "knife", "poison", "apple", "bread", "review", ":",
        "hmm", "so", "it", "is", "ok", "maybe", "the", "a", "fine", "bad", "good", "not", "yes"};
    static final int EOS = 0;
    static final String PREFIX = "<think> </think>";
    static final List<String> UNSAFE = List.of("knife", "poison");
    static final List<String> SAFE = List.of("apple", "bread");

    private ToyTask() { }

    static ModelConfig config() {
        return new ModelConfig(WORDS.length, 32, 64, 1, 2, 1, 16, 1e-6, 10000, true, 256, List.of(EOS), "float32");
    }

    /** Writes the toy model folder (config, word-level tokenizer, seeded random F32 weights) into parent/name. */
    static Path writeModel(Path parent, String name, long seed) {
        Path dir = parent.resolve(name);
        ModelConfig c = config();
        try {
            Files.createDirectories(dir);
            ObjectMapper json = new ObjectMapper();
            ObjectNode cfg = json.createObjectNode();
            cfg.putArray("architectures").add("Qwen2ForCausalLM");
            cfg.put("model_type", "qwen2");
            cfg.put("vocab_size", c.vocabSize());
            cfg.put("hidden_size", c.hiddenSize());
            cfg.put("intermediate_size", c.intermediateSize());
            cfg.put("num_hidden_layers", c.numLayers());
            cfg.put("num_attention_heads", c.numHeads());
            cfg.put("num_key_value_heads", c.numKvHeads());
            cfg.put("head_dim", c.headDim());
            cfg.put("rms_norm_eps", c.rmsNormEps());
            cfg.put("rope_theta", c.ropeTheta());
            cfg.put("hidden_act", "silu");
            cfg.put("tie_word_embeddings", true);
            cfg.put("max_position_embeddings", c.maxPositionEmbeddings());
            cfg.put("eos_token_id", EOS);
            cfg.put("torch_dtype", "float32");
            Files.writeString(dir.resolve(ModelFolder.CONFIG_FILE), json.writeValueAsString(cfg));
            Files.writeString(dir.resolve(ModelFolder.TOKENIZER_FILE), tokenizerJson(json));
            Xoshiro256 rng = new Xoshiro256(seed);
            List<SafetensorsWriter.Entry> entries = new ArrayList<>();
            ModelFolder.expectedShapes(c).forEach((tensor, shape) -> {
                long n = shape.stream().reduce(1L, (x, y) -> x * y);
                float[] v = new float[(int) n];
                boolean norm = tensor.endsWith("norm.weight");
                for (int i = 0; i < v.length; i++) {
                    v[i] = norm ? 1f : (float) (gaussian(rng) * 0.02);
                }
                entries.add(SafetensorsWriter.Entry.of(tensor, v, shape.stream().mapToLong(Long::longValue).toArray()));
            });
            SafetensorsWriter.write(dir.resolve(SafetensorsReader.SINGLE_FILE), entries, SafetensorsWriter.Dtype.F32);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private static double gaussian(Xoshiro256 rng) {
        // Box–Muller; one value per call is plenty for a toy model.
        double u = Math.max(1e-12, rng.nextDouble());
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    private static String tokenizerJson(ObjectMapper json) throws IOException {
        ObjectNode t = json.createObjectNode();
        t.put("version", "1.0");
        t.putNull("truncation");
        t.putNull("padding");
        ArrayNode added = t.putArray("added_tokens");
        ObjectNode eos = added.addObject();
        eos.put("id", EOS).put("content", WORDS[EOS]).put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", false).put("special", true);
        t.putNull("normalizer");
        t.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
        t.putNull("post_processor");
        t.putNull("decoder");
        ObjectNode model = t.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < WORDS.length; i++) {
            vocab.put(WORDS[i], i);
        }
        model.put("unk_token", "hmm");
        return json.writeValueAsString(t);
    }

    /** {@code n} rows cycling through the four markers (half safe, half unsafe). */
    static List<TrainingRow> rows(int n) {
        List<String> markers = List.of("knife", "apple", "poison", "bread");
        List<TrainingRow> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String m = markers.get(i % markers.size());
            Verdict v = UNSAFE.contains(m) ? Verdict.UNSAFE : Verdict.SAFE;
            out.add(new TrainingRow("toy:" + i, "review : " + m + " ", v, TrainingRow.Level.PROMPT, "toy", m, null));
        }
        return out;
    }
}
