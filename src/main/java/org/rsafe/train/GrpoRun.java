package org.rsafe.train;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.llm.DeviceChoice;
import org.rsafe.engine.llm.LocalModel;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.UserException;

/**
 * A whole GRPO run in a folder ({@code rsafe train grpo}): settings saved as {@code grpo_config.json}, one log line
 * per logged step in {@code train_log.jsonl}, checkpoints every {@code save_steps} and at the end (and when
 * cancelled), and finally the adapter itself in the folder, so the folder loads as a PEFT adapter.
 */
public final class GrpoRun {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private GrpoRun() { }

    /**
     * What to run.
     *
     * @param overrides knob values the user gave ({@code name → text}); on a fresh run applied to the defaults, on
     *                  a resume to the run's saved settings
     * @param resume    continue from the newest checkpoint in {@code outDir}
     */
    public record Options(Path modelDir, Path dataFile, Path outDir, Map<String, String> overrides, boolean resume,
                          DeviceChoice device, String dtype) {
        public Options {
            overrides = Map.copyOf(overrides);
        }

        /**
         * Options as a user gives them, the same from the command line ({@code rsafe train grpo}) and the Training
         * tab: the device by name ({@code auto}, {@code cpu}, {@code gpu}) and a blank dtype meaning the device's
         * default. A bad device name is a {@link UserException}.
         */
        public static Options of(Path modelDir, Path dataFile, Path outDir, Map<String, String> knobs, boolean resume,
                                 String device, String dtype) {
            return new Options(modelDir, dataFile, outDir, knobs, resume, DeviceChoice.parse(device),
                    dtype == null || dtype.isBlank() ? null : dtype.strip());
        }
    }

    /**
     * The base weights' type: {@code f32} or {@code f16} as asked, else float32 (float16 is far slower on the CPU
     * and can overflow on a GPU). The LoRA factors and optimizer state are float32 either way.
     */
    static DataType dataType(String name, Device device) {
        if (name == null || name.isBlank()) {
            return DeviceChoice.defaultDataType(device);
        }
        return org.rsafe.engine.llm.Precision.parse(name).dataType();
    }

    /**
     * How the run ended.
     *
     * @param resumedFrom the step the run continued from (0 for a fresh run)
     * @param cancelled   stopped early; the newest checkpoint holds the last completed step
     * @param last        metrics of the last step run now, or null when none ran
     */
    public record Summary(GrpoConfig config, int rows, int stepsDone, int totalSteps, int resumedFrom, boolean cancelled,
                          StepMetrics last, Path outDir, int skippedLongPrompts, long loraParameters) { }

    /** Runs to the end or until cancelled. */
    public static Summary run(Options o, GrpoTrainer.Listener listener, Cancellation cancel) throws IOException {
        List<TrainingRow> rows = TrainingRows.read(o.dataFile());
        GrpoRunFiles files = new GrpoRunFiles(o.outDir());
        Optional<Path> checkpoint = Optional.empty();
        GrpoConfig config;
        if (o.resume()) {
            checkpoint = Checkpoint.latest(o.outDir());
            if (checkpoint.isEmpty() || !Files.isRegularFile(files.config())) {
                throw new UserException(o.outDir() + " holds no checkpoint to resume from (run without --resume to start)");
            }
            config = readConfig(files.config()).with(o.overrides());
        } else {
            if (Files.isDirectory(o.outDir()) && !isEmpty(o.outDir())) {
                throw new UserException(o.outDir() + " is not empty; continue that run with --resume or choose a new --out");
            }
            config = GrpoConfig.fromSettings(o.overrides());
        }
        Device device = o.device().resolve();
        LocalModel model = LocalModel.open(o.modelDir(), null, device, dataType(o.dtype(), device));
        // The trainer owns the model from here on (and closes it if it cannot start).
        GrpoTrainer trainer = checkpoint.isPresent() ? GrpoTrainer.resume(model, config, rows, checkpoint.get())
                : GrpoTrainer.start(model, config, rows);
        try (trainer) {
            // Written once the model, data and any checkpoint are accepted, so a refused start changes nothing.
            Files.createDirectories(o.outDir());
            AtomicFiles.writeString(files.config(), JSON.writeValueAsString(config.toSettings()) + "\n");
            int resumedFrom = trainer.step();
            if (o.resume()) {
                TrainLog.truncateAfter(files.log(), resumedFrom);
            }
            int saved = resumedFrom;
            StepMetrics last = null;
            boolean cancelled = false;
            try (TrainLog log = TrainLog.openForAppend(files.log())) {
                while (!trainer.finished()) {
                    last = trainer.trainStep(cancel, listener);
                    if (last.step() % config.loggingSteps() == 0 || trainer.finished()) {
                        log.append(last);
                    }
                    listener.onStep(last, trainer.totalSteps());
                    if (config.saveSteps() > 0 && last.step() % config.saveSteps() == 0) {
                        trainer.checkpoint().save(o.outDir());
                        saved = last.step();
                    }
                }
            } catch (CancellationException e) {
                cancelled = true;
            }
            // The last completed step is always in a checkpoint (a run cancelled before its first step saves step 0,
            // so --resume has something to continue from).
            if (trainer.step() > saved || checkpoint.isEmpty() && saved == 0) {
                trainer.checkpoint().save(o.outDir());
            }
            if (!cancelled) {
                trainer.saveAdapter(o.outDir());
            }
            return new Summary(config, rows.size(), trainer.step(), trainer.totalSteps(), resumedFrom, cancelled, last,
                    o.outDir(), trainer.skippedLongPrompts(), trainer.lora().parameterCount());
        }
    }

    static GrpoConfig readConfig(Path file) {
        try {
            Map<String, Object> saved = JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
            Map<String, String> texts = new LinkedHashMap<>();
            saved.forEach((k, v) -> texts.put(k, v instanceof List<?> l
                    ? String.join(",", l.stream().map(Object::toString).toList()) : String.valueOf(v)));
            return GrpoConfig.fromSettings(texts);
        } catch (IOException e) {
            throw new UserException(file + ": cannot read the run's settings: " + e.getMessage(), e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
