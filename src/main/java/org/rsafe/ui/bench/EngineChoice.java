package org.rsafe.ui.bench;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.rsafe.app.DecodingPreset;
import org.rsafe.app.EngineKind;
import org.rsafe.app.EngineSpec;
import org.rsafe.engine.Engine;
import org.rsafe.engine.remote.ServerKind;

/**
 * The engine the user chose in the test bench, shared by every tab that judges (test bench, batch, run comparison,
 * export bundle): the kind, the local LLM's or the remote server's settings, a one-line summary to show, and why it
 * cannot judge now.
 */
public final class EngineChoice implements EngineSource {
    /** Shown while the local LLM is chosen without a model folder. */
    public static final String CHOOSE_MODEL_FOLDER = EngineSpec.llm(null).problem().orElseThrow();
    /** Shown while the remote engine is chosen without a server address. */
    public static final String GIVE_ENDPOINT = EngineSpec.remote(null).problem().orElseThrow();
    /** Shown while the remote engine is chosen without a model name. */
    public static final String CHOOSE_REMOTE_MODEL =
            "Choose the server's model (Refresh lists the models it serves).";

    private final EngineService engines;
    private final ObjectProperty<EngineKind> engineKind = new SimpleObjectProperty<>(this, "engineKind", EngineKind.QUICK);
    private final ObjectProperty<Path> modelFolder = new SimpleObjectProperty<>(this, "modelFolder");
    private final ObjectProperty<Path> adapterFolder = new SimpleObjectProperty<>(this, "adapterFolder");
    private final StringProperty device = new SimpleStringProperty(this, "device", EngineSpec.DEFAULT_DEVICE);
    private final BooleanProperty constrainFormat = new SimpleBooleanProperty(this, "constrainFormat", false);
    private final ObjectProperty<DecodingPreset> decoding = new SimpleObjectProperty<>(this, "decoding", EngineSpec.DEFAULT_DECODING);
    private final ObjectProperty<Integer> maxCompletionLength =
            new SimpleObjectProperty<>(this, "maxCompletionLength", EngineSpec.DEFAULT_MAX_NEW_TOKENS);
    private final StringProperty endpoint = new SimpleStringProperty(this, "endpoint", "");
    private final StringProperty apiKeyEnv = new SimpleStringProperty(this, "apiKeyEnv", "");
    private final ObjectProperty<ServerKind> serverKind =
            new SimpleObjectProperty<>(this, "serverKind", EngineSpec.DEFAULT_SERVER_KIND);
    private final StringProperty remoteModel = new SimpleStringProperty(this, "remoteModel", "");
    private final StringBinding summary;
    private final StringBinding blockedReason;

    public EngineChoice(EngineService engines) {
        this.engines = Objects.requireNonNull(engines);
        summary = Bindings.createStringBinding(this::computeSummary,
                engineKind, modelFolder, adapterFolder, device, constrainFormat, decoding, maxCompletionLength,
                endpoint, apiKeyEnv, serverKind, remoteModel);
        blockedReason = Bindings.createStringBinding(this::computeBlockedReason, engineKind, modelFolder, adapterFolder,
                endpoint, remoteModel,
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
        if (engineKind.get() == EngineKind.REMOTE) {
            String problem = modelFolderProblem();
            if (!problem.isEmpty()) {
                return problem;
            }
            return engines.llmStatusProperty().get() == EngineService.Status.LOADING
                    ? "Connecting to the server…" : "";
        }
        return switch (engines.quickStatusProperty().get()) {
            case READY -> "";
            case FAILED -> engines.quickErrorProperty().get();
            default -> "The quick engine is still loading…";
        };
    }

    /**
     * Why the chosen local model folder, or the remote server and model, cannot be opened; empty when it may be
     * tried. Unlike the CLI, the picker asks for the remote model by name even when the server serves only one, so
     * the summary and the stored runs name it.
     */
    String modelFolderProblem() {
        EngineSpec draft = draftSpec();
        String problem = draft.problem().orElse("");
        if (problem.isEmpty() && draft.kind() == EngineKind.REMOTE && draft.remote().model() == null) {
            return CHOOSE_REMOTE_MODEL;
        }
        return problem;
    }

    /** The engine this choice describes, whether or not it can be opened yet. */
    private EngineSpec draftSpec() {
        Integer max = maxCompletionLength.get();
        EngineKind kind = engineKind.get() == null ? EngineKind.QUICK : engineKind.get();
        // The local model's folder, adapter and device stay in the picker for when the user switches back, but are
        // no part of a remote engine: the CLI's --engine remote has none either.
        boolean remote = kind == EngineKind.REMOTE;
        return EngineSpec.quick().withKind(kind)
                .withModel(remote ? null : modelFolder.get()).withAdapter(remote ? null : adapterFolder.get())
                .withDevice(remote ? EngineSpec.DEFAULT_DEVICE : device.get())
                .withConstrainFormat(!remote && constrainFormat.get())
                .withDecoding(decoding.get())
                .withMaxNewTokens(max == null || max < 1 ? EngineSpec.DEFAULT_MAX_NEW_TOKENS : max)
                .withRemote(draftRemote());
    }

    /** The remote part: the picker's fields for the remote engine, the defaults for any other. */
    private EngineSpec.Remote draftRemote() {
        if (engineKind.get() != EngineKind.REMOTE) {
            return EngineSpec.Remote.DEFAULTS;
        }
        return EngineSpec.Remote.DEFAULTS.withEndpoint(endpoint.get()).withModel(remoteModel.get())
                .withApiKeyEnv(apiKeyEnv.get()).withServerKind(serverKind.get());
    }

    /**
     * The remote server as chosen so far, with no model name needed: what a model-list request goes to. Empty unless
     * the remote engine is chosen with a well-formed address.
     */
    public java.util.Optional<EngineSpec> serverSpec() {
        if (engineKind.get() != EngineKind.REMOTE) {
            return java.util.Optional.empty();
        }
        EngineSpec draft = draftSpec();
        return draft.problem().isPresent() ? java.util.Optional.empty() : java.util.Optional.of(draft);
    }

    /**
     * The engine of this choice as the one spec both faces use (the same choices give the same spec, and so the same
     * engine identity and stored runs, as the CLI's flags); only meaningful once a model folder is chosen for the
     * local LLM, or a server address for the remote engine.
     */
    public EngineSpec spec() {
        if (engineKind.get() == EngineKind.LOCAL_LLM && modelFolder.get() == null) {
            throw new IllegalStateException("no model folder chosen: check blockedReasonBinding() first");
        }
        if (engineKind.get() == EngineKind.REMOTE && (endpoint.get() == null || endpoint.get().isBlank())) {
            throw new IllegalStateException("no server address given: check blockedReasonBinding() first");
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

    /** Local LLM: hold every output to RSafe's format, so none fails to parse. */
    public BooleanProperty constrainFormatProperty() {
        return constrainFormat;
    }

    public ObjectProperty<DecodingPreset> decodingProperty() {
        return decoding;
    }

    /** Longest completion the local LLM or the remote model may generate, in tokens. */
    public ObjectProperty<Integer> maxCompletionLengthProperty() {
        return maxCompletionLength;
    }

    /** Remote engine: the server's OpenAI API base URL, e.g. {@code http://127.0.0.1:8000/v1}. */
    public StringProperty endpointProperty() {
        return endpoint;
    }

    /** Remote engine: the name of the environment variable holding the API key (never the key); empty for none. */
    public StringProperty apiKeyEnvProperty() {
        return apiKeyEnv;
    }

    /** Remote engine: which server it is; {@link ServerKind#AUTO} detects it when the engine opens. */
    public ObjectProperty<ServerKind> serverKindProperty() {
        return serverKind;
    }

    /** Remote engine: the model name to request, as the server lists it. */
    public StringProperty remoteModelProperty() {
        return remoteModel;
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
