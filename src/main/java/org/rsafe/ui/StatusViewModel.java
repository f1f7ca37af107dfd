package org.rsafe.ui;

import java.time.Duration;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.rsafe.ui.bench.EngineKind;
import org.rsafe.ui.bench.EngineService;
import org.rsafe.ui.bench.TestBenchViewModel;
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

    public StatusViewModel(TaskExecutor executor, EngineService engines, TestBenchViewModel bench) {
        engine = Bindings.createStringBinding(() -> {
            EngineKind kind = bench.engineKindProperty().get();
            if (kind == EngineKind.LOCAL_LLM) {
                return "Engine: local LLM — " + switch (engines.llmStatusProperty().get()) {
                    case NOT_LOADED -> "opens on first run";
                    case LOADING -> "loading the model…";
                    case READY -> "ready";
                    case FAILED -> "failed to load";
                };
            }
            return "Engine: quick — " + switch (engines.quickStatusProperty().get()) {
                case NOT_LOADED -> "not loaded";
                case LOADING -> "loading…";
                case READY -> "ready";
                case FAILED -> "failed to start";
            };
        }, bench.engineKindProperty(), engines.quickStatusProperty(), engines.llmStatusProperty());
        model = Bindings.createStringBinding(() -> {
            if (bench.engineKindProperty().get() == EngineKind.LOCAL_LLM) {
                if (engines.llmStatusProperty().get() == org.rsafe.ui.bench.EngineService.Status.READY) {
                    return "Model: " + engines.llmModelProperty().get();
                }
                return "Model: " + (bench.modelFolderProperty().get() == null ? "none chosen"
                        : bench.modelFolderProperty().get().getFileName());
            }
            String id = engines.quickModelProperty().get();
            return "Model: " + (id.isEmpty() ? "—" : id);
        }, bench.engineKindProperty(), bench.modelFolderProperty(), engines.quickModelProperty(),
                engines.llmStatusProperty(), engines.llmModelProperty());
        device = Bindings.createStringBinding(() -> {
            if (bench.engineKindProperty().get() == EngineKind.LOCAL_LLM) {
                String real = engines.llmDeviceProperty().get();
                return "Device: " + (engines.llmStatusProperty().get() == org.rsafe.ui.bench.EngineService.Status.READY
                        && !real.isEmpty() ? real : bench.deviceProperty().get());
            }
            String d = engines.quickDeviceProperty().get();
            return "Device: " + (d.isEmpty() ? "cpu" : d);
        }, bench.engineKindProperty(), bench.deviceProperty(), engines.quickDeviceProperty(),
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
}
