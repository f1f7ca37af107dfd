package org.rsafe.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.rsafe.bundle.BundleExporter;
import org.rsafe.bundle.BundleManifest;
import org.rsafe.bundle.BundleRefusedException;
import org.rsafe.bundle.BundleRequest;
import org.rsafe.bundle.BundleValidation;
import org.rsafe.bundle.ExportGates;
import org.rsafe.bundle.PolicyRevision;
import org.rsafe.bundle.SigningKeys;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.eval.BatchListener;
import org.rsafe.eval.ColumnMapping;
import org.rsafe.util.Diagnostic;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLinter;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.util.UserException;
import org.rsafe.workspace.PolicyVersion;
import org.rsafe.workspace.RunStore;
import org.rsafe.workspace.StoredRun;
import org.rsafe.workspace.Workspace;

/**
 * The export-a-bundle use case, in three steps that both faces take in this order:
 * <ol>
 *   <li>{@link #lint}: a policy with lint errors is refused however well it scores, so this comes before any
 *       engine work (a face calls it before it opens its engine);</li>
 *   <li>{@link #check}: the policy is evaluated on the data through the workspace's run store (a stored run of
 *       the same policy text, engine and data is reused) and the evaluation is checked against the gates;</li>
 *   <li>{@link #export}: a check that passed is signed with the user's key and written as a bundle.</li>
 * </ol>
 */
public final class BundleExport {
    private BundleExport() { }

    /**
     * What to bundle.
     *
     * @param policyFile    the policy file, bundled byte for byte
     * @param data          how the labelled data file is read and judged
     * @param mapping       the data file's columns, or null to detect them
     * @param workspaceRoot the workspace whose {@code .rsafe/runs} stores the evaluation
     * @param gates         the gates the evaluation must pass
     * @param toolVersion   recorded in the bundle's manifest
     */
    public record Request(Path policyFile, DataSettings data, ColumnMapping mapping, Path workspaceRoot,
                          ExportGates gates, String toolVersion) {
        public Request {
            Objects.requireNonNull(policyFile, "policyFile");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(workspaceRoot, "workspaceRoot");
            gates = gates == null ? ExportGates.NONE : gates;
        }
    }

    /** The lint gate's answer for a policy file: the errors that forbid bundling it (warnings do not). */
    public record Lint(Path policyFile, List<Diagnostic> errors) {
        public Lint {
            Objects.requireNonNull(policyFile, "policyFile");
            errors = List.copyOf(errors);
        }

        public boolean passed() {
            return errors.isEmpty();
        }

        /** The refusal as a validation: the lint errors, no evaluation, no gate checked. */
        public BundleValidation validation() {
            return new BundleValidation(errors, List.of(), List.of());
        }
    }

    /**
     * A policy checked for export.
     *
     * @param run        its evaluation; null when the lint gate refused it (nothing was judged)
     * @param bundle     what {@link #export} will write; null when the lint gate refused it
     * @param validation every gate and requirement, met or not
     */
    public record Checked(StoredRun run, BundleRequest bundle, BundleValidation validation) {
        public Checked {
            Objects.requireNonNull(validation, "validation");
        }

        /** True when the policy passed the lint gate, was evaluated and meets every gate. */
        public boolean exportable() {
            return bundle != null && validation.ok();
        }
    }

    /**
     * How much evidence backs a checked policy: the numbers its gates were judged on, for a face to show beside the
     * checklist.
     *
     * @param rows          labelled rows judged (parse failures included)
     * @param unsafe        rows labelled unsafe
     * @param safe          rows labelled safe
     * @param parseFailures rows whose output had no verdict
     * @param f1            unsafe-class F1
     * @param f1Low         lower end of F1's bootstrap 95% interval
     * @param f1High        upper end of that interval
     * @param fpr           false-positive rate
     * @param requiredRows  the fewest rows the gates asked for (0 when no metric gate was set)
     */
    public record Evidence(int rows, int unsafe, int safe, int parseFailures, double f1, double f1Low, double f1High,
                           double fpr, int requiredRows) {

        /** One line for people, e.g. "46 labelled rows (20 unsafe, 26 safe), 0 parse failures · F1 0.80 …". */
        public String describe() {
            String base = String.format(java.util.Locale.ROOT,
                    "%d labelled rows (%d unsafe, %d safe), %d parse failure%s · F1 %.2f, 95%% interval [%.2f, %.2f]"
                            + " · false-positive rate %.2f", rows, unsafe, safe, parseFailures, parseFailures == 1 ? "" : "s",
                    f1, f1Low, f1High, fpr);
            return requiredRows > 0 ? base + " · gates need at least " + requiredRows + " rows" : base;
        }

        /** True when the F1 interval is wider than half the scale: the data cannot pin the policy's F1 down. */
        public boolean weak() {
            return f1High - f1Low > 0.5;
        }
    }

    /** The evidence behind a check, or empty when nothing was evaluated (the lint gate refused the policy). */
    public static java.util.Optional<Evidence> evidence(Checked checked) {
        if (checked.run() == null || checked.run().metrics() == null) {
            return java.util.Optional.empty();
        }
        org.rsafe.eval.MetricsReport m = checked.run().metrics();
        double[] ci = m.f1Ci95();
        int required = checked.bundle() == null ? 0 : checked.bundle().gates().requiredRows();
        return java.util.Optional.of(new Evidence(m.rows(), m.cm().tp() + m.cm().fn(), m.cm().fp() + m.cm().tn(),
                m.parseFailures(), m.f1(), ci[0], ci[1], m.fpr(), required));
    }

    /**
     * A bundle written.
     *
     * @param file       the bundle
     * @param manifest   its signed manifest
     * @param validation the gates it met
     * @param key        the key that signed it ({@link SigningKeys.SigningKey#created()} when made for this export)
     */
    public record Exported(Path file, BundleManifest manifest, BundleValidation validation,
                           SigningKeys.SigningKey key) { }

    /** Lints the policy file as {@code rsafe lint} does, with no engine work; only errors count. */
    public static Lint lint(Path policyFile) {
        return new Lint(policyFile, PolicyLinter.lintFile(policyFile, PolicyLinter.LintOptions.defaults()).stream()
                .filter(Diagnostic::isError).toList());
    }

    /**
     * Lints the policy and, when it passes, evaluates it (or reuses the stored evaluation) and checks the gates;
     * nothing is written but the run. A face calls {@link #lint} before opening {@code engine}, so a refused
     * policy never costs an engine; the lint here keeps the rule when a face does not.
     *
     * @throws java.util.concurrent.CancellationException when cancelled (rows judged so far are kept for next time)
     */
    public static Checked check(Engine engine, Request request, BatchListener listener, Cancellation cancellation) {
        Lint lint = lint(request.policyFile());
        if (!lint.passed()) {
            return new Checked(null, null, lint.validation());
        }
        Policy policy = PolicyLoader.loadOrThrow(request.policyFile());
        DataSettings data = request.data();
        if (!Files.isRegularFile(data.data())) {
            throw new UserException(data.data() + ": no such data file");
        }
        ColumnMapping mapping = request.mapping() != null ? request.mapping() : Evaluation.detect(data).mapping();
        RunStore store = RunStore.of(request.workspaceRoot());
        StoredRun run = store.run(engine, policy, data.config(engine, mapping, store.dir(), false), listener,
                cancellation);
        BundleRequest bundle = new BundleRequest(request.policyFile(), run.dir(), request.gates(),
                revision(request.policyFile()), request.toolVersion());
        return new Checked(run, bundle, new BundleExporter().validate(bundle));
    }

    /**
     * Signs a check that passed with the user's key in {@code keyDir} (created on first use) and writes the bundle
     * to {@code out}, replacing it atomically.
     *
     * @throws BundleRefusedException when the check did not pass (then no key is made either), or the policy or its
     *                                evaluation changed since; nothing is written
     */
    public static Exported export(Checked checked, Path keyDir, Path out, Instant created) {
        if (!checked.exportable()) {
            throw new BundleRefusedException(checked.validation());
        }
        SigningKeys.SigningKey key = SigningKeys.loadOrCreate(keyDir);
        BundleExporter.ExportResult result = new BundleExporter().export(checked.bundle(), key, out, created);
        return new Exported(result.file(), result.manifest(), result.validation(), key);
    }

    /** The latest saved version of the policy file when it is in a workspace, else null; nothing is created. */
    static PolicyRevision revision(Path policyFile) {
        try (Workspace ws = Workspace.findExisting(policyFile).orElse(null)) {
            if (ws == null) {
                return null;
            }
            PolicyVersion latest = ws.latest(policyFile).orElse(null);
            return latest == null ? null
                    : new PolicyRevision(latest.commitId(), latest.label(), ws.hasUnsavedChanges(policyFile));
        } catch (UserException e) {
            // A policy whose versions cannot be read is bundled as not a saved version.
            return null;
        }
    }
}
