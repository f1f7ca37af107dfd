package org.rsafe.engine.llm;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.rsafe.util.UserException;

/**
 * A model folder made ready to generate: its weights loaded on a device, its tokenizer, and a
 * {@link TextGenerator} that stops at the folder's end-of-sequence ids (generation_config.json's, then
 * config.json's). Shared by the engine, {@code rsafe generate} and the benchmark. Not thread-safe.
 */
public final class LocalModel implements AutoCloseable {
    private final ModelFolder folder;
    private final Qwen2Model model;
    private final LlmTokenizer tokenizer;
    private final TextGenerator generator;
    private final String deviceName;
    private final List<String> precisionNotices;

    private LocalModel(ModelFolder folder, Qwen2Model model, LlmTokenizer tokenizer, String deviceName,
            List<String> precisionNotices) {
        this.folder = folder;
        this.precisionNotices = List.copyOf(precisionNotices);
        this.model = model;
        this.tokenizer = tokenizer;
        this.deviceName = deviceName;
        Set<Integer> eos = new LinkedHashSet<>(folder.generationDefaults().eosTokenIds());
        eos.addAll(folder.config().eosTokenIds());
        this.generator = new TextGenerator(model, tokenizer, eos);
    }

    /** Opens the folder (and adapter, when given), validates it, and loads it on the chosen device in float32. */
    public static LocalModel open(Path modelDir, Path adapterDirOrNull, DeviceChoice choice) {
        return open(modelDir, adapterDirOrNull, choice, Precision.FLOAT32);
    }

    /**
     * Opens the folder and loads it on the chosen device in the dtype asked for, after checking that it fits; a
     * float16 request gets its warning among the {@link #notices()}, and a refusal on a GPU names float16 and the
     * CPU as further ways out.
     */
    public static LocalModel open(Path modelDir, Path adapterDirOrNull, DeviceChoice choice, Precision precision) {
        Device device = choice.resolve();
        return open(modelDir, adapterDirOrNull, device, precision,
                MemoryNeed.checkDisabled() ? -1 : MemoryNeed.availableBytes(device));
    }

    /** As {@link #open(Path, Path, DeviceChoice, Precision)} on a resolved device with the available bytes given. */
    static LocalModel open(Path modelDir, Path adapterDirOrNull, Device device, Precision precision,
            long availableBytes) {
        return load(ModelFolder.open(modelDir, adapterDirOrNull), device, availableBytes,
                folder -> precision.decide(device.isGpu(), MemoryNeed.of(folder, DataType.FLOAT16), availableBytes));
    }

    /**
     * Opens the folder and loads it on {@code device} in {@code dtype}, after checking that it fits the memory
     * available there ({@link MemoryNeed}); a user mistake with the numbers and the way out when it does not.
     */
    public static LocalModel open(Path modelDir, Path adapterDirOrNull, Device device, DataType dtype) {
        return open(modelDir, adapterDirOrNull, device, dtype,
                MemoryNeed.checkDisabled() ? -1 : MemoryNeed.availableBytes(device), List.of());
    }

    /**
     * As {@link #open(Path, Path, Device, DataType)} with the available memory given ({@code -1}: unknown, no
     * check) and further ways out to name when the model does not fit.
     */
    static LocalModel open(Path modelDir, Path adapterDirOrNull, Device device, DataType dtype, long availableBytes,
            List<String> waysOut) {
        return load(ModelFolder.open(modelDir, adapterDirOrNull), device, availableBytes,
                folder -> new Precision.Decision(dtype, List.of(), waysOut));
    }

    private static LocalModel load(ModelFolder folder, Device device, long availableBytes,
            java.util.function.Function<ModelFolder, Precision.Decision> decide) {
        Qwen2Model model = null;
        LlmTokenizer tokenizer = null;
        try {
            folder.validate();
            Precision.Decision decision = decide.apply(folder);
            Optional<String> refusal = MemoryNeed.of(folder, decision.dtype()).refusal(availableBytes,
                    device.isGpu() ? "the GPU" : "this machine", folder.dir(), decision.waysOut());
            if (refusal.isPresent()) {
                throw new UserException(refusal.get());
            }
            tokenizer = LlmTokenizer.open(folder.tokenizerJson());
            model = Qwen2Model.load(folder, device, decision.dtype());
            // Loading went through float[] copies as large as the model; without a collection the heap keeps
            // them committed (measured on Qwen2.5-0.5B: 3.0 GB resident after loading, 2.1 GB after one GC).
            System.gc();
            return new LocalModel(folder, model, tokenizer, DeviceChoice.describe(device), decision.notices());
        } catch (RuntimeException e) {
            if (model != null) {
                model.close();
            }
            if (tokenizer != null) {
                tokenizer.close();
            }
            folder.close();
            throw e;
        }
    }

    public ModelFolder folder() {
        return folder;
    }

    public Qwen2Model model() {
        return model;
    }

    public LlmTokenizer tokenizer() {
        return tokenizer;
    }

    public TextGenerator generator() {
        return generator;
    }

    /** The folder's name, e.g. {@code Qwen2.5-7B-Instruct}. */
    public String modelId() {
        Path name = folder.dir().toAbsolutePath().normalize().getFileName();
        return name == null ? folder.dir().toString() : name.toString();
    }

    /** The device the weights really live on, e.g. {@code cpu} or {@code gpu:0 (cu128)}. */
    public String deviceName() {
        return deviceName;
    }

    /** The dtype the weights are held in, {@code float32} or {@code float16}. */
    public String dtypeName() {
        return model.dataType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Notes for the user: random weights, config remarks, the float16 warning. */
    public List<String> notices() {
        List<String> out = new ArrayList<>(folder.warnings());
        out.addAll(precisionNotices);
        if (folder.randomWeights()) {
            out.add(folder.dir() + " holds RANDOM weights (written by 'rsafe model random'): its output is meaningless");
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
        folder.close();
    }
}
