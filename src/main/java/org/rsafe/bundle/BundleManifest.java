package org.rsafe.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.rsafe.trace.JudgementJson;

/**
 * The {@code manifest.json} of a bundle: what it holds and how it was made. JSON field names are the record
 * components in snake_case ({@code format_version}, {@code tool_version}, …).
 *
 * @param format        always {@value BundleFormat#FORMAT}
 * @param formatVersion the layout version ({@value BundleFormat#VERSION})
 * @param created       creation time, ISO-8601 UTC
 * @param toolVersion   the RSafe Workbench version that made it
 * @param policy        the policy's identity
 * @param engine        the engine and model that produced the results
 * @param decoding      the engine's settings that change its output (sampling settings for a model, scoring
 *                      settings for the quick engine)
 * @param thresholds    the decision thresholds in force
 * @param dataset       the evaluation data
 * @param metrics       the evaluation's metrics with 95% intervals
 * @param gates         the gates checked before export
 * @param files         every other file of the bundle (path → SHA-256 and size), sorted by path
 * @param signer        the signing key
 */
public record BundleManifest(String format, int formatVersion, String created, String toolVersion, PolicyInfo policy,
                             EngineInfo engine, Map<String, String> decoding, Thresholds thresholds,
                             DatasetInfo dataset, MetricsInfo metrics, GatesInfo gates, Map<String, FileInfo> files,
                             SignerInfo signer) {

    /**
     * @param file           the policy's path inside the bundle
     * @param sourceFile     the policy file's name when exported
     * @param revision       the saved version's revision id, or null when the file was not in a workspace
     * @param versionLabel   the saved version's name ({@code v3}), or null
     * @param unsavedChanges true when the exported text differs from that saved version
     */
    public record PolicyInfo(String id, String name, String version, String sha256, String file, String sourceFile,
                             String revision, String versionLabel, boolean unsavedChanges) { }

    /** @param modelHash hash of the model's configuration and tensor headers (empty for engines without a model) */
    public record EngineInfo(String engine, String modelId, String modelHash, String device) { }

    /**
     * @param defaultThreshold the threshold for clauses without their own (null when the engine has none)
     * @param clauses          the clauses' own thresholds, by clause id
     */
    public record Thresholds(Double defaultThreshold, Map<String, Double> clauses) { }

    /**
     * @param rows      usable rows in the data file
     * @param evaluated rows judged for this bundle
     */
    public record DatasetInfo(String name, String sha256, long rows, long evaluated, String columns) { }

    /** Unsafe-class metrics; intervals are {lo, hi} at 95% (bootstrap for F1, Wilson for the rates). */
    public record MetricsInfo(long rows, long parseFailures, double parseFailureRate, long tp, long fp, long tn,
                              long fn, double f1, List<Double> f1Ci95, double precision, List<Double> precisionCi95,
                              double recall, List<Double> recallCi95, double fpr, List<Double> fprCi95,
                              double accuracy, double kappa, double mcc) { }

    /** @param minF1 null when not set; @param maxFpr null when not set; @param passed always true in a bundle */
    public record GatesInfo(Double minF1, Double maxFpr, boolean passed) { }

    public record FileInfo(String sha256, long size) { }

    /** @param publicKey Base64 of the X.509 encoding; @param fingerprint SHA-256 of that encoding, hex */
    public record SignerInfo(String algorithm, String publicKey, String fingerprint) { }

    public BundleManifest {
        Objects.requireNonNull(format, "format");
        decoding = decoding == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(decoding));
        files = files == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(files));
    }

    /** The manifest as stored: indented JSON, UTF-8, ending with a line break. These are the bytes signed. */
    public byte[] toBytes() {
        try {
            String json = JudgementJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(this);
            return (json.replace("\r\n", "\n") + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a manifest is plain records and must serialize", e);
        }
    }

    /** The format version a manifest declares, read before anything else; -1 when it declares none. */
    static int declaredVersion(JsonNode tree) {
        JsonNode v = tree.get("format_version");
        return v != null && v.canConvertToInt() && v.isIntegralNumber() ? v.intValue() : -1;
    }

    /** Parses manifest bytes; throws {@link IOException} on anything that is not a manifest of this format. */
    static BundleManifest parse(byte[] bytes) throws IOException {
        JsonNode tree = JudgementJson.mapper().readTree(bytes);
        if (tree == null || !tree.isObject()) {
            throw new IOException("manifest.json is not a JSON object");
        }
        if (!BundleFormat.FORMAT.equals(tree.path("format").asText(null))) {
            throw new IOException("manifest.json does not describe an RSafe bundle (format is not '"
                    + BundleFormat.FORMAT + "')");
        }
        BundleManifest m = JudgementJson.mapper().treeToValue(tree, BundleManifest.class);
        if (m.policy() == null || m.files() == null || m.engine() == null || m.dataset() == null || m.metrics() == null) {
            throw new IOException("manifest.json lacks required sections");
        }
        return m;
    }
}
