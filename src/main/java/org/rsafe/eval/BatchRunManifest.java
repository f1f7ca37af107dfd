package org.rsafe.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.rsafe.trace.EngineIdentity;
import org.rsafe.trace.JudgementJson;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.UserException;

/**
 * The {@code run.json} of a batch run: what produced its results (policy, dataset, engine, column mapping).
 * Written before the first result, and compared on {@code --resume} so results of different setups never mix.
 *
 * @param policyId      the policy's id
 * @param policyVersion the policy's version
 * @param policySha256  SHA-256 of the policy text
 * @param datasetPath   the data file as given (for people; not compared, so a moved file can still be resumed)
 * @param datasetSha256 SHA-256 of the data file's bytes
 * @param engine        the engine identity
 * @param columns       a description of the column mapping in force (how ids, texts and labels were read)
 */
public record BatchRunManifest(String policyId, String policyVersion, String policySha256, String datasetPath,
                               String datasetSha256, EngineIdentity engine, String columns) {

    public static final String FILE_NAME = "run.json";
    static final int FORMAT = 1;

    public BatchRunManifest {
        policyId = policyId == null ? "" : policyId;
        policyVersion = policyVersion == null ? "" : policyVersion;
        Objects.requireNonNull(policySha256, "policySha256");
        datasetPath = datasetPath == null ? "" : datasetPath;
        Objects.requireNonNull(datasetSha256, "datasetSha256");
        Objects.requireNonNull(engine, "engine");
        columns = columns == null ? "" : columns;
    }

    public void write(Path file) throws IOException {
        ObjectMapper m = JudgementJson.mapper();
        ObjectNode o = m.createObjectNode();
        o.put("format", FORMAT);
        ObjectNode p = o.putObject("policy");
        p.put("id", policyId);
        p.put("version", policyVersion);
        p.put("sha256", policySha256);
        ObjectNode d = o.putObject("dataset");
        d.put("path", datasetPath);
        d.put("sha256", datasetSha256);
        o.set("engine", engineJson(engine));
        o.put("columns", columns);
        AtomicFiles.writeString(file, m.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
    }

    /** Reads a manifest; a damaged one is a user-facing error naming the file. */
    public static BatchRunManifest read(Path file) throws IOException {
        JsonNode o;
        try {
            o = JudgementJson.mapper().readTree(org.rsafe.util.BoundedFiles.readUtf8(file,
                    org.rsafe.util.BoundedFiles.SETTINGS_JSON_BYTES, "a run manifest"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserException(file + ": error: not a run manifest (" + e.getOriginalMessage() + ")");
        }
        if (o == null || !o.isObject() || !o.path("policy").isObject() || !o.path("dataset").isObject()) {
            throw new UserException(file + ": error: not a run manifest (policy or dataset missing)");
        }
        JsonNode e = o.path("engine");
        Map<String, String> settings = new TreeMap<>();
        for (Map.Entry<String, JsonNode> s : e.path("settings").properties()) {
            settings.put(s.getKey(), s.getValue().asText());
        }
        EngineIdentity identity = new EngineIdentity(e.path("engine").asText(""), e.path("model_id").asText(""),
                e.path("model_hash").asText(""), e.path("device").asText(""), settings);
        return new BatchRunManifest(o.path("policy").path("id").asText(""), o.path("policy").path("version").asText(""),
                o.path("policy").path("sha256").asText(""), o.path("dataset").path("path").asText(""),
                o.path("dataset").path("sha256").asText(""), identity, o.path("columns").asText(""));
    }

    /**
     * Why results of {@code earlier} cannot be continued under this manifest; empty when they can. The device is
     * not compared: the same model gives the same scores on another device.
     */
    public List<String> differencesFrom(BatchRunManifest earlier) {
        List<String> out = new ArrayList<>();
        if (!policySha256.equals(earlier.policySha256)) {
            out.add("the policy changed (sha256 " + shortHash(earlier.policySha256) + " then, "
                    + shortHash(policySha256) + " now)");
        }
        if (!datasetSha256.equals(earlier.datasetSha256)) {
            out.add("the data file changed (sha256 " + shortHash(earlier.datasetSha256) + " then, "
                    + shortHash(datasetSha256) + " now)");
        }
        EngineIdentity a = earlier.engine;
        EngineIdentity b = engine;
        if (!a.engine().equals(b.engine()) || !a.modelId().equals(b.modelId()) || !a.modelHash().equals(b.modelHash())) {
            out.add("the engine changed (" + describe(a) + " then, " + describe(b) + " now)");
        } else if (!a.settings().equals(b.settings())) {
            out.add("the engine settings changed (" + a.settings() + " then, " + b.settings() + " now)");
        }
        if (!columns.equals(earlier.columns)) {
            out.add("the column mapping changed (" + earlier.columns + " then, " + columns + " now)");
        }
        return out;
    }

    static ObjectNode engineJson(EngineIdentity engine) {
        ObjectNode e = JudgementJson.mapper().createObjectNode();
        e.put("engine", engine.engine());
        e.put("model_id", engine.modelId());
        e.put("model_hash", engine.modelHash());
        e.put("device", engine.device());
        ObjectNode s = e.putObject("settings");
        engine.settings().forEach(s::put);
        return e;
    }

    private static String describe(EngineIdentity e) {
        return e.engine() + (e.modelId().isEmpty() ? "" : " " + e.modelId())
                + (e.modelHash().isEmpty() ? "" : " " + shortHash(e.modelHash()));
    }

    private static String shortHash(String h) {
        return h.length() > 12 ? h.substring(0, 12) + "…" : h;
    }
}
