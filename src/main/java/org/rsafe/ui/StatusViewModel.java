package org.rsafe.ui;

import java.time.Duration;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.rsafe.ui.bench.EngineChoice;
import org.rsafe.app.EngineKind;
import org.rsafe.ui.bench.EngineService;
import org.rsafe.ui.task.TaskExecutor;
import org.rsafe.ui.task.TaskHandle;

/** The status bar's text: engine and its state, model, device, and the JVM's memory use (refreshed every 2 s). */
public final class StatusViewModel {
    private static final Duration MEMORY_REFRESH = Duration.ofSeconds(2);

    private final StringBinding engine;
    private final StringBinding model;
    private final StringBinding device;
    private final ReadOnlyStringWrapper memory = new ReadOnlyStringWrapper(this, "memory", "");
    private final TaskHandle memoryTimer;

    public StatusViewModel(TaskExecutor executor, EngineChoice choice) {
        EngineService engines = choice.engines();
        engine = Bindings.createStringBinding(() -> {
            EngineKind kind = choice.engineKindProperty().get();
            if (kind == EngineKind.LOCAL_LLM) {
                return "Engine: local LLM — " + words(engines.llmStatusProperty().get(), "opens on first run",
                        "loading the model…", "failed to load");
            }
            if (kind == EngineKind.REMOTE) {
                return "Engine: remote — " + words(engines.llmStatusProperty().get(), "connects on first run",
                        "connecting to the server…", "could not use the server");
            }
            return "Engine: quick — " + words(engines.quickStatusProperty().get(), "not loaded", "loading…",
                    "failed to start");
        }, choice.engineKindProperty(), engines.quickStatusProperty(), engines.llmStatusProperty());
        model = Bindings.createStringBinding(() -> {
            if (choice.engineKindProperty().get() == EngineKind.LOCAL_LLM) {
                if (engines.llmStatusProperty().get() == org.rsafe.ui.bench.EngineService.Status.READY) {
                    return "Model: " + engines.llmModelProperty().get();
                }
                return "Model: " + (choice.modelFolderProperty().get() == null ? "none chosen"
                        : choice.modelFolderProperty().get().getFileName());
            }
            if (choice.engineKindProperty().get() == EngineKind.REMOTE) {
                if (engines.llmStatusProperty().get() == org.rsafe.ui.bench.EngineService.Status.READY) {
                    return "Model: " + engines.llmModelProperty().get();
                }
                String name = choice.remoteModelProperty().get();
                return "Model: " + (name == null || name.isBlank() ? "none chosen" : name.trim());
            }
            String id = engines.quickModelProperty().get();
            return "Model: " + (id.isEmpty() ? "—" : id);
        }, choice.engineKindProperty(), choice.modelFolderProperty(), choice.remoteModelProperty(),
                engines.quickModelProperty(),
                engines.llmStatusProperty(), engines.llmModelProperty());
        device = Bindings.createStringBinding(() -> {
            if (choice.engineKindProperty().get() == EngineKind.REMOTE) {
                // The remote engine records its server's host:port where the local engines record their device.
                String real = engines.llmDeviceProperty().get();
                return "Server: " + (engines.llmStatusProperty().get() == org.rsafe.ui.bench.EngineService.Status.READY
                        && !real.isEmpty() ? real : choice.serverSpec().map(s -> s.remoteOptions().hostAndPort())
                        .orElse("none given"));
            }
            if (choice.engineKindProperty().get() == EngineKind.LOCAL_LLM) {
                String real = engines.llmDeviceProperty().get();
                return "Device: " + (engines.llmStatusProperty().get() == org.rsafe.ui.bench.EngineService.Status.READY
                        && !real.isEmpty() ? real : choice.deviceProperty().get());
            }
            String d = engines.quickDeviceProperty().get();
            return "Device: " + (d.isEmpty() ? "cpu" : d);
        }, choice.engineKindProperty(), choice.deviceProperty(), choice.endpointProperty(),
                engines.quickDeviceProperty(),
                engines.llmStatusProperty(), engines.llmDeviceProperty());
        refreshMemory();
        memoryTimer = executor.every(MEMORY_REFRESH, this::refreshMemory);
    }

    public void refreshMemory() {
        Runtime rt = Runtime.getRuntime();
        long usedMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
        long maxMb = rt.maxMemory() >> 20;
        memory.set(String.format(Locale.ROOT, "Memory: %d / %d MB", usedMb, maxMb));
    }

    public StringBinding engineBinding() {
        return engine;
    }

    public StringBinding modelBinding() {
        return model;
    }

    public StringBinding deviceBinding() {
        return device;
    }

    public ReadOnlyStringProperty memoryProperty() {
        return memory.getReadOnlyProperty();
    }

    public void stop() {
        memoryTimer.cancel();
    }

    /** An engine's state in the words of its kind ("ready" for all). */
    private static String words(org.rsafe.ui.bench.EngineService.Status status, String notLoaded, String loading,
                                String failed) {
        return switch (status) {
            case NOT_LOADED -> notLoaded;
            case LOADING -> loading;
            case READY -> "ready";
            case FAILED -> failed;
        };
    }
}
