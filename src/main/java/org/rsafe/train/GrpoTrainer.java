package org.rsafe.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.DecodingSettings;
import org.rsafe.engine.llm.LocalModel;
import org.rsafe.engine.llm.ModelFolder;
import org.rsafe.engine.llm.Qwen2Model;
import org.rsafe.engine.llm.TextGenerator;
import org.rsafe.trace.OutputParser;
import org.rsafe.trace.Reward;
import org.rsafe.util.Hashing;
import org.rsafe.util.UserException;

/**
 * RSafe's reinforced alignment: GRPO with LoRA on a {@link Qwen2Model}, one optimizer step at a time.
 *
 * <p>One step: take the next {@code promptsPerStep} training rows; sample {@code num_generations} completions of
 * each with the rollout settings (each completion with its own seed drawn from the run's generator); score each with
 * RSafe's reward ({@link Reward#score}) against the row's gold label; turn rewards into group advantages; then, per
 * micro-batch of {@code per_device_train_batch_size} completions, run prompt + completion through the model with the
 * adapters on, compute the clipped GRPO loss on the completion tokens ({@link GrpoLoss}), and back-propagate into the
 * LoRA factors (the base weights never require gradients). After the last micro-batch: clip the gradient norm, take
 * one AdamW step at the scheduled learning rate, clear the gradients.
 *
 * <p>Determinism: data order, LoRA initialisation and every sampling seed come from seeded generators whose state is
 * part of the {@link Checkpoint}; so does where in the data the run is. A run restored from a checkpoint continues with
 * the same numbers it would have produced without stopping. Not thread-safe.
 */
public final class GrpoTrainer implements AutoCloseable {

    /** Receives progress; called on the training thread. */
    public interface Listener {
        Listener NONE = new Listener() { };

        /** Completions sampled so far in the current step. */
        default void onRollouts(int step, int done, int total) { }

        default void onStep(StepMetrics metrics, int totalSteps) { }
    }

    private final LocalModel local;
    private final LoraLayers lora;
    private final AdamW adam;
    private final GrpoConfig config;
    private final List<TrainingRow> rows;
    private final String dataHash;
    private final String modelHash;
    private final String baseModel;
    private final LearningRateSchedule schedule;
    private final int totalSteps;
    private final Set<Integer> eos;
    private final NDManager work;

    private Xoshiro256 rng;
    private int step;
    private int epoch;
    private int cursor;
    private int[] order;
    private int skippedLongPrompts;

    /** Takes ownership of {@code local}; {@link #start} closes it when construction fails. */
    private GrpoTrainer(LocalModel local, GrpoConfig config, List<TrainingRow> rows) {
        this.local = local;
        this.config = config;
        this.rows = List.copyOf(rows);
        if (this.rows.isEmpty()) {
            throw new IllegalArgumentException("no training rows");
        }
        this.dataHash = hashRows(this.rows);
        this.modelHash = local.folder().modelHash();
        // The model's own name, not this machine's path, so the adapter travels.
        this.baseModel = ModelFolder.ownName(local.folder().dir());
        this.totalSteps = config.totalSteps(this.rows.size());
        this.schedule = LearningRateSchedule.of(config.lrSchedulerType(), config.learningRate(), config.warmupRatio(),
                totalSteps);
        this.eos = local.generator().eosIds();
        Qwen2Model model = local.model();
        this.rng = new Xoshiro256(config.seed());
        this.lora = LoraLayers.create(model.config(), model.device(), model.dataType(),
                new PeftAdapterWriter.Spec(config.loraR(), config.loraAlpha(), config.loraDropout(), config.targetModules()),
                new Xoshiro256(Xoshiro256.mix64(config.seed() ^ 0x4C6F5241L)));
        model.setAdapter(lora);
        this.work = NDManager.newBaseManager(model.device(), "PyTorch");
        this.work.setName("grpo-work");
        this.adam = new AdamW(work, lora.parameters(), config.adamHyper());
        this.order = epochOrder(0);
    }

    /**
     * A trainer at step 0 over an already loaded model (the trainer attaches its adapter to it and takes ownership:
     * closing the trainer closes the model).
     */
    public static GrpoTrainer start(LocalModel model, GrpoConfig config, List<TrainingRow> rows) {
        try {
            return new GrpoTrainer(model, config, rows);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** A trainer continuing from a checkpoint; refuses one made with other settings, data or base model. */
    public static GrpoTrainer resume(LocalModel model, GrpoConfig config, List<TrainingRow> rows, Path checkpointDir) {
        Checkpoint c;
        try {
            c = Checkpoint.load(checkpointDir);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        GrpoTrainer t = start(model, config, rows);
        try {
            c.checkMatches(config.trajectoryHash(), t.dataHash, t.modelHash, checkpointDir);
            t.lora.load(c.modules());
            t.adam.restore(c.optimizer());
            t.rng = Xoshiro256.restore(c.state().rng());
            t.step = c.state().step();
            t.epoch = c.state().epoch();
            t.cursor = c.state().cursor();
            t.order = t.epochOrder(t.epoch);
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** SHA-256 over the rows as written to train.jsonl: the data identity a resume must match. */
    static String hashRows(List<TrainingRow> rows) {
        StringBuilder sb = new StringBuilder();
        for (TrainingRow r : rows) {
            sb.append(TrainingRows.toJson(r)).append('\n');
        }
        return Hashing.sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Each epoch's row order: a permutation seeded by (seed, epoch), so it needs no saved state. */
    private int[] epochOrder(int e) {
        return new Xoshiro256(Xoshiro256.mix64(config.seed() + 0x9E3779B97F4A7C15L * (e + 1))).permutation(rows.size());
    }

    public int step() {
        return step;
    }

    public int totalSteps() {
        return totalSteps;
    }

    public boolean finished() {
        return step >= totalSteps;
    }

    public LoraLayers lora() {
        return lora;
    }

    public GrpoConfig config() {
        return config;
    }

    /** Prompts skipped so far because they exceed max_prompt_length. */
    public int skippedLongPrompts() {
        return skippedLongPrompts;
    }

    /** One prompt and its token ids (prompt text + completion prefix). */
    private record Prompt(TrainingRow row, int[] ids) { }

    /** The next prompts in this epoch's order, moving to the next epoch when this one is used up. */
    private List<Prompt> nextPrompts(int n) {
        List<Prompt> out = new ArrayList<>(n);
        int guard = 0;
        while (out.size() < n) {
            if (cursor >= order.length) {
                epoch++;
                cursor = 0;
                order = epochOrder(epoch);
            }
            TrainingRow row = rows.get(order[cursor++]);
            int[] ids = local.tokenizer().encode(row.prompt() + config.completionPrefix());
            if (ids.length > config.maxPromptLength()) {
                skippedLongPrompts++;
                if (++guard > rows.size()) {
                    throw new UserException("every training row is longer than max_prompt_length ("
                            + config.maxPromptLength() + " tokens)");
                }
                continue;
            }
            out.add(new Prompt(row, ids));
        }
        return out;
    }

    /**
     * Runs one optimizer step and returns its metrics. When cancelled mid-step, the step is undone (data position,
     * random state and gradients restored) and CancellationException is thrown, so {@link #checkpoint()} still
     * describes the last completed step.
     */
    public StepMetrics trainStep(Cancellation cancel, Listener listener) {
        long[] rngAtStart = rng.state();
        int epochAtStart = epoch;
        int cursorAtStart = cursor;
        int skippedAtStart = skippedLongPrompts;
        try {
            return doStep(cancel, listener);
        } catch (RuntimeException e) { // cancellation included
            rng = Xoshiro256.restore(rngAtStart);
            epoch = epochAtStart;
            cursor = cursorAtStart;
            order = epochOrder(epoch);
            skippedLongPrompts = skippedAtStart;
            adam.zeroGradients();
            lora.setEnabled(true);
            lora.setTraining(false);
            throw e;
        }
    }

    private StepMetrics doStep(Cancellation cancel, Listener listener) {
        long t0 = System.nanoTime();
        int g = config.numGenerations();
        List<Prompt> prompts = nextPrompts(config.promptsPerStep());
        int n = prompts.size() * g;

        // Rollouts: every prompt repeated num_generations times, each completion with its own seed.
        List<int[]> inputs = new ArrayList<>(n);
        long[] seeds = new long[n];
        for (int i = 0; i < n; i++) {
            inputs.add(prompts.get(i / g).ids());
            seeds[i] = rng.nextLong();
        }
        if (config.loraDropout() > 0) {
            // Dropout masks come from the engine's generator: reseed it per step so a resumed run draws the same.
            Engine.getInstance().setRandomSeed((int) rng.nextLong());
        }
        DecodingSettings sampling = new DecodingSettings("grpo", config.temperature(), config.topP(), config.topK(),
                config.repetitionPenalty(), config.maxCompletionLength(), false, 0);
        TextGenerator generator = local.generator();
        List<TextGenerator.Generation> gens = new ArrayList<>(n);
        long rolloutStart = System.nanoTime();
        for (int from = 0; from < n; from += config.rolloutBatchSize()) {
            int to = Math.min(n, from + config.rolloutBatchSize());
            gens.addAll(generator.generateIds(inputs.subList(from, to), sampling, Arrays.copyOfRange(seeds, from, to),
                    List.of(), TextGenerator.Listener.NONE, cancel));
            listener.onRollouts(step + 1, to, n);
        }
        double rolloutSeconds = (System.nanoTime() - rolloutStart) / 1e9;

        // Rewards: RSafe's rule on prefix + completion, against the row's gold label.
        double[] rewards = new double[n];
        int formatOk = 0;
        int correct = 0;
        long generatedTokens = 0;
        List<int[]> completions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TextGenerator.Generation gen = gens.get(i);
            String text = config.completionPrefix() + gen.text();
            String gold = prompts.get(i / g).row().goldLabel();
            rewards[i] = Reward.score(text, gold);
            boolean format = OutputParser.formatOk(text);
            formatOk += format ? 1 : 0;
            correct += format && Reward.accuracy(text, gold) > 0 ? 1 : 0;
            generatedTokens += gen.completionTokens();
            completions.add(gen.tokenIds());
        }
        GroupAdvantages adv = GroupAdvantages.compute(rewards, g, config.scaleRewards(), config.advantageEpsilon());
        CompletionBatch all = CompletionBatch.of(completions, eos::contains, config.maskTruncatedCompletions());
        int activeTokens = all.activeTokens();

        // Loss and gradients, one micro-batch at a time.
        int micro = config.perDeviceTrainBatchSize();
        int steps = (n + micro - 1) / micro;
        double loss = 0;
        double klSum = 0;
        double entropySum = 0;
        double clipLow = 0;
        double clipHigh = 0;
        double clipRegion = 0;
        double tokens = 0;
        GrpoLoss.Settings settings = config.lossSettings();
        for (int from = 0; from < n; from += micro) {
            cancel.check();
            int to = Math.min(n, from + micro);
            MicroResult out = microBatch(prompts, completions, adv.advantages(), from, to, settings, steps,
                    activeTokens);
            loss += out.loss();
            klSum += out.kl() * out.tokens();
            entropySum += out.entropy() * out.tokens();
            clipLow += out.clipLow() * out.tokens();
            clipHigh += out.clipHigh() * out.tokens();
            clipRegion += out.clipRegion() * out.tokens();
            tokens += out.tokens();
        }
        cancel.check();

        // The update.
        double gradNorm = AdamW.clipGradNorm(lora.parameters(), config.maxGradNorm());
        double lr = schedule.at(step);
        adam.step(lr);
        adam.zeroGradients();
        step++;

        double t = Math.max(tokens, 1);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new StepMetrics(step, (double) step * config.promptsPerStep() / rows.size(), loss, adv.rewardMean(),
                adv.rewardStd(), (double) formatOk / n, (double) correct / n, klSum / t, entropySum / t, clipLow / t,
                clipHigh / t, clipRegion / t, all.meanLength(), all.truncatedRatio(), adv.fracRewardZeroStd(),
                rolloutSeconds > 0 ? generatedTokens / rolloutSeconds : 0, rolloutSeconds, seconds, lr, gradNorm);
    }

    /** What a micro-batch contributed, as plain numbers (its arrays are closed by then). */
    private record MicroResult(double loss, double kl, double entropy, double clipLow, double clipHigh,
                               double clipRegion, double tokens) {
        static MicroResult of(GrpoLoss.Output out) {
            return new MicroResult(out.loss().getFloat(), out.kl(), out.entropy(), out.clipLow(), out.clipHigh(),
                    out.clipRegion(), out.tokens());
        }
    }

    /**
     * Forward and backward of completions {@code from..to-1}: sequences are the left-padded prompt followed by the
     * right-padded completion; the logits at positions P−1 … P+W−2 predict the W completion tokens.
     */
    private MicroResult microBatch(List<Prompt> prompts, List<int[]> completions, double[] advantages, int from,
                                   int to, GrpoLoss.Settings settings, int accumulationSteps, int activeTokens) {
        int b = to - from;
        int g = config.numGenerations();
        int promptWidth = 0;
        for (int i = from; i < to; i++) {
            promptWidth = Math.max(promptWidth, prompts.get(i / g).ids().length);
        }
        CompletionBatch batch = CompletionBatch.of(completions.subList(from, to), eos::contains,
                config.maskTruncatedCompletions());
        int w = batch.width();
        int pad = eos.isEmpty() ? 0 : Collections.min(eos); // hidden from attention and never scored
        int[][] tokens = new int[b][promptWidth + w];  // [B, P + W]
        int[] leftPadding = new int[b];
        float[] adv = new float[b];
        for (int i = 0; i < b; i++) {
            int[] p = prompts.get((from + i) / g).ids();
            int[] c = completions.get(from + i);
            leftPadding[i] = promptWidth - p.length;
            Arrays.fill(tokens[i], pad);
            System.arraycopy(p, 0, tokens[i], leftPadding[i], p.length);
            System.arraycopy(c, 0, tokens[i], promptWidth, c.length);
            adv[i] = (float) advantages[from + i];
        }
        Qwen2Model model = local.model();
        int logitsFrom = promptWidth - 1;
        int logitsTo = promptWidth - 1 + w;
        try (NDManager m = work.newSubManager()) {
            // Native-owned copies: the backward pass reads these (see GrpoLoss.owned).
            NDArray ids = GrpoLoss.owned(m.create(batch.ids(), new Shape(b, w)));    // [B, W]
            NDArray mask = GrpoLoss.owned(m.create(batch.mask(), new Shape(b, w)));  // [B, W]
            NDArray a = GrpoLoss.owned(m.create(adv));                               // [B]
            NDArray ref = null;
            if (settings.beta() > 0) {
                // The reference policy is the same weights with the adapters off: no second model in memory.
                lora.setEnabled(false);
                try {
                    NDArray refLogits = model.trainingLogits(m, tokens, leftPadding, logitsFrom, logitsTo); // [B,W,V]
                    ref = GrpoLoss.tokenLogProbs(refLogits, ids, settings.temperature());                  // [B, W]
                    refLogits.close();
                } finally {
                    lora.setEnabled(true);
                }
            }
            lora.setTraining(true);
            try {
                Qwen2Model.TrainingPass pass = model.trainingPass(m, tokens, leftPadding);
                NDArray reference = ref;
                return TrainingBackward.run(pass, logitsFrom, logitsTo, config.gradientCheckpointing(), lora, logits -> {
                    GrpoLoss.Output out = GrpoLoss.compute(settings, logits, ids, mask, a, null, reference,
                            accumulationSteps, activeTokens);
                    return new TrainingBackward.Result<>(out.loss(), MicroResult.of(out));
                });
            } finally {
                lora.setTraining(false);
            }
        }
    }

    /** The run's state at the last completed step. */
    public Checkpoint checkpoint() {
        Checkpoint.State s = new Checkpoint.State(step, epoch, cursor, rng.state(), config.trajectoryHash(), dataHash,
                modelHash, baseModel);
        return new Checkpoint(s, lora.spec(), lora.export(), adam.state());
    }

    /** Writes the current adapter as a PEFT folder. */
    public void saveAdapter(Path dir) throws IOException {
        PeftAdapterWriter.write(dir, lora.spec(), baseModel, lora.export());
    }

    @Override
    public void close() {
        local.model().setAdapter(null);
        adam.close();
        lora.close();
        work.close();
        local.close();
    }

}
