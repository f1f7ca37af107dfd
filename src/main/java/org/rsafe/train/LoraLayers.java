package org.rsafe.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rsafe.engine.llm.LinearAdapter;
import org.rsafe.engine.llm.ModelConfig;

/**
 * Trainable LoRA factors for the targeted projections of every layer of a Qwen2 model, plugged into the model as
 * its {@link LinearAdapter}: {@code y = W·x + b + (alpha/r)·B·A·dropout(x)} with W and b frozen (they never require
 * gradients, so autograd only computes the factors' gradients). Switching the adapter off gives the base model —
 * the reference policy for the KL term — without a second copy of the weights.
 *
 * <p>The factors are float32 whatever the model's dtype (AdamW on half-precision weights loses small updates); the
 * input is widened for the low-rank path and the update narrowed back. Initialisation as PEFT's: A uniform in
 * ±1/√in, B zero, so training starts exactly at the base model.
 */
public final class LoraLayers implements LinearAdapter, AutoCloseable {

    /**
     * One adapted projection: A [r, in] and B [out, r], and detached views of them (same storage, no gradient) for
     * the forward passes that must not build a graph and for in-place writes.
     */
    private record Factor(String module, int in, int out, NDArray a, NDArray b, NDArray aData, NDArray bData) { }

    private final NDManager manager;
    private final Map<String, Factor> factors = new LinkedHashMap<>(); // key: module path, in parameter order
    private final PeftAdapterWriter.Spec spec;
    private final NDArray scale;      // alpha / r as a native-owned scalar (see GrpoLoss.scalar)
    private final DataType modelType;
    private volatile boolean enabled = true;
    private volatile boolean training;
    private volatile boolean recording;

    private LoraLayers(NDManager manager, PeftAdapterWriter.Spec spec, DataType modelType) {
        this.manager = manager;
        this.spec = spec;
        this.scale = manager.full(new Shape(), (float) (spec.alpha() / spec.r()), DataType.FLOAT32);
        this.modelType = modelType;
    }

    /**
     * Fresh factors for {@code targetModules} in every layer, in layer order and, within a layer, in the order of
     * {@link GrpoConfig#LINEAR_MODULES}; A drawn from {@code rng}.
     */
    public static LoraLayers create(ModelConfig c, Device device, DataType modelType, PeftAdapterWriter.Spec spec,
                                    Xoshiro256 rng) {
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
        manager.setName("lora");
        LoraLayers lora = new LoraLayers(manager, spec, modelType);
        try {
            for (int layer = 0; layer < c.numLayers(); layer++) {
                for (String name : GrpoConfig.LINEAR_MODULES) {
                    if (!spec.targetModules().contains(name)) {
                        continue;
                    }
                    Projection p = Projection.ofModuleName(name);
                    int[] io = shape(c, p);
                    float[] a = new float[spec.r() * io[0]];
                    double bound = 1 / Math.sqrt(io[0]);
                    for (int i = 0; i < a.length; i++) {
                        a[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
                    }
                    lora.add(p.modulePath(layer), io[0], io[1], a, new float[io[1] * spec.r()]);
                }
            }
            return lora;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** {in, out} of a projection. */
    static int[] shape(ModelConfig c, Projection p) {
        int h = c.hiddenSize();
        int q = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        int i = c.intermediateSize();
        return switch (p) {
            case Q_PROJ -> new int[] {h, q};
            case K_PROJ, V_PROJ -> new int[] {h, kv};
            case O_PROJ -> new int[] {q, h};
            case GATE_PROJ, UP_PROJ -> new int[] {h, i};
            case DOWN_PROJ -> new int[] {i, h};
        };
    }

    private void add(String module, int in, int out, float[] a, float[] b) {
        NDArray aa = GrpoLoss.owned(manager.create(a, new Shape(spec.r(), in)));
        NDArray bb = GrpoLoss.owned(manager.create(b, new Shape(out, spec.r())));
        aa.setRequiresGradient(true);
        bb.setRequiresGradient(true);
        NDArray aView = aa.stopGradient();
        NDArray bView = bb.stopGradient();
        NDScope.unregister(aa, bb, aView, bView); // they live as long as the adapter, whatever scope made them
        factors.put(module, new Factor(module, in, out, aa, bb, aView, bView));
    }

    @Override
    public NDArray delta(int layer, Projection p, NDArray x) {
        if (!enabled) {
            return null;
        }
        Factor f = factors.get(p.modulePath(layer));
        if (f == null) {
            return null;
        }
        NDArray in = x.getDataType() == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false); // [B, T, in]
        if (training && spec.dropout() > 0) {
            in = Dropout.dropout(in, (float) spec.dropout(), true).singletonOrThrow();
        }
        // Outside a recorded backward pass the factors enter as plain data, so sampling, the reference pass and the
        // graph-free half of gradient checkpointing build no graph even where autograd is switched on.
        NDArray a = recording ? f.a() : f.aData();
        NDArray b = recording ? f.b() : f.bData();
        NDArray low = Linear.linear(in, a).singletonOrThrow();                     // [B, T, r]
        NDArray up = Linear.linear(low, b).singletonOrThrow().mul(scale);         // [B, T, out]
        return modelType == DataType.FLOAT32 ? up : up.toType(modelType, false);
    }

    /** Off: the model computes the base policy (the KL reference). */
    public void setEnabled(boolean on) {
        enabled = on;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** Dropout is applied only in training forwards, never while sampling or scoring the reference. */
    public void setTraining(boolean on) {
        training = on;
    }

    /** On only while a forward pass is recorded for back-propagation into the factors. */
    public void setRecording(boolean on) {
        recording = on;
    }

    public PeftAdapterWriter.Spec spec() {
        return spec;
    }

    /** The trainable arrays: A then B of each module, in module order. */
    public List<NDArray> parameters() {
        List<NDArray> out = new ArrayList<>();
        for (Factor f : factors.values()) {
            out.add(f.a());
            out.add(f.b());
        }
        return out;
    }

    /** Module paths in parameter order. */
    public List<String> modules() {
        return List.copyOf(factors.keySet());
    }

    /** Trainable parameter count. */
    public long parameterCount() {
        long n = 0;
        for (Factor f : factors.values()) {
            n += (long) spec.r() * (f.in() + f.out());
        }
        return n;
    }

    /** Copies of the factors for an adapter file or checkpoint. */
    public List<PeftAdapterWriter.Module> export() {
        List<PeftAdapterWriter.Module> out = new ArrayList<>();
        for (Factor f : factors.values()) {
            out.add(new PeftAdapterWriter.Module(f.module(), f.in(), f.out(), f.a().toFloatArray(), f.b().toFloatArray()));
        }
        return out;
    }

    /** Replaces the factors' values (resume); the modules and shapes must be the same. */
    public void load(List<PeftAdapterWriter.Module> modules) {
        if (!modules.stream().map(PeftAdapterWriter.Module::module).toList().equals(modules())) {
            throw new IllegalArgumentException("checkpoint adapts " + modules.stream().map(PeftAdapterWriter.Module::module)
                    .toList() + ", this run " + modules());
        }
        for (PeftAdapterWriter.Module m : modules) {
            Factor f = factors.get(m.module());
            if (m.in() != f.in() || m.out() != f.out() || m.r() != spec.r()) {
                throw new IllegalArgumentException("checkpoint factors of " + m.module() + " have another shape");
            }
            overwrite(f.aData(), m.a());
            overwrite(f.bData(), m.b());
        }
    }

    /** In place through the detached view, so the factor stays the same autograd leaf that the optimizer holds. */
    private void overwrite(NDArray target, float[] values) {
        try (NDArray v = manager.create(values, target.getShape())) {
            target.muli(0f).addi(v);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
