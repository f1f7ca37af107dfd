package org.rsafe.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToIntFunction;
import org.rsafe.engine.Cancellation;
import org.rsafe.prompt.TokenEstimator;
import org.rsafe.train.GrpoConfig;
import org.rsafe.train.GrpoRun;
import org.rsafe.train.GrpoTrainer;
import org.rsafe.train.ModelTokenCounter;
import org.rsafe.train.TrainingDataBuilder;
import org.rsafe.train.TrainingRows;
import org.rsafe.util.UserException;

/**
 * The training use cases: turn labelled files into GRPO training rows, and run GRPO (LoRA) on them in a run folder
 * that can be resumed. Both faces ({@code rsafe train data|grpo} and the Training tab) build their runs here, so a
 * knob, a device or a resume means the same from either.
 */
public final class Training {
    /** Where a run trains when the user does not say: the GPU when DJL sees one, else the CPU. */
    public static final String DEFAULT_DEVICE = "auto";
    /** The devices a user may name, as {@code --device} takes them. */
    public static final java.util.List<String> DEVICES = java.util.List.of("auto", "cpu", "gpu");

    private Training() { }

    /**
     * A GRPO run as a user asks for it.
     *
     * @param modelDir the base model folder (Qwen2 family)
     * @param dataFile training rows from {@link #buildData}
     * @param outDir   the run folder: new (or empty) for a fresh run, an earlier run's folder with {@code resume}
     * @param knobs    GRPO settings the user gave, TRL names (kebab or snake case) to texts; on a fresh run applied to
     *                 the defaults of {@link GrpoConfig#KNOBS}, on a resume to the run's saved settings. Stored by
     *                 their canonical (snake case) names
     * @param resume   continue the run in {@code outDir} from its newest checkpoint
     * @param device   {@code auto}, {@code cpu} or {@code gpu}; blank = {@link #DEFAULT_DEVICE}
     * @param dtype    the base weights' type, {@code f32} or {@code f16}; blank = the device's default
     */
    public record GrpoRequest(Path modelDir, Path dataFile, Path outDir, Map<String, String> knobs, boolean resume,
                              String device, String dtype) {
        public GrpoRequest {
            Objects.requireNonNull(modelDir, "modelDir");
            Objects.requireNonNull(dataFile, "dataFile");
            Objects.requireNonNull(outDir, "outDir");
            Map<String, String> canonical = new LinkedHashMap<>();
            (knobs == null ? Map.<String, String>of() : knobs).forEach((k, v) -> canonical.put(GrpoConfig.canonical(k), v));
            knobs = java.util.Collections.unmodifiableMap(canonical);
            device = device == null || device.isBlank() ? DEFAULT_DEVICE : device.strip();
            dtype = dtype == null || dtype.isBlank() ? null : dtype.strip();
        }
    }

    /**
     * The run's options, checked before any model is opened: the device name, and on a fresh run every knob (a
     * resume checks its knobs against the saved settings when it starts). Mistakes are {@link UserException}s.
     */
    public static GrpoRun.Options options(GrpoRequest request) {
        if (!request.resume()) {
            GrpoConfig.fromSettings(request.knobs());
        }
        return GrpoRun.Options.of(request.modelDir(), request.dataFile(), request.outDir(), request.knobs(),
                request.resume(), request.device(), request.dtype());
    }

    /**
     * Trains to the end or until cancelled; a cancelled run keeps a checkpoint of its last finished step, so the same
     * request with {@code resume} continues it.
     */
    public static GrpoRun.Summary run(GrpoRequest request, GrpoTrainer.Listener listener, Cancellation cancellation)
            throws IOException {
        return GrpoRun.run(options(request), listener, cancellation);
    }

    /**
     * Training rows written to a file, and how their tokens were counted.
     *
     * @param counted one phrase for the report: counted with a model's tokenizer, or estimated
     */
    public record DataResult(TrainingDataBuilder.Result result, Path out, String counted) { }

    /**
     * Builds training rows from labelled files and writes them to {@code out} (JSON Lines). Tokens are counted with
     * {@code tokenizerModel}'s tokenizer when given, else estimated. No rows left is a {@link UserException} and
     * nothing is written.
     */
    public static DataResult buildData(TrainingDataBuilder.Options options, Path tokenizerModel, Path out)
            throws IOException {
        TrainingDataBuilder.Result result;
        String counted;
        if (tokenizerModel != null) {
            try (ModelTokenCounter counter = ModelTokenCounter.open(tokenizerModel)) {
                result = TrainingDataBuilder.build(options, counter);
            }
            counted = "tokens counted with " + tokenizerModel.resolve("tokenizer.json");
        } else {
            ToIntFunction<String> estimate = TokenEstimator::estimate;
            result = TrainingDataBuilder.build(options, estimate);
            counted = "tokens estimated (pass --model DIR to count exactly)";
        }
        if (result.rows().isEmpty()) {
            throw new UserException("no training rows left (" + summary(result.report()) + "); nothing written");
        }
        TrainingRows.write(out, result.rows());
        return new DataResult(result, out, counted);
    }

    private static String summary(TrainingDataBuilder.Report r) {
        return String.format(Locale.ROOT, "%d read, %d bad, %d unlabelled, %d over-long, %d removed by balancing",
                r.rowsIn(), r.droppedBad(), r.droppedUnlabelled(), r.droppedOverLong(), r.droppedByBalance());
    }
}
