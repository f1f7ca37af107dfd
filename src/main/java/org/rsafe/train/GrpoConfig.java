package org.rsafe.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.rsafe.util.Hashing;
import org.rsafe.util.UserException;

/**
 * Every knob of a GRPO run with LoRA, named as in TRL / Hugging Face ({@code num_generations}, {@code beta}, ...) so
 * users recognise them. Defaults follow RSafe's recipe where it has one (RSAFE.md §5) and recent TRL otherwise; see
 * {@link #KNOBS} for each default and why.
 *
 * <p>Batch arithmetic (TRL's): one optimizer step consumes a generation batch of
 * {@code per_device_train_batch_size × gradient_accumulation_steps} completions, i.e. that number divided by
 * {@code num_generations} prompts; each micro-batch of {@code per_device_train_batch_size} completions is one
 * forward/backward pass. The defaults give RSafe's 32 prompts × 4 completions per step.
 */
public record GrpoConfig(
        int numGenerations,
        int maxCompletionLength,
        int maxPromptLength,
        double temperature,
        double topP,
        int topK,
        double repetitionPenalty,
        String completionPrefix,
        double beta,
        double epsilon,
        double epsilonHigh,
        double entropyCoef,
        LossType lossType,
        ScaleRewards scaleRewards,
        double advantageEpsilon,
        boolean maskTruncatedCompletions,
        int numIterations,
        double learningRate,
        double weightDecay,
        double adamBeta1,
        double adamBeta2,
        double adamEpsilon,
        double maxGradNorm,
        int gradientAccumulationSteps,
        LearningRateSchedule.Type lrSchedulerType,
        double warmupRatio,
        int perDeviceTrainBatchSize,
        int rolloutBatchSize,
        boolean gradientCheckpointing,
        double numTrainEpochs,
        int maxSteps,
        long seed,
        int loggingSteps,
        int saveSteps,
        int loraR,
        double loraAlpha,
        double loraDropout,
        List<String> targetModules) {

    /** The Qwen2 linear layers LoRA can adapt. */
    public static final List<String> LINEAR_MODULES =
            List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    /** One configurable setting: its TRL name, default (as typed on the command line) and meaning. */
    public record Knob(String name, String defaultValue, String help) {
        /** The command-line spelling, {@code --num-generations}. */
        public String kebab() {
            return "--" + name.replace('_', '-');
        }

        /** TRL's spelling as a flag, {@code --num_generations}. */
        public String snake() {
            return "--" + name;
        }
    }

    /** All knobs in the order they are documented, with the defaults {@link #defaults()} uses. */
    public static final List<Knob> KNOBS = List.of(
            new Knob("num_generations", "4", "Completions sampled per prompt (the GRPO group; RSafe: 4)."),
            new Knob("max_completion_length", "512", "Longest completion in tokens (RSafe: 512)."),
            new Knob("max_prompt_length", "2048", "Longest prompt in tokens; longer rows are skipped (RSafe: 2048)."),
            new Knob("temperature", "0.7", "Rollout sampling temperature, also applied to the logits of the loss (RSafe: 0.7)."),
            new Knob("top_p", "0.8", "Rollout nucleus sampling (RSafe: 0.8)."),
            new Knob("top_k", "0", "Rollout top-k; 0 = off (RSafe: off)."),
            new Knob("repetition_penalty", "1.05", "Rollout repetition penalty (RSafe: 1.05)."),
            new Knob("completion_prefix", "", "Text the model continues from after the prompt, scored with the completion "
                    + "(e.g. '<think>'); RSafe: empty, the model writes <think> itself."),
            new Knob("beta", "0.0", "Weight of the k3 KL penalty to the reference (base model without adapters); RSafe: off."),
            new Knob("epsilon", "0.2", "Lower clip range of the ratio, 1 - epsilon (RSafe: 0.2)."),
            new Knob("epsilon_high", "", "Upper clip range, 1 + epsilon_high; empty = epsilon (DAPO suggests 0.28)."),
            new Knob("entropy_coef", "0.001", "Entropy bonus weight (verl's entropy_coeff; RSafe: 0.001)."),
            new Knob("loss_type", "bnpo", "grpo | bnpo | dr_grpo | dapo; bnpo = token mean per micro-batch, averaged over "
                    + "the accumulation steps: what RSafe's verl computed (its token-mean over micro-batches of 8, as "
                    + "per_device_train_batch_size 8 gives); dapo = token mean over the whole step."),
            new Knob("scale_rewards", "group", "group | batch | none: what (r - group mean) is divided by."),
            new Knob("advantage_epsilon", "1e-4", "Added to the std before dividing (TRL: 1e-4; RSafe's verl: 1e-6)."),
            new Knob("mask_truncated_completions", "false", "Exclude completions that hit max_completion_length from the loss."),
            new Knob("num_iterations", "1", "Optimisation passes per generation batch; only 1 is supported (RSafe: 1)."),
            new Knob("learning_rate", "2e-5", "Peak learning rate; LoRA needs 1e-5..1e-4 (RSafe's full fine-tune used 1e-7)."),
            new Knob("weight_decay", "0.01", "AdamW decoupled weight decay (RSafe: 0.01)."),
            new Knob("adam_beta1", "0.9", "AdamW beta1."),
            new Knob("adam_beta2", "0.999", "AdamW beta2."),
            new Knob("adam_epsilon", "1e-8", "AdamW epsilon."),
            new Knob("max_grad_norm", "1.0", "Clip gradients to this global L2 norm; 0 = no clipping (RSafe: 1.0)."),
            new Knob("gradient_accumulation_steps", "16", "Micro-batches per optimizer step."),
            new Knob("lr_scheduler_type", "constant", "constant | linear | cosine (after warm-up)."),
            new Knob("warmup_ratio", "0.0", "Share of the steps spent warming the learning rate up from 0."),
            new Knob("per_device_train_batch_size", "8", "Completions per micro-batch (forward/backward pass)."),
            new Knob("rollout_batch_size", "16", "Completions decoded together while sampling (memory vs. speed; "
                    + "each completion keeps its own seed)."),
            new Knob("gradient_checkpointing", "false", "Keep only each layer's input for the backward pass and recompute "
                    + "the layer (about 1/3 more compute, far less memory: use it on a GPU)."),
            new Knob("num_train_epochs", "3", "Passes over the training rows (RSafe: 3); max_steps overrides."),
            new Knob("max_steps", "-1", "Optimizer steps in the run; -1 = from num_train_epochs."),
            new Knob("seed", "42", "Seed of data order, LoRA init and sampling."),
            new Knob("logging_steps", "1", "Write a log line every N steps."),
            new Knob("save_steps", "50", "Save a checkpoint every N steps; 0 = only at the end."),
            new Knob("lora_r", "16", "LoRA rank r."),
            new Knob("lora_alpha", "32", "LoRA alpha; the update is scaled by alpha / r."),
            new Knob("lora_dropout", "0.0", "Dropout on the LoRA input (PEFT's default 0)."),
            new Knob("target_modules", String.join(",", LINEAR_MODULES),
                    "Comma-separated projections that get adapters (default: all attention and MLP projections)."));

    /** Knobs that change only bookkeeping, not the trajectory: a resumed run may change them. */
    private static final List<String> NOT_HASHED = List.of("logging_steps", "save_steps", "gradient_checkpointing");

    public GrpoConfig {
        List<String> p = new ArrayList<>();
        if (numGenerations < 2) {
            p.add("num_generations must be at least 2 (a group of one has no advantage), was " + numGenerations);
        }
        positive(p, "max_completion_length", maxCompletionLength);
        positive(p, "max_prompt_length", maxPromptLength);
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            p.add("temperature must be > 0, was " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            p.add("top_p must be in (0, 1], was " + topP);
        }
        if (topK < 0) {
            p.add("top_k must be >= 0 (0 = off), was " + topK);
        }
        if (!(repetitionPenalty > 0)) {
            p.add("repetition_penalty must be > 0, was " + repetitionPenalty);
        }
        completionPrefix = completionPrefix == null ? "" : completionPrefix;
        nonNegative(p, "beta", beta);
        nonNegative(p, "epsilon", epsilon);
        nonNegative(p, "epsilon_high", epsilonHigh);
        nonNegative(p, "entropy_coef", entropyCoef);
        nonNegative(p, "advantage_epsilon", advantageEpsilon);
        Objects.requireNonNull(lossType, "lossType");
        Objects.requireNonNull(scaleRewards, "scaleRewards");
        Objects.requireNonNull(lrSchedulerType, "lrSchedulerType");
        if (numIterations != 1) {
            p.add("num_iterations must be 1 (one optimisation pass per generation batch, as RSafe), was " + numIterations);
        }
        if (!(learningRate > 0)) {
            p.add("learning_rate must be > 0, was " + learningRate);
        }
        nonNegative(p, "weight_decay", weightDecay);
        if (!(adamBeta1 >= 0 && adamBeta1 < 1) || !(adamBeta2 >= 0 && adamBeta2 < 1)) {
            p.add("adam_beta1 and adam_beta2 must be in [0, 1)");
        }
        if (!(adamEpsilon > 0)) {
            p.add("adam_epsilon must be > 0, was " + adamEpsilon);
        }
        nonNegative(p, "max_grad_norm", maxGradNorm);
        positive(p, "gradient_accumulation_steps", gradientAccumulationSteps);
        if (!(warmupRatio >= 0 && warmupRatio < 1)) {
            p.add("warmup_ratio must be in [0, 1), was " + warmupRatio);
        }
        positive(p, "per_device_train_batch_size", perDeviceTrainBatchSize);
        positive(p, "rollout_batch_size", rolloutBatchSize);
        if (numGenerations >= 2 && perDeviceTrainBatchSize > 0 && gradientAccumulationSteps > 0
                && ((long) perDeviceTrainBatchSize * gradientAccumulationSteps) % numGenerations != 0) {
            p.add("per_device_train_batch_size × gradient_accumulation_steps (" + perDeviceTrainBatchSize + " × "
                    + gradientAccumulationSteps + ") must be a multiple of num_generations (" + numGenerations
                    + "): a step takes whole groups");
        }
        if (!(numTrainEpochs > 0)) {
            p.add("num_train_epochs must be > 0, was " + numTrainEpochs);
        }
        if (maxSteps == 0 || maxSteps < -1) {
            p.add("max_steps must be -1 (use num_train_epochs) or at least 1, was " + maxSteps);
        }
        positive(p, "logging_steps", loggingSteps);
        if (saveSteps < 0) {
            p.add("save_steps must be >= 0, was " + saveSteps);
        }
        positive(p, "lora_r", loraR);
        if (!(loraAlpha > 0)) {
            p.add("lora_alpha must be > 0, was " + loraAlpha);
        }
        if (!(loraDropout >= 0 && loraDropout < 1)) {
            p.add("lora_dropout must be in [0, 1), was " + loraDropout);
        }
        if (gradientCheckpointing && loraDropout > 0) {
            p.add("gradient_checkpointing needs lora_dropout 0: a recomputed layer would draw other dropout masks");
        }
        targetModules = List.copyOf(targetModules);
        if (targetModules.isEmpty()) {
            p.add("target_modules must name at least one of " + LINEAR_MODULES);
        }
        for (String m : targetModules) {
            if (!LINEAR_MODULES.contains(m)) {
                p.add("target_modules: unknown module '" + m + "'; choose from " + LINEAR_MODULES);
            }
        }
        if (!p.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", p));
        }
    }

    private static void positive(List<String> p, String name, long v) {
        if (v < 1) {
            p.add(name + " must be at least 1, was " + v);
        }
    }

    private static void nonNegative(List<String> p, String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            p.add(name + " must be >= 0, was " + v);
        }
    }

    /** Every default of {@link #KNOBS}. */
    public static GrpoConfig defaults() {
        return fromSettings(Map.of());
    }

    /**
     * Builds a config from {@code name → value} texts (TRL names; kebab-case and a leading {@code --} accepted),
     * every other knob at its default. Unknown names and bad values become one UserException naming each knob.
     */
    public static GrpoConfig fromSettings(Map<String, String> settings) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Knob k : KNOBS) {
            values.put(k.name(), k.defaultValue());
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String name = canonical(e.getKey());
            if (!values.containsKey(name)) {
                problems.add("unknown setting '" + e.getKey() + "'" + suggestion(name));
                continue;
            }
            String text = e.getValue() == null ? "" : e.getValue();
            values.put(name, name.equals("completion_prefix") ? text : text.strip());
        }
        if (!problems.isEmpty()) {
            throw new UserException(String.join("\n", problems));
        }
        Parser v = new Parser(values);
        GrpoConfig c;
        try {
            double epsilon = v.dbl("epsilon");
            c = new GrpoConfig(v.integer("num_generations"), v.integer("max_completion_length"),
                    v.integer("max_prompt_length"), v.dbl("temperature"), v.dbl("top_p"), v.integer("top_k"),
                    v.dbl("repetition_penalty"), values.get("completion_prefix"), v.dbl("beta"), epsilon,
                    values.get("epsilon_high").isEmpty() ? epsilon : v.dbl("epsilon_high"), v.dbl("entropy_coef"),
                    v.parse("loss_type", LossType::parse), v.parse("scale_rewards", ScaleRewards::parse),
                    v.dbl("advantage_epsilon"), v.bool("mask_truncated_completions"), v.integer("num_iterations"),
                    v.dbl("learning_rate"), v.dbl("weight_decay"), v.dbl("adam_beta1"), v.dbl("adam_beta2"),
                    v.dbl("adam_epsilon"), v.dbl("max_grad_norm"), v.integer("gradient_accumulation_steps"),
                    v.parse("lr_scheduler_type", LearningRateSchedule.Type::parse), v.dbl("warmup_ratio"),
                    v.integer("per_device_train_batch_size"), v.integer("rollout_batch_size"),
                    v.bool("gradient_checkpointing"), v.dbl("num_train_epochs"), v.integer("max_steps"),
                    v.lng("seed"), v.integer("logging_steps"), v.integer("save_steps"), v.integer("lora_r"),
                    v.dbl("lora_alpha"), v.dbl("lora_dropout"), v.list("target_modules"));
        } catch (IllegalArgumentException e) {
            v.problems.add(e.getMessage());
            c = null;
        }
        if (!v.problems.isEmpty()) {
            throw new UserException("invalid GRPO settings: " + String.join("; ", v.problems));
        }
        return c;
    }

    /** {@code --Num-Generations} → {@code num_generations}. */
    public static String canonical(String name) {
        String n = name.strip();
        while (n.startsWith("-")) {
            n = n.substring(1);
        }
        return n.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    private static String suggestion(String name) {
        for (Knob k : KNOBS) {
            if (k.name().contains(name) || name.contains(k.name())) {
                return " (did you mean " + k.name() + "?)";
            }
        }
        return "";
    }

    /** Parses knob texts, collecting every problem instead of stopping at the first. */
    private static final class Parser {
        private final Map<String, String> values;
        final List<String> problems = new ArrayList<>();

        Parser(Map<String, String> values) {
            this.values = values;
        }

        int integer(String name) {
            try {
                return Integer.parseInt(values.get(name));
            } catch (NumberFormatException e) {
                problems.add(name + " must be an integer, was '" + values.get(name) + "'");
                return 1;
            }
        }

        long lng(String name) {
            try {
                return Long.parseLong(values.get(name));
            } catch (NumberFormatException e) {
                problems.add(name + " must be an integer, was '" + values.get(name) + "'");
                return 0;
            }
        }

        double dbl(String name) {
            try {
                return Double.parseDouble(values.get(name));
            } catch (NumberFormatException e) {
                problems.add(name + " must be a number, was '" + values.get(name) + "'");
                return 1;
            }
        }

        boolean bool(String name) {
            String t = values.get(name).toLowerCase(Locale.ROOT);
            if (t.equals("true") || t.equals("false")) {
                return Boolean.parseBoolean(t);
            }
            problems.add(name + " must be true or false, was '" + values.get(name) + "'");
            return false;
        }

        <T> T parse(String name, java.util.function.Function<String, T> f) {
            try {
                return f.apply(values.get(name));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                return f.apply(KNOBS.stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow().defaultValue());
            }
        }

        List<String> list(String name) {
            List<String> out = new ArrayList<>();
            for (String s : values.get(name).split(",")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
            return out;
        }
    }

    /** The knobs with their values, in {@link #KNOBS} order, as JSON-friendly values. */
    public Map<String, Object> toSettings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("num_generations", numGenerations);
        m.put("max_completion_length", maxCompletionLength);
        m.put("max_prompt_length", maxPromptLength);
        m.put("temperature", temperature);
        m.put("top_p", topP);
        m.put("top_k", topK);
        m.put("repetition_penalty", repetitionPenalty);
        m.put("completion_prefix", completionPrefix);
        m.put("beta", beta);
        m.put("epsilon", epsilon);
        m.put("epsilon_high", epsilonHigh);
        m.put("entropy_coef", entropyCoef);
        m.put("loss_type", lossType.trlName());
        m.put("scale_rewards", scaleRewards.trlName());
        m.put("advantage_epsilon", advantageEpsilon);
        m.put("mask_truncated_completions", maskTruncatedCompletions);
        m.put("num_iterations", numIterations);
        m.put("learning_rate", learningRate);
        m.put("weight_decay", weightDecay);
        m.put("adam_beta1", adamBeta1);
        m.put("adam_beta2", adamBeta2);
        m.put("adam_epsilon", adamEpsilon);
        m.put("max_grad_norm", maxGradNorm);
        m.put("gradient_accumulation_steps", gradientAccumulationSteps);
        m.put("lr_scheduler_type", lrSchedulerType.hfName());
        m.put("warmup_ratio", warmupRatio);
        m.put("per_device_train_batch_size", perDeviceTrainBatchSize);
        m.put("rollout_batch_size", rolloutBatchSize);
        m.put("gradient_checkpointing", gradientCheckpointing);
        m.put("num_train_epochs", numTrainEpochs);
        m.put("max_steps", maxSteps);
        m.put("seed", seed);
        m.put("logging_steps", loggingSteps);
        m.put("save_steps", saveSteps);
        m.put("lora_r", loraR);
        m.put("lora_alpha", loraAlpha);
        m.put("lora_dropout", loraDropout);
        m.put("target_modules", targetModules);
        return m;
    }

    /** The settings as texts that {@link #fromSettings} reads back to an equal config. */
    public Map<String, String> toTexts() {
        Map<String, String> m = new LinkedHashMap<>();
        toSettings().forEach((k, val) -> m.put(k, val instanceof List<?> l
                ? String.join(",", l.stream().map(Object::toString).toList()) : String.valueOf(val)));
        return m;
    }

    /** SHA-256 of the knobs that shape the trajectory (all but logging and save cadence). */
    public String trajectoryHash() {
        Map<String, Object> m = toSettings();
        NOT_HASHED.forEach(m::remove);
        try {
            return Hashing.sha256(new ObjectMapper().writeValueAsString(m));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prompts per optimizer step. */
    public int promptsPerStep() {
        return perDeviceTrainBatchSize * gradientAccumulationSteps / numGenerations;
    }

    /** Completions per optimizer step (the generation batch). */
    public int completionsPerStep() {
        return perDeviceTrainBatchSize * gradientAccumulationSteps;
    }

    /** The multiplier of B·A: lora_alpha / r. */
    public double loraScale() {
        return loraAlpha / loraR;
    }

    /** Optimizer steps for a training set of {@code rows} prompts: max_steps, else ⌈epochs · rows / prompts per step⌉. */
    public int totalSteps(int rows) {
        if (maxSteps > 0) {
            return maxSteps;
        }
        return (int) Math.max(1, Math.ceil(numTrainEpochs * rows / promptsPerStep()));
    }

    /** The objective's knobs. */
    public GrpoLoss.Settings lossSettings() {
        return new GrpoLoss.Settings(temperature, epsilon, epsilonHigh, beta, entropyCoef, lossType, maxCompletionLength);
    }

    /** The optimizer's knobs. */
    public AdamW.Hyper adamHyper() {
        return new AdamW.Hyper(adamBeta1, adamBeta2, adamEpsilon, weightDecay);
    }

    /** A copy with other settings applied on top ({@code name → value} texts). */
    public GrpoConfig with(Map<String, String> changes) {
        Map<String, String> m = new LinkedHashMap<>(toTexts());
        if (epsilonHigh == epsilon) {
            m.put("epsilon_high", ""); // still following epsilon
        }
        changes.forEach((k, val) -> m.put(canonical(k), val));
        return fromSettings(m);
    }
}
