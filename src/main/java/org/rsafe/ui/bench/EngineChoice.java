package org.rsafe.ui.bench;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.rsafe.app.DecodingPreset;
import org.rsafe.app.EngineKind;
import org.rsafe.app.EngineSpec;
import org.rsafe.engine.Engine;

/**
 * The engine the user chose in the test bench, shared by every tab that judges (test bench, batch, run comparison,
 * export bundle): the kind, the local LLM's settings, a one-line summary to show, and why it cannot judge now.
 */
public final class EngineChoice implements EngineSource {
    /** Shown while the local LLM is chosen without a model folder. */
    public static final String CHOOSE_MODEL_FOLDER = EngineSpec.llm(null).problem().orElseThrow();

    private final EngineService engines;
    private final ObjectProperty<EngineKind> engineKind = new SimpleObjectProperty<>(this, "engineKind", EngineKind.QUICK);
    private final ObjectProperty<Path> modelFolder = new SimpleObjectProperty<>(this, "modelFolder");
    private final ObjectProperty<Path> adapterFolder = new SimpleObjectProperty<>(this, "adapterFolder");
    private final StringProperty device = new SimpleStringProperty(this, "device", EngineSpec.DEFAULT_DEVICE);
    private final ObjectProperty<DecodingPreset> decoding = new SimpleObjectProperty<>(this, "decoding", EngineSpec.DEFAULT_DECODING);
    private final ObjectProperty<Integer> maxCompletionLength =
            new SimpleObjectProperty<>(this, "maxCompletionLength", EngineSpec.DEFAULT_MAX_NEW_TOKENS);
    private final StringBinding summary;
    private final StringBinding blockedReason;

    public EngineChoice(EngineService engines) {
        this.engines = Objects.requireNonNull(engines);
        summary = Bindings.createStringBinding(this::computeSummary,
                engineKind, modelFolder, adapterFolder, device, decoding, maxCompletionLength);
        blockedReason = Bindings.createStringBinding(this::computeBlockedReason, engineKind, modelFolder, adapterFolder,
                engines.quickStatusProperty(), engines.quickErrorProperty(), engines.llmStatusProperty());
    }

    private String computeSummary() {
        return draftSpec().summary();
    }

    private String computeBlockedReason() {
        if (engineKind.get() == EngineKind.LOCAL_LLM) {
            String problem = modelFolderProblem();
            if (!problem.isEmpty()) {
                return problem;
            }
            return engines.llmStatusProperty().get() == EngineService.Status.LOADING ? "Loading the model…" : "";
        }
        return switch (engines.quickStatusProperty().get()) {
            case READY -> "";
            case FAILED -> engines.quickErrorProperty().get();
            default -> "The quick engine is still loading…";
        };
    }

    /** Why the chosen model folder cannot be opened, or empty when it may be tried. */
    String modelFolderProblem() {
        return draftSpec().problem().orElse("");
    }

    /** The engine this choice describes, whether or not it can be opened yet. */
    private EngineSpec draftSpec() {
        Integer max = maxCompletionLength.get();
        return EngineSpec.quick().withKind(engineKind.get() == null ? EngineKind.QUICK : engineKind.get())
                .withModel(modelFolder.get()).withAdapter(adapterFolder.get()).withDevice(device.get())
                .withDecoding(decoding.get())
                .withMaxNewTokens(max == null || max < 1 ? EngineSpec.DEFAULT_MAX_NEW_TOKENS : max);
    }

    /**
     * The engine of this choice as the one spec both faces use (the same choices give the same spec, and so the same
     * engine identity and stored runs, as the CLI's flags); only meaningful once a model folder is chosen for the
     * local LLM.
     */
    public EngineSpec spec() {
        if (engineKind.get() == EngineKind.LOCAL_LLM && modelFolder.get() == null) {
            throw new IllegalStateException("no model folder chosen: check blockedReasonBinding() first");
        }
        return draftSpec();
    }

    @Override
    public void acquire(Consumer<Engine> onReady, Consumer<String> onFailed) {
        engines.acquire(this, onReady, onFailed);
    }

    // ---- properties -------------------------------------------------------------------------------

    public ObjectProperty<EngineKind> engineKindProperty() {
        return engineKind;
    }

    public ObjectProperty<Path> modelFolderProperty() {
        return modelFolder;
    }

    /** A LoRA adapter folder (PEFT layout) applied to the model at load; null for the model as it is. */
    public ObjectProperty<Path> adapterFolderProperty() {
        return adapterFolder;
    }

    /** "cpu", "gpu" or "auto". */
    public StringProperty deviceProperty() {
        return device;
    }

    public ObjectProperty<DecodingPreset> decodingProperty() {
        return decoding;
    }

    /** Longest completion the local LLM may generate, in tokens. */
    public ObjectProperty<Integer> maxCompletionLengthProperty() {
        return maxCompletionLength;
    }

    /** One line naming the engine that will judge ("Quick engine (similarity)", "Local LLM · qwen · cpu · greedy · …"). */
    public StringBinding summaryBinding() {
        return summary;
    }

    /** Why the chosen engine cannot judge now, in words; empty when it can (or will open on first use). */
    public StringBinding blockedReasonBinding() {
        return blockedReason;
    }

    public EngineService engines() {
        return engines;
    }
}
