package org.rsafe.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rsafe.engine.llm.ModelConfig;
import org.rsafe.engine.llm.ModelFolder;
import org.rsafe.engine.llm.SafetensorsReader;
import org.rsafe.engine.llm.SafetensorsWriter;
import org.rsafe.trace.Verdict;

/**
 * A toy guard task in RSafe's output format that a tiny random model learns with GRPO in seconds on a CPU.
 *
 * <p>The model is a one-layer Qwen2-shaped folder with a 15-word vocabulary (a word-level tokenizer.json, one token
 * per word): the end token, {@code <think>}, {@code </think>}, the two answers {@code \boxed{safe}} and
 * {@code \boxed{unsafe}} as single tokens, marker words, prompt words and filler. A prompt is
 * {@code review : <marker>}; the marker alone decides the gold verdict ({@code knife} → unsafe, {@code apple} →
 * safe).
 *
 * <p>Why it can learn, and why it starts low: the reasoning block is pre-filled ({@code completion_prefix =
 * "<think> </think>"}), so a completion is well-formed as soon as it holds a box token, and RSafe's reward of prefix
 * + completion is 0 (no box), 0.1 (wrong box) or 1.0 (right box). Random weights spread the first tokens over all
 * 15 words, so a two-token completion holds a box only now and then: the mean reward starts near 0.1–0.2, yet many
 * groups of 8 have unequal rewards from the first step ({@code frac_reward_zero_std} &lt; 1), which is all GRPO needs.
 * The LM head is untied, with rows large enough that LoRA (which adapts the projections, not the head) can make a box
 * nearly certain; the other weights have std 0.1 so the marker's embedding reaches the last position at all.
 */
public final class ToyTask {
    public static final String[] WORDS = {
        "<|endoftext|>", "<think>", "</think>", "\\boxed{safe}", "\\boxed{unsafe}",
        "knife", "poison", "apple", "bread", "review", ":", "hmm", "so", "ok", "yes"};
    public static final int EOS = 0;
    public static final String PREFIX = "<think> </think>";
    public static final String UNSAFE_MARKER = "knife";
    public static final String SAFE_MARKER = "apple";

    private ToyTask() { }

    public static ModelConfig config() {
        return new ModelConfig(WORDS.length, 128, 256, 1, 4, 2, 32, 1e-6, 10000, false, 256, List.of(EOS), "float32");
    }

    /** Writes the toy model folder (config, word-level tokenizer, seeded random F32 weights) into parent/name. */
    public static Path writeModel(Path parent, String name, long seed) {
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
            cfg.put("tie_word_embeddings", false);
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
                double std = tensor.equals("model.embed_tokens.weight") ? 0.1 : tensor.equals("lm_head.weight") ? 0.06 : 0.1;
                for (int i = 0; i < v.length; i++) {
                    v[i] = norm ? 1f : (float) (gaussian(rng) * std);
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
        t.putNull("decoder"); // tokens are joined with spaces
        ObjectNode model = t.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < WORDS.length; i++) {
            vocab.put(WORDS[i], i);
        }
        model.put("unk_token", "hmm");
        return json.writeValueAsString(t);
    }

    /** {@code n} rows alternating the unsafe and the safe marker. The prompt ends with a space before the prefix. */
    public static List<TrainingRow> rows(int n) {
        List<TrainingRow> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String m = i % 2 == 0 ? UNSAFE_MARKER : SAFE_MARKER;
            Verdict v = m.equals(UNSAFE_MARKER) ? Verdict.UNSAFE : Verdict.SAFE;
            out.add(new TrainingRow("toy:" + i, "review : " + m + " ", v, TrainingRow.Level.PROMPT, "toy", m, null));
        }
        return out;
    }

    /**
     * The GRPO settings the toy learns with: groups of 8, 8 prompts per step in one micro-batch, two-token
     * completions sampled at temperature 1 without top-p or repetition penalty, the reasoning block pre-filled,
     * LoRA r 8 on every projection, a learning rate suited to a tiny model, and a strong entropy bonus that keeps
     * both answers in play until the marker decides between them.
     */
    public static Map<String, String> settings(int maxSteps, long seed) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("num_generations", "8");
        s.put("per_device_train_batch_size", "64");
        s.put("gradient_accumulation_steps", "1");
        s.put("rollout_batch_size", "64");
        s.put("max_completion_length", "2");
        s.put("temperature", "1.0");
        s.put("top_p", "1.0");
        s.put("repetition_penalty", "1.0");
        s.put("completion_prefix", PREFIX);
        s.put("learning_rate", "0.003");
        s.put("weight_decay", "0");
        s.put("entropy_coef", "0.1");
        s.put("lora_r", "8");
        s.put("lora_alpha", "16");
        s.put("max_steps", Integer.toString(maxSteps));
        s.put("seed", Long.toString(seed));
        return s;
    }
}
