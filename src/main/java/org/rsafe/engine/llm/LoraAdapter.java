package org.rsafe.engine.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.rsafe.util.Hashing;
import org.rsafe.util.UserException;

/**
 * A PEFT LoRA adapter folder (adapter_config.json + adapter_model.safetensors), checked against the base
 * model's weight shapes, that adds {@code scale · B·A} to the linear weights it targets so a model can load
 * merged weights without knowing adapters exist.
 */
public final class LoraAdapter implements AutoCloseable {
    public static final String CONFIG_FILE = "adapter_config.json";
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";
    private static final Pattern TENSOR_NAME = Pattern.compile("base_model\\.model\\.(.+)\\.lora_([AB])\\.weight");

    /** The two factors for one base weight: A is [r, in], B is [out, r]. */
    public record Factors(String baseWeight, String aTensor, String bTensor) { }

    private final Path dir;
    private final int r;
    private final double alpha;
    private final boolean rsLora;
    private final List<String> targetModules;
    private final String baseModelNameOrPath;
    private final Map<String, Factors> factors;
    private final SafetensorsReader weights;

    private LoraAdapter(Path dir, int r, double alpha, boolean rsLora, List<String> targetModules,
                        String baseModelNameOrPath, Map<String, Factors> factors, SafetensorsReader weights) {
        this.dir = dir;
        this.r = r;
        this.alpha = alpha;
        this.rsLora = rsLora;
        this.targetModules = targetModules;
        this.baseModelNameOrPath = baseModelNameOrPath;
        this.factors = factors;
        this.weights = weights;
    }

    /**
     * Parses and validates an adapter folder against the base model's expected weight shapes (as from
     * {@link ModelFolder#expectedShapes(ModelConfig)}). Every problem is reported in one UserException.
     */
    public static LoraAdapter open(Path dir, Map<String, List<Long>> baseShapes) {
        if (!Files.isDirectory(dir)) {
            throw new UserException("adapter folder " + dir + " does not exist");
        }
        Path configFile = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(configFile)) {
            throw new UserException("no " + CONFIG_FILE + " in " + dir + " (not a PEFT adapter folder?)");
        }
        JsonNode cfg = SafetensorsReader.readJson(configFile);
        if (cfg == null || !cfg.isObject()) {
            throw new UserException(configFile + ": expected a JSON object");
        }
        List<String> problems = new ArrayList<>();
        String peftType = text(cfg, "peft_type", "LORA");
        if (!peftType.equals("LORA")) {
            throw new UserException(configFile + ": peft_type is " + peftType + "; only LORA adapters are supported");
        }
        // PEFT's LoraConfig defaults (r = 8, lora_alpha = 8) apply when a field is absent.
        JsonNode rNode = cfg.path("r");
        if (!rNode.isMissingNode() && (!rNode.isIntegralNumber() || rNode.asInt() <= 0)) {
            throw new UserException(configFile + ": r must be a positive integer, was " + rNode);
        }
        int r = rNode.isMissingNode() ? 8 : rNode.asInt();
        JsonNode alphaNode = cfg.path("lora_alpha");
        if (!alphaNode.isMissingNode() && (!alphaNode.isNumber() || !Double.isFinite(alphaNode.asDouble()))) {
            throw new UserException(configFile + ": lora_alpha must be a number, was " + alphaNode);
        }
        double alpha = alphaNode.isMissingNode() ? 8 : alphaNode.asDouble();
        boolean rsLora = cfg.path("use_rslora").asBoolean(false);
        if (cfg.path("fan_in_fan_out").asBoolean(false)) {
            problems.add("fan_in_fan_out is true (GPT-2 style Conv1D weights); Qwen2 adapters store [out, in]");
        }
        String bias = text(cfg, "bias", "none");
        if (!bias.equals("none")) {
            problems.add("bias is \"" + bias + "\": adapters that train biases are not supported");
        }
        if (cfg.path("use_dora").asBoolean(false)) {
            problems.add("use_dora is true: DoRA adapters are not supported");
        }
        for (String key : List.of("rank_pattern", "alpha_pattern")) {
            JsonNode n = cfg.get(key);
            if (n != null && n.isObject() && !n.isEmpty()) {
                problems.add(key + " is set: per-module ranks/alphas are not supported");
            }
        }
        JsonNode mts = cfg.get("modules_to_save");
        if (mts != null && mts.isArray() && !mts.isEmpty()) {
            problems.add("modules_to_save " + mts + " is set: adapters that replace whole modules are not supported");
        }
        JsonNode tm = cfg.get("target_modules");
        List<String> targets = new ArrayList<>();
        Pattern targetRegex = null;
        boolean allLinear = false;
        if (tm == null || tm.isNull()) {
            problems.add("target_modules is missing");
        } else if (tm.isArray()) {
            tm.forEach(t -> targets.add(t.asText()));
        } else if (tm.isTextual()) {
            targets.add(tm.asText());
            if (tm.asText().equals("all-linear")) {
                allLinear = true;
            } else {
                try {
                    targetRegex = Pattern.compile(tm.asText());
                } catch (PatternSyntaxException e) {
                    problems.add("target_modules \"" + tm.asText() + "\" is not a valid regular expression");
                }
            }
        } else {
            problems.add("target_modules must be a list of module names or a string, was " + tm);
        }

        Path weightsFile = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(weightsFile)) {
            String hint = Files.exists(dir.resolve("adapter_model.bin"))
                    ? " (found adapter_model.bin: only safetensors adapters are supported)" : "";
            problems.add("no " + WEIGHTS_FILE + " in " + dir + hint);
            throw failure(dir, problems);
        }
        SafetensorsReader reader = SafetensorsReader.openFile(weightsFile);
        try {
            Map<String, String[]> pairs = new TreeMap<>();
            for (String name : reader.names()) {
                Matcher m = TENSOR_NAME.matcher(name);
                if (!m.matches()) {
                    problems.add("unexpected tensor " + name + " in " + WEIGHTS_FILE
                            + " (expected base_model.model.<module>.lora_A.weight / lora_B.weight)");
                    continue;
                }
                String[] pair = pairs.computeIfAbsent(m.group(1), k -> new String[2]);
                pair[m.group(2).equals("A") ? 0 : 1] = name;
            }
            Set<String> usedTargets = new LinkedHashSet<>();
            Map<String, Factors> factors = new LinkedHashMap<>();
            for (Map.Entry<String, String[]> e : pairs.entrySet()) {
                String module = e.getKey();
                String baseWeight = module + ".weight";
                String[] pair = e.getValue();
                if (pair[0] == null || pair[1] == null) {
                    problems.add("module " + module + " has lora_" + (pair[0] == null ? "B" : "A")
                            + " but no lora_" + (pair[0] == null ? "A" : "B"));
                    continue;
                }
                List<Long> base = baseShapes.get(baseWeight);
                if (base == null || base.size() != 2 || baseWeight.equals("model.embed_tokens.weight")) {
                    problems.add("adapter targets " + module + ", which is not a linear layer of the base model");
                    continue;
                }
                String matched = matchTarget(module, targets, targetRegex, allLinear);
                if (matched == null) {
                    problems.add("adapter has weights for " + module + ", which target_modules " + targets
                            + " does not name");
                    continue;
                }
                usedTargets.add(matched);
                List<Long> aShape = reader.info(pair[0]).shape();
                List<Long> bShape = reader.info(pair[1]).shape();
                List<Long> wantA = List.of((long) r, base.get(1));
                List<Long> wantB = List.of(base.get(0), (long) r);
                if (!aShape.equals(wantA)) {
                    problems.add(pair[0] + " has shape " + aShape + ", expected " + wantA + " (r=" + r
                            + ", in=" + base.get(1) + ")");
                }
                if (!bShape.equals(wantB)) {
                    problems.add(pair[1] + " has shape " + bShape + ", expected " + wantB + " (out=" + base.get(0)
                            + ", r=" + r + ")");
                }
                for (String t : pair) {
                    if (!SafetensorsDtype.valueOf(reader.info(t).dtype()).isFloat()) {
                        problems.add(t + " is stored as " + reader.info(t).dtype() + ", not a float type");
                    }
                }
                factors.put(baseWeight, new Factors(baseWeight, pair[0], pair[1]));
            }
            if (tm != null && tm.isArray()) {
                for (String t : targets) {
                    if (!usedTargets.contains(t)) {
                        problems.add("target module " + t + " has no lora_A/lora_B weights in " + WEIGHTS_FILE);
                    }
                }
            }
            if (factors.isEmpty() && problems.isEmpty()) {
                problems.add(WEIGHTS_FILE + " holds no LoRA weights");
            }
            if (!problems.isEmpty()) {
                throw failure(dir, problems);
            }
            return new LoraAdapter(dir, r, alpha, rsLora, List.copyOf(targets), text(cfg, "base_model_name_or_path", ""),
                    Collections.unmodifiableMap(factors), reader);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** PEFT's rule: a list entry matches a module named exactly so or ending in "." + entry; a string is a full-match regex. */
    private static String matchTarget(String module, List<String> targets, Pattern regex, boolean allLinear) {
        if (allLinear) {
            return module.equals("lm_head") ? null : "all-linear";
        }
        if (regex != null) {
            return regex.matcher(module).matches() ? targets.get(0) : null;
        }
        for (String t : targets) {
            if (module.equals(t) || module.endsWith("." + t)) {
                return t;
            }
        }
        return null;
    }

    private static UserException failure(Path dir, List<String> problems) {
        StringBuilder sb = new StringBuilder("adapter folder " + dir + " cannot be used with this model ("
                + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "):");
        problems.forEach(p -> sb.append("\n  - ").append(p));
        return new UserException(sb.toString());
    }

    private static String text(JsonNode cfg, String field, String fallback) {
        JsonNode n = cfg.get(field);
        return n == null || n.isNull() ? fallback : n.asText();
    }

    public Path dir() {
        return dir;
    }

    /** The LoRA rank r. */
    public int r() {
        return r;
    }

    public double alpha() {
        return alpha;
    }

    /** The multiplier of B·A: alpha / r, or alpha / √r with rank-stabilised LoRA. */
    public double scale() {
        return rsLora ? alpha / Math.sqrt(r) : alpha / r;
    }

    public boolean useRsLora() {
        return rsLora;
    }

    /** target_modules as written in adapter_config.json. */
    public List<String> targetModules() {
        return targetModules;
    }

    public String baseModelNameOrPath() {
        return baseModelNameOrPath;
    }

    /** Base weight names ({@code model.layers.0.self_attn.q_proj.weight}) that this adapter changes. */
    public Set<String> targetedWeights() {
        return factors.keySet();
    }

    public boolean targets(String baseWeight) {
        return factors.containsKey(baseWeight);
    }

    /** The factor tensor names for one targeted base weight. */
    public Factors factors(String baseWeight) {
        Factors f = factors.get(baseWeight);
        if (f == null) {
            throw new IllegalArgumentException("adapter does not target " + baseWeight);
        }
        return f;
    }

    /** The adapter's own tensors (lora_A / lora_B), as float32. */
    public TensorSource tensors() {
        return weights;
    }

    /**
     * Adds {@code scale · B·A} to {@code w}, a base weight [out, in] in row-major order; a weight the adapter
     * does not target is left unchanged.
     */
    public void addDeltaTo(String baseWeight, float[] w) {
        Factors f = factors.get(baseWeight);
        if (f == null) {
            return;
        }
        List<Long> bShape = weights.info(f.bTensor()).shape();
        int out = (int) (long) bShape.get(0);
        int in = (int) (long) weights.info(f.aTensor()).shape().get(1);
        if (w.length != (long) out * in) {
            throw new IllegalArgumentException(baseWeight + " has " + w.length + " values, adapter expects "
                    + out + "x" + in);
        }
        float[] a = weights.readFloats(f.aTensor()); // [r, in]
        float[] b = weights.readFloats(f.bTensor()); // [out, r]
        float s = (float) scale();
        float[] row = new float[in];
        for (int o = 0; o < out; o++) {
            // Accumulate the row of the delta separately so it is rounded to float once, then added.
            java.util.Arrays.fill(row, 0f);
            for (int k = 0; k < r; k++) {
                float bk = b[o * r + k];
                if (bk == 0f) {
                    continue;
                }
                int aBase = k * in;
                for (int i = 0; i < in; i++) {
                    row[i] += bk * a[aBase + i];
                }
            }
            int wBase = o * in;
            for (int i = 0; i < in; i++) {
                w[wBase + i] += s * row[i];
            }
        }
    }

    /** SHA-256 over adapter_config.json and the full adapter weight file (adapters are small). */
    public String hash() {
        try {
            MessageDigest md = Hashing.sha256Digest();
            md.update(Files.readAllBytes(dir.resolve(CONFIG_FILE)));
            md.update(HexFormat.of().parseHex(Hashing.sha256(dir.resolve(WEIGHTS_FILE))));
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UserException("cannot read adapter " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        weights.close();
    }
}
