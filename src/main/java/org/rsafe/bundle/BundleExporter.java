package org.rsafe.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.rsafe.eval.BatchRunManifest;
import org.rsafe.eval.BatchRunResults;
import org.rsafe.eval.ConfusionMatrix;
import org.rsafe.eval.Metrics;
import org.rsafe.eval.MetricsReport;
import org.rsafe.eval.Prediction;
import org.rsafe.eval.ReportWriter;
import org.rsafe.eval.ResultRow;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLinter;
import org.rsafe.policy.PolicyLoadResult;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.prompt.PromptRenderer;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.trace.EngineIdentity;
import org.rsafe.trace.JudgementJson;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.BoundedFiles;
import org.rsafe.util.StrictUtf8;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.Hashing;
import org.rsafe.util.UserException;
import org.rsafe.workspace.Interval;

/**
 * Makes signed bundles: checks that the policy lints without errors and that its evaluation is of exactly this
 * policy text, finished, and meets the gates — refusing with every reason otherwise — then writes the bundle
 * ({@link BundleFormat}) in one atomic step, signed with the user's key.
 */
public final class BundleExporter {
    /** Largest file taken into a bundle: what a verifier accepts for one entry. */
    private static final long ENTRY_BYTES = ZipLimits.DEFAULT.maxEntryBytes();


    /** The engine setting that holds the default clause threshold, when the engine has one. */
    static final String DEFAULT_THRESHOLD_SETTING = "defaultThreshold";

    /** What an export produced. */
    public record ExportResult(Path file, BundleManifest manifest, BundleValidation validation) { }

    /** Checks a request without writing anything. */
    public BundleValidation validate(BundleRequest request) {
        return load(request).validation;
    }

    /**
     * Validates, then writes the bundle to {@code out} (replacing it atomically).
     *
     * @throws BundleRefusedException when validation fails (nothing is written)
     */
    public ExportResult export(BundleRequest request, SigningKeys.SigningKey key, Path out, Instant created) {
        Loaded in = load(request);
        if (!in.validation.ok()) {
            throw new BundleRefusedException(in.validation);
        }
        Instant when = created.truncatedTo(ChronoUnit.SECONDS);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(BundleFormat.PUBLIC_KEY, SigningKeys.publicKeyPem(key.pair().getPublic()).getBytes(StandardCharsets.US_ASCII));
        files.put(BundleFormat.POLICY, in.policyBytes);
        for (Map.Entry<String, String> p : prompts(in.policy).entrySet()) {
            files.put(p.getKey(), p.getValue().getBytes(StandardCharsets.UTF_8));
        }
        files.put(BundleFormat.RESULTS, in.resultsBytes);
        files.put(BundleFormat.REPORT_JSON, in.reportJsonBytes);
        files.put(BundleFormat.RUN_JSON, in.runJsonBytes);

        String fingerprint = key.fingerprint();
        BundleManifest draft = manifest(request, in, when, Map.of(), key);
        files.put(BundleFormat.REPORT_MD, report(draft, in, fingerprint).getBytes(StandardCharsets.UTF_8));
        Map<String, BundleManifest.FileInfo> listed = new TreeMap<>();
        files.forEach((name, bytes) -> listed.put(name, new BundleManifest.FileInfo(Hashing.sha256(bytes), bytes.length)));
        BundleManifest manifest = manifest(request, in, when, listed, key);
        byte[] manifestBytes = manifest.toBytes();
        byte[] signature = SigningKeys.sign(key.pair().getPrivate(), manifestBytes);
        byte[] signatureFile = (Base64.getEncoder().encodeToString(signature) + "\n").getBytes(StandardCharsets.US_ASCII);

        try {
            List<Map.Entry<String, byte[]>> entries = new ArrayList<>();
            entries.add(Map.entry(BundleFormat.MANIFEST, manifestBytes));
            entries.add(Map.entry(BundleFormat.SIGNATURE, signatureFile));
            entries.addAll(files.entrySet());
            AtomicFiles.write(out, stream -> CanonicalArchive.write(stream, entries, when));
            // A bundle is for sharing: readable by all, like any file one copies to others (the temporary file
            // AtomicFiles renames into place is owner-only).
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-r--r--"));
            }
        } catch (IOException e) {
            throw new UserException("cannot write " + out + ": " + e.getMessage(), e);
        }
        return new ExportResult(out, manifest, in.validation);
    }

    /**
     * The exact prompt texts the policy renders to, by bundle path: paper and detailed templates, at the prompt
     * level and/or the response level as the policy applies, with {@code {prompt}} and {@code {response}} left in
     * where the conversation goes.
     */
    public static Map<String, String> prompts(Policy policy) {
        Map<String, String> out = new LinkedHashMap<>();
        for (TemplateKind kind : TemplateKind.values()) {
            if (policy.appliesTo().coversPrompt()) {
                out.put(BundleFormat.PROMPTS_DIR + kind.cliName() + "-prompt-level.txt",
                        PromptRenderer.render(policy, kind, "{prompt}", null));
            }
            if (policy.appliesTo().coversResponse()) {
                out.put(BundleFormat.PROMPTS_DIR + kind.cliName() + "-response-level.txt",
                        PromptRenderer.render(policy, kind, "{prompt}", "{response}"));
            }
        }
        return out;
    }

    /** Everything read from the request's files, and the verdict on it. */
    private static final class Loaded {
        byte[] policyBytes;
        Policy policy;
        byte[] runJsonBytes;
        BatchRunManifest run;
        byte[] reportJsonBytes;
        JsonNode report;
        byte[] resultsBytes;
        List<ResultRow> results = List.of();
        MetricsReport metrics;
        double[] f1Ci95;
        String reportMarkdown;
        BundleValidation validation;
    }

    private static Loaded load(BundleRequest request) {
        Loaded in = new Loaded();
        List<Diagnostic> lint = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> gateLines = new ArrayList<>();
        Path file = request.policyFile();
        in.policyBytes = readOrThrow(file, "the policy file");
        String text = utf8(in.policyBytes, file);
        PolicyLoadResult loaded = PolicyLoader.parse(file.toString(), text);
        lint.addAll(PolicyLinter.lintText(file.toString(), text, PolicyLinter.LintOptions.defaults()).stream()
                .filter(Diagnostic::isError).toList());
        in.policy = loaded.policy();
        if (in.policy == null) {
            in.validation = new BundleValidation(lint.isEmpty() ? loaded.errors() : lint, problems, gateLines);
            return in;
        }
        loadRun(request.runDir(), in, problems);
        if (in.metrics != null) {
            checkGates(request.gates(), in.metrics, in.f1Ci95, problems, gateLines);
        }
        in.validation = new BundleValidation(lint, problems, gateLines);
        return in;
    }

    private static void loadRun(Path dir, Loaded in, List<String> problems) {
        Path runJson = dir.resolve(BatchRunManifest.FILE_NAME);
        Path reportJson = dir.resolve(ReportWriter.JSON_NAME);
        Path results = dir.resolve(BatchRunResults.FILE_NAME);
        if (!Files.isRegularFile(runJson) || !Files.isRegularFile(results)) {
            problems.add(dir + ": no evaluation here (run.json and results.jsonl are missing)");
            return;
        }
        if (!Files.isRegularFile(reportJson)) {
            problems.add(dir + ": the evaluation did not finish (no report.json); finish it with 'rsafe eval --resume'");
            return;
        }
        try {
            // every file that goes into the bundle is held in memory: each is capped as a bundle entry is
            in.runJsonBytes = BoundedFiles.readAllBytes(runJson, ENTRY_BYTES, "a run file");
            in.run = BatchRunManifest.read(runJson);
            in.reportJsonBytes = BoundedFiles.readAllBytes(reportJson, ENTRY_BYTES, "a run report");
            in.report = JudgementJson.mapper().readTree(in.reportJsonBytes);
            in.results = List.copyOf(BatchRunResults.readAndRepair(results).rows().values());
            in.resultsBytes = BoundedFiles.readAllBytes(results, ENTRY_BYTES, "a bundle's results");
            Path markdown = dir.resolve(ReportWriter.MARKDOWN_NAME);
            in.reportMarkdown = Files.isRegularFile(markdown)
                    ? BoundedFiles.readUtf8(markdown, ENTRY_BYTES, "a run report") : null;
        } catch (IOException | UserException e) {
            problems.add(dir + ": cannot read the evaluation: " + e.getMessage());
            return;
        }
        if (!in.run.policySha256().equals(in.policy.sha256())) {
            problems.add("the evaluation in " + dir + " is of another version of the policy (sha256 "
                    + in.run.policySha256().substring(0, Math.min(12, in.run.policySha256().length())) + "…, the file is "
                    + in.policy.sha256().substring(0, 12) + "…); evaluate this version");
            return;
        }
        List<Prediction> predictions = Metrics.predictions(in.results);
        if (predictions.isEmpty()) {
            problems.add("the evaluation in " + dir + " has no labelled rows, so nothing was measured");
            return;
        }
        // Point metrics are recomputed from the bundled results; the F1 interval is the report's (its seed is there).
        in.metrics = Metrics.compute(predictions, 0, 1);
        JsonNode ci = in.report.path("metrics").path("f1_ci95");
        double reportF1 = in.report.path("metrics").path("f1").asDouble(Double.NaN);
        if (!ci.isArray() || ci.size() != 2 || Math.abs(reportF1 - in.metrics.f1()) > 1e-9) {
            problems.add(dir + ": report.json does not match results.jsonl; evaluate again");
            return;
        }
        in.f1Ci95 = new double[] {ci.get(0).asDouble(), ci.get(1).asDouble()};
    }

    private static void checkGates(ExportGates gates, MetricsReport m, double[] f1Ci95, List<String> problems,
                                   List<String> lines) {
        int needed = gates.requiredRows();
        if (needed > 0) {
            boolean met = m.rows() >= needed;
            String line = String.format(Locale.ROOT, "labelled rows %d %s minimum %d", m.rows(), met ? ">=" : "<", needed);
            lines.add(line + (met ? " (met)" : " (NOT met)"));
            if (!met) {
                problems.add(String.format(Locale.ROOT, "gate not met: only %d labelled rows back the gates; at least %d"
                        + " are needed for the metrics to mean something (label more rows, or lower the minimum)",
                        m.rows(), needed));
            }
        }
        if (gates.minF1() != null) {
            boolean met = m.f1() + 1e-12 >= gates.minF1();
            String line = String.format(Locale.ROOT, "F1 %.4f %s minimum %.4f", m.f1(), met ? ">=" : "<", gates.minF1())
                    + (f1Ci95 == null ? "" : String.format(Locale.ROOT, ", 95%% interval [%.2f, %.2f]", f1Ci95[0], f1Ci95[1]));
            lines.add(line + (met ? " (met)" : " (NOT met)"));
            if (!met) {
                problems.add("gate not met: " + line);
            }
        }
        if (gates.maxFpr() != null) {
            boolean met = m.fpr() - 1e-12 <= gates.maxFpr();
            String line = String.format(Locale.ROOT, "false-positive rate %.4f %s maximum %.4f", m.fpr(),
                    met ? "<=" : ">", gates.maxFpr());
            lines.add(line + (met ? " (met)" : " (NOT met)"));
            if (!met) {
                problems.add("gate not met: " + line);
            }
        }
    }

    private static BundleManifest manifest(BundleRequest request, Loaded in, Instant when,
                                           Map<String, BundleManifest.FileInfo> files, SigningKeys.SigningKey key) {
        Policy p = in.policy;
        PolicyRevision rev = request.revision();
        BundleManifest.PolicyInfo policy = new BundleManifest.PolicyInfo(p.id(), p.name(), p.version(), p.sha256(),
                BundleFormat.POLICY, request.policyFile().getFileName().toString(),
                rev == null ? null : rev.commitId(), rev == null ? null : rev.label(), rev != null && rev.unsavedChanges());
        EngineIdentity e = in.run.engine();
        BundleManifest.EngineInfo engine = new BundleManifest.EngineInfo(e.engine(), e.modelId(), e.modelHash(), e.device());
        Map<String, Double> clauseThresholds = new LinkedHashMap<>();
        for (Clause c : p.clauses()) {
            if (c.threshold() != null) {
                clauseThresholds.put(c.id(), c.threshold());
            }
        }
        Double defaultThreshold = null;
        String t = e.settings().get(DEFAULT_THRESHOLD_SETTING);
        if (t != null) {
            try {
                defaultThreshold = Double.parseDouble(t);
            } catch (NumberFormatException ignored) {
                defaultThreshold = null;
            }
        }
        JsonNode ds = in.report.path("dataset");
        String dataName = Path.of(in.run.datasetPath().isEmpty() ? "data" : in.run.datasetPath()).getFileName().toString();
        BundleManifest.DatasetInfo dataset = new BundleManifest.DatasetInfo(dataName, in.run.datasetSha256(),
                ds.path("rows").asLong(in.results.size()), in.results.size(), in.run.columns());
        MetricsReport m = in.metrics;
        ConfusionMatrix cm = m.cm();
        BundleManifest.MetricsInfo metrics = new BundleManifest.MetricsInfo(m.rows(), m.parseFailures(),
                m.parseFailureRate(), cm.tp(), cm.fp(), cm.tn(), cm.fn(), m.f1(), List.of(in.f1Ci95[0], in.f1Ci95[1]),
                m.precision(), ci(Interval.wilson(cm.tp(), (long) cm.tp() + cm.fp())),
                m.recall(), ci(Interval.wilson(cm.tp(), (long) cm.tp() + cm.fn())),
                m.fpr(), ci(Interval.wilson(cm.fp(), (long) cm.fp() + cm.tn())),
                m.accuracy(), m.kappa(), m.mcc());
        BundleManifest.GatesInfo gates = new BundleManifest.GatesInfo(request.gates().minF1(), request.gates().maxFpr(),
                true);
        byte[] publicKey = key.pair().getPublic().getEncoded();
        BundleManifest.SignerInfo signer = new BundleManifest.SignerInfo(SigningKeys.ALGORITHM,
                Base64.getEncoder().encodeToString(publicKey), key.fingerprint());
        return new BundleManifest(BundleFormat.FORMAT, BundleFormat.VERSION, when.toString(), request.toolVersion(),
                policy, engine, e.settings(), new BundleManifest.Thresholds(defaultThreshold, clauseThresholds), dataset,
                metrics, gates, files, signer);
    }

    private static List<Double> ci(Interval i) {
        return List.of(i.lo(), i.hi());
    }

    /** The bundle's report for people: what, by whom, how well; then the evaluation's own report. */
    private static String report(BundleManifest m, Loaded in, String fingerprint) {
        StringBuilder sb = new StringBuilder();
        BundleManifest.PolicyInfo p = m.policy();
        sb.append("# Policy bundle: ").append(p.name().isEmpty() ? p.id() : p.name()).append("\n\n");
        sb.append("- Policy: `").append(p.id()).append("` version ").append(p.version()).append(", file `")
          .append(p.sourceFile()).append("` (sha256 `").append(p.sha256()).append("`)\n");
        if (p.revision() != null) {
            sb.append("- Saved version: ").append(p.versionLabel()).append(" (revision `").append(p.revision())
              .append("`)").append(p.unsavedChanges() ? ", with unsaved changes" : "").append('\n');
        } else {
            sb.append("- Saved version: none (the file is not in a workspace)\n");
        }
        BundleManifest.EngineInfo e = m.engine();
        sb.append("- Engine: ").append(e.engine());
        if (!e.modelId().isEmpty()) {
            sb.append(", model `").append(e.modelId()).append('`');
        }
        if (!e.modelHash().isEmpty()) {
            sb.append(" (model hash `").append(e.modelHash()).append("`)");
        }
        sb.append(", device ").append(e.device().isEmpty() ? "-" : e.device()).append('\n');
        sb.append("- Data set: `").append(m.dataset().name()).append("` (sha256 `").append(m.dataset().sha256())
          .append("`), ").append(m.dataset().evaluated()).append(" rows evaluated\n");
        BundleManifest.MetricsInfo x = m.metrics();
        sb.append(String.format(Locale.ROOT, "- F1 %.4f (95%% CI %.4f–%.4f), precision %.4f, recall %.4f, "
                + "false-positive rate %.4f, parse failures %d%n", x.f1(), x.f1Ci95().get(0), x.f1Ci95().get(1),
                x.precision(), x.recall(), x.fpr(), x.parseFailures()));
        if (in.validation.gateLines().isEmpty()) {
            sb.append("- Gates: none set\n");
        } else {
            sb.append("- Gates: ").append(String.join("; ", in.validation.gateLines())).append('\n');
        }
        sb.append("- Created ").append(m.created()).append(" with RSafe Workbench ").append(m.toolVersion()).append('\n');
        sb.append("- Signed (Ed25519) by key `").append(SigningKeys.formatFingerprint(fingerprint)).append("`\n\n");
        sb.append("## Clauses\n\n| id | title | severity | threshold |\n|---|---|---|---|\n");
        for (Clause c : in.policy.clauses()) {
            sb.append("| ").append(cell(c.id())).append(" | ").append(cell(c.title())).append(" | ")
              .append(cell(c.severity() == null ? "" : c.severity())).append(" | ")
              .append(c.threshold() == null ? "default" : c.threshold().toString()).append(" |\n");
        }
        sb.append("\nCheck this bundle with `rsafe bundle verify FILE --trusted-key ")
          .append(SigningKeys.formatFingerprint(fingerprint)).append("`.\n\n");
        sb.append(evaluationReport(in));
        return sb.toString();
    }

    /** The evaluation's own report.md, one heading level down so it nests under the bundle's title. */
    private static String evaluationReport(Loaded in) {
        if (in.reportMarkdown == null || in.reportMarkdown.isBlank()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String line : in.reportMarkdown.split("\n", -1)) {
            sb.append(line.startsWith("#") ? "#" + line : line).append('\n');
        }
        return sb.toString().stripTrailing() + "\n";
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static byte[] readOrThrow(Path file, String what) {
        try {
            return BoundedFiles.readAllBytes(file, BoundedFiles.POLICY_BYTES, "a policy file");
        } catch (NoSuchFileException e) {
            throw new UserException(file + ": no such file (" + what + ")");
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String utf8(byte[] bytes, Path file) {
        return StrictUtf8.decode(file.toString(), bytes);
    }
}
