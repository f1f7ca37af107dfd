package org.rsafe.train;

import static org.rsafe.util.FileTrees.deleteTree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.rsafe.engine.llm.LoraAdapter;
import org.rsafe.engine.llm.SafetensorsReader;
import org.rsafe.engine.llm.SafetensorsWriter;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.UserException;

/**
 * Everything a GRPO run needs to continue as if it had never stopped: the LoRA factors (as a loadable PEFT adapter
 * folder), AdamW's moments and step count, the sampler's random state, where in the data it was, and hashes of the
 * config, data and base model it was made with (a resume with anything else is refused).
 *
 * <p>Layout of {@code <run>/checkpoints/checkpoint-NNNNNN/}: {@code adapter_config.json},
 * {@code adapter_model.safetensors}, {@code optimizer.safetensors} (tensors {@code exp_avg.<lora tensor>} and
 * {@code exp_avg_sq.<lora tensor>}, F32) and {@code trainer_state.json}. A checkpoint is written into a hidden
 * folder and renamed into place, so a folder with that name is always complete.
 *
 * @param state     counters, random state and hashes
 * @param spec      LoRA rank, alpha, dropout, targets
 * @param modules   the LoRA factors, in parameter order (A then B of each module)
 * @param optimizer AdamW moments aligned with the parameter order
 */
public record Checkpoint(State state, PeftAdapterWriter.Spec spec, List<PeftAdapterWriter.Module> modules,
                         AdamW.State optimizer) {

    public static final String DIR = "checkpoints";
    public static final String STATE_FILE = "trainer_state.json";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int FORMAT = 1;

    /**
     * Counters and identity of a run at a step boundary.
     *
     * @param step        optimizer steps done
     * @param epoch       current pass over the data (0-based)
     * @param cursor      prompts of this epoch's order already used
     * @param rng         the run's {@link Xoshiro256} state
     * @param configHash  {@link GrpoConfig#trajectoryHash()}
     * @param dataHash    SHA-256 of the training file
     * @param modelHash   the base model's hash (without adapter)
     * @param baseModel   base_model_name_or_path for the adapter config
     */
    public record State(int step, int epoch, int cursor, long[] rng, String configHash, String dataHash,
                        String modelHash, String baseModel) {
        public State {
            rng = rng.clone();
            Objects.requireNonNull(configHash, "configHash");
            Objects.requireNonNull(dataHash, "dataHash");
            Objects.requireNonNull(modelHash, "modelHash");
            baseModel = baseModel == null ? "" : baseModel;
        }
    }

    public Checkpoint {
        modules = List.copyOf(modules);
        if (optimizer.m().size() != 2 * modules.size()) {
            throw new IllegalArgumentException("optimizer state has " + optimizer.m().size() + " moments for "
                    + modules.size() + " modules (two factors each)");
        }
    }

    /** {@code checkpoint-000042}: zero-padded so names sort by step. */
    public static String folderName(int step) {
        return String.format("checkpoint-%06d", step);
    }

    /** Writes the checkpoint as {@code runDir/checkpoints/checkpoint-<step>}, replacing one of the same step. */
    public Path save(Path runDir) throws IOException {
        Path parent = runDir.resolve(DIR);
        Files.createDirectories(parent);
        Path target = parent.resolve(folderName(state.step()));
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".");
        try {
            PeftAdapterWriter.write(tmp, spec, state.baseModel(), modules);
            List<SafetensorsWriter.Entry> moments = new ArrayList<>();
            for (int i = 0; i < modules.size(); i++) {
                PeftAdapterWriter.Module m = modules.get(i);
                for (int f = 0; f < 2; f++) {
                    String tensor = PeftAdapterWriter.tensorName(m.module(), f == 0 ? 'A' : 'B');
                    long[] shape = f == 0 ? new long[] {spec.r(), m.in()} : new long[] {m.out(), spec.r()};
                    moments.add(SafetensorsWriter.Entry.of("exp_avg." + tensor, optimizer.m().get(2 * i + f), shape));
                    moments.add(SafetensorsWriter.Entry.of("exp_avg_sq." + tensor, optimizer.v().get(2 * i + f), shape));
                }
            }
            SafetensorsWriter.write(tmp.resolve(OPTIMIZER_FILE), moments, SafetensorsWriter.Dtype.F32);
            AtomicFiles.writeString(tmp.resolve(STATE_FILE), stateJson());
            if (Files.exists(target)) {
                deleteTree(target);
            }
            AtomicFiles.moveFolderIntoPlace(tmp, target);
            return target;
        } finally {
            deleteTree(tmp);
        }
    }

    private String stateJson() throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("global_step", state.step());
        o.put("optimizer_step", optimizer.step());
        o.put("epoch", state.epoch());
        o.put("cursor", state.cursor());
        ArrayNode rng = o.putArray("rng_state");
        for (long w : state.rng()) {
            rng.add(Long.toString(w)); // as text: JSON readers in other languages lose bits above 2^53
        }
        o.put("config_hash", state.configHash());
        o.put("data_sha256", state.dataHash());
        o.put("model_hash", state.modelHash());
        o.put("base_model_name_or_path", state.baseModel());
        ArrayNode order = o.putArray("modules");
        modules.forEach(m -> order.add(m.module()));
        return JSON.writeValueAsString(o) + "\n";
    }

    /** The newest complete checkpoint of a run, if any. */
    public static Optional<Path> latest(Path runDir) throws IOException {
        Path parent = runDir.resolve(DIR);
        if (!Files.isDirectory(parent)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(parent)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p.resolve(STATE_FILE)))
                    .max(Comparator.comparingInt(Checkpoint::stepOf));
        }
    }

    private static int stepOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Reads a checkpoint folder written by {@link #save}. */
    public static Checkpoint load(Path dir) {
        try {
            JsonNode s = JSON.readTree(dir.resolve(STATE_FILE).toFile());
            if (s.path("format").asInt() != FORMAT) {
                throw new UserException(dir + ": checkpoint format " + s.path("format") + " is not supported");
            }
            long[] rng = new long[4];
            for (int i = 0; i < 4; i++) {
                rng[i] = Long.parseLong(s.path("rng_state").path(i).asText());
            }
            State state = new State(s.path("global_step").asInt(), s.path("epoch").asInt(), s.path("cursor").asInt(),
                    rng, s.path("config_hash").asText(), s.path("data_sha256").asText(), s.path("model_hash").asText(),
                    s.path("base_model_name_or_path").asText());
            JsonNode c = JSON.readTree(dir.resolve(LoraAdapter.CONFIG_FILE).toFile());
            List<String> targets = new ArrayList<>();
            c.path("target_modules").forEach(t -> targets.add(t.asText()));
            PeftAdapterWriter.Spec spec = new PeftAdapterWriter.Spec(c.path("r").asInt(), c.path("lora_alpha").asDouble(),
                    c.path("lora_dropout").asDouble(), targets);
            List<PeftAdapterWriter.Module> modules = new ArrayList<>();
            List<float[]> m = new ArrayList<>();
            List<float[]> v = new ArrayList<>();
            try (SafetensorsReader weights = SafetensorsReader.openFile(dir.resolve(LoraAdapter.WEIGHTS_FILE));
                 SafetensorsReader moments = SafetensorsReader.openFile(dir.resolve(OPTIMIZER_FILE))) {
                // Parameter order is the trainer's, recorded in the state file (tensor files need not keep it).
                for (JsonNode moduleNode : s.path("modules")) {
                    String module = moduleNode.asText();
                    String name = PeftAdapterWriter.tensorName(module, 'A');
                    String b = PeftAdapterWriter.tensorName(module, 'B');
                    List<Long> aShape = weights.info(name).shape();
                    List<Long> bShape = weights.info(b).shape();
                    modules.add(new PeftAdapterWriter.Module(module, (int) (long) aShape.get(1), (int) (long) bShape.get(0),
                            weights.readFloats(name), weights.readFloats(b)));
                    for (String t : List.of(name, b)) {
                        m.add(moments.readFloats("exp_avg." + t));
                        v.add(moments.readFloats("exp_avg_sq." + t));
                    }
                }
            }
            return new Checkpoint(state, spec, modules, new AdamW.State(m, v, s.path("optimizer_step").asLong()));
        } catch (IOException e) {
            throw new UserException(dir + ": cannot read the checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses to resume with a different config, data file or base model: the continued run would not be the run
     * that was stopped. Lists every difference.
     */
    public void checkMatches(String configHash, String dataHash, String modelHash, Path where) {
        List<String> diffs = new ArrayList<>();
        if (!state.configHash().equals(configHash)) {
            diffs.add("the GRPO settings differ (only logging_steps, save_steps and gradient_checkpointing may change on resume)");
        }
        if (!state.dataHash().equals(dataHash)) {
            diffs.add("the training data file differs");
        }
        if (!state.modelHash().equals(modelHash)) {
            diffs.add("the base model differs");
        }
        if (!diffs.isEmpty()) {
            throw new UserException("cannot resume from " + where + ": " + String.join("; ", diffs)
                    + ". Start a new run in another --out folder, or use the settings of the original run "
                    + "(saved in its " + GrpoRunFiles.CONFIG_FILE + ").");
        }
    }
}
