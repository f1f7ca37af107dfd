package org.rsafe.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.llm.KvCache;
import org.rsafe.engine.llm.LocalModel;
import org.rsafe.engine.llm.Qwen2Model;
import org.rsafe.engine.llm.TinyModels;

/**
 * LoRA on the DJL Qwen2 model: gradients against finite differences, gradient checkpointing against the full graph,
 * the adapter switch, and the exported adapter against the live one.
 */
class LoraLayersTest {
    @TempDir
    static Path dir;

    private static final int[][] TOKENS = {{3, 17, 42, 99, 7, 250, 11}, {0, 0, 5, 120, 64, 33, 2}};
    private static final int[] PADDING = {0, 2};

    private LocalModel model;
    private LoraLayers lora;
    private NDManager manager;
    private float[] weights; // fixed random weights of the scalar test function Σ logits ⊙ W

    private static Path folder;

    @BeforeAll
    static void writeModel() {
        folder = TinyModels.f32Untied(dir);
    }

    @BeforeEach
    void open() {
        model = LocalModel.open(folder, null, Device.cpu(), DataType.FLOAT32);
        lora = LoraLayers.create(model.model().config(), Device.cpu(), DataType.FLOAT32,
                new PeftAdapterWriter.Spec(4, 8, 0, GrpoConfig.LINEAR_MODULES), new Xoshiro256(11));
        // B starts at zero (no gradient reaches A then); give every factor seeded values so both are tested.
        Xoshiro256 r = new Xoshiro256(12);
        for (NDArray p : lora.parameters()) {
            float[] v = new float[(int) p.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((r.nextDouble() - 0.5) * 0.2);
            }
            try (NDArray delta = p.getManager().create(v, p.getShape()); NDArray data = p.stopGradient()) {
                data.addi(delta);
            }
        }
        model.model().setAdapter(lora);
        manager = NDManager.newBaseManager();
        int v = model.model().config().vocabSize();
        weights = new float[2 * 7 * v];
        for (int i = 0; i < weights.length; i++) {
            int row = i / (7 * v);
            int position = i / v % 7;
            // Padding slots are never scored in training (their queries see no keys at all): leave them out.
            weights[i] = position < PADDING[row] ? 0f : (float) (r.nextDouble() - 0.5);
        }
    }

    @AfterEach
    void close() {
        model.model().setAdapter(null);
        lora.close();
        model.close();
        manager.close();
    }

    /** Σ logits ⊙ W over every real (not padding) position, the function whose gradient is checked. */
    private TrainingBackward.Result<Double> objective(NDArray logits) {
        NDArray w = GrpoLoss.owned(logits.getManager().create(weights, logits.getShape()));
        NDArray f = logits.mul(w).sum();
        return new TrainingBackward.Result<>(f, (double) f.getFloat());
    }

    private double value() {
        try (NDManager m = manager.newSubManager()) {
            NDArray logits = model.model().trainingLogits(m, TOKENS, PADDING, 0, 7);
            return logits.mul(m.create(weights, logits.getShape())).sum().getFloat();
        }
    }

    private void backward(boolean checkpointing) {
        for (NDArray p : lora.parameters()) {
            p.getGradient().muli(0f);
        }
        try (NDManager m = manager.newSubManager()) {
            TrainingBackward.run(model.model().trainingPass(m, TOKENS, PADDING), 0, 7, checkpointing, lora, this::objective);
        }
    }

    /** Central difference of the objective in one entry of a parameter. */
    private double numeric(NDArray p, int index, double eps) {
        float[] v = p.toFloatArray();
        float original = v[index];
        v[index] = (float) (original + eps);
        set(p, v);
        double up = value();
        v[index] = (float) (original - eps);
        set(p, v);
        double down = value();
        v[index] = original;
        set(p, v);
        return (up - down) / (2 * eps);
    }

    /** Overwrites a factor in place through a detached view (a leaf requiring a gradient refuses in-place writes). */
    private static void set(NDArray p, float[] v) {
        try (NDArray values = p.getManager().create(v, p.getShape()); NDArray data = p.stopGradient()) {
            data.muli(0f).addi(values);
        }
    }

    @Test
    void loraGradientsMatchFiniteDifferencesInEveryProjection() {
        backward(false);
        List<String> modules = lora.modules();
        List<NDArray> params = lora.parameters();
        List<String> failures = new ArrayList<>();
        // Layer 0 and 1 of each projection type, A and B, a few entries each.
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            float[] g = p.getGradient().toFloatArray();
            for (int index : new int[] {0, (int) p.size() / 2 + 1, (int) p.size() - 1}) {
                double n = numeric(p, index, 1e-2);
                double tolerance = 5e-4 + 0.01 * Math.abs(n);
                if (Math.abs(g[index] - n) > tolerance) {
                    failures.add(modules.get(i / 2) + (i % 2 == 0 ? ".lora_A" : ".lora_B") + "[" + index + "]: analytic "
                            + g[index] + ", numeric " + n);
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void gradientCheckpointingGivesTheSameGradientsAsTheFullGraph() {
        backward(false);
        List<float[]> full = lora.parameters().stream().map(p -> p.getGradient().toFloatArray()).toList();

        backward(true);

        for (int i = 0; i < full.size(); i++) {
            assertThat(lora.parameters().get(i).getGradient().toFloatArray()).containsExactly(full.get(i), within(1e-5f));
        }
    }

    @Test
    void switchingTheAdapterOffGivesTheBaseModelExactly() {
        Qwen2Model m = model.model();
        float[] adapted;
        float[] off;
        float[] base;
        try (KvCache c = m.newCache(PADDING, 8)) {
            adapted = m.forwardAllPositions(c, TOKENS);
        }
        lora.setEnabled(false);
        try (KvCache c = m.newCache(PADDING, 8)) {
            off = m.forwardAllPositions(c, TOKENS);
        }
        m.setAdapter(null);
        try (KvCache c = m.newCache(PADDING, 8)) {
            base = m.forwardAllPositions(c, TOKENS);
        }

        assertThat(off).containsExactly(base);
        assertThat(adapted).isNotEqualTo(base);
    }

    @Test
    void theTrainingPassGivesTheLogitsOfTheCachedForward() {
        Qwen2Model m = model.model();
        float[] cached;
        try (KvCache c = m.newCache(PADDING, 8)) {
            cached = m.forwardAllPositions(c, TOKENS);
        }
        float[] training;
        try (NDManager sub = manager.newSubManager()) {
            training = m.trainingLogits(sub, TOKENS, PADDING, 0, 7).toFloatArray();
        }
        int v = m.config().vocabSize();
        // Row 1's first two slots are padding: their logits are meaningless in both; compare real positions.
        for (int b = 0; b < 2; b++) {
            for (int t = PADDING[b]; t < 7; t++) {
                int at = (b * 7 + t) * v;
                assertThat(java.util.Arrays.copyOfRange(training, at, at + v))
                        .containsExactly(java.util.Arrays.copyOfRange(cached, at, at + v), within(1e-4f));
            }
        }
    }

    @Test
    void anExportedAdapterLoadedByTheEngineMatchesTheLiveOne() throws IOException {
        Path adapter = dir.resolve("exported-" + System.nanoTime());
        PeftAdapterWriter.write(adapter, lora.spec(), "tiny", lora.export());
        float[] live;
        try (KvCache c = model.model().newCache(PADDING, 8)) {
            live = model.model().forwardAllPositions(c, TOKENS);
        }

        float[] merged;
        try (LocalModel withAdapter = LocalModel.open(folder, adapter, Device.cpu(), DataType.FLOAT32);
             KvCache c = withAdapter.model().newCache(PADDING, 8)) {
            merged = withAdapter.model().forwardAllPositions(c, TOKENS);
        }

        int v = model.model().config().vocabSize();
        for (int b = 0; b < 2; b++) {
            for (int t = PADDING[b]; t < 7; t++) {
                int at = (b * 7 + t) * v;
                assertThat(java.util.Arrays.copyOfRange(merged, at, at + v))
                        .containsExactly(java.util.Arrays.copyOfRange(live, at, at + v), within(1e-4f));
            }
        }
    }

    @Test
    void freshAdaptersStartExactlyAtTheBaseModel() {
        LoraLayers fresh = LoraLayers.create(model.model().config(), Device.cpu(), DataType.FLOAT32,
                new PeftAdapterWriter.Spec(4, 8, 0, GrpoConfig.LINEAR_MODULES), new Xoshiro256(1));
        try (fresh) {
            model.model().setAdapter(fresh);
            float[] withFresh;
            try (KvCache c = model.model().newCache(PADDING, 8)) {
                withFresh = model.model().forwardAllPositions(c, TOKENS);
            }
            model.model().setAdapter(null);
            float[] base;
            try (KvCache c = model.model().newCache(PADDING, 8)) {
                base = model.model().forwardAllPositions(c, TOKENS);
            }
            assertThat(withFresh).containsExactly(base);
            assertThat(fresh.parameterCount()).isEqualTo(MemoryEstimate.loraParameters(model.model().config(),
                    GrpoConfig.fromSettings(java.util.Map.of("lora_r", "4"))));
        }
    }
}
