package org.rsafe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.rsafe.bundle.BundleManifest;
import org.rsafe.bundle.BundleRefusedException;
import org.rsafe.bundle.ExportGates;
import org.rsafe.bundle.SigningKeys;
import org.rsafe.bundle.TrustedSigners;
import org.rsafe.bundle.VerifyReport;
import org.rsafe.bundle.VerifyStatus;
import org.rsafe.app.BundleExport;
import org.rsafe.app.BundleImport;
import org.rsafe.app.DataSettings;
import org.rsafe.app.Evaluation;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.util.UserException;
import org.rsafe.workspace.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rsafe bundle export|verify|import|key}: validated, signed policy bundles. */
@Command(name = "bundle", mixinStandardHelpOptions = true,
        description = {"Export a policy with its evaluation as a signed bundle, verify one, or import one.",
            "Exit codes of verify and import: 0 ok, 10 tampered (a hash, the signature or the archive's bytes do not "
                + "match), 11 unsigned, 12 malformed (not a zip, unsafe archive, no manifest, unknown format version), "
                + "13 signed by a key you do not trust (see 'rsafe bundle trust'), 2 a user mistake. Export: 0 written, "
                + "1 refused (lint errors or a gate not met), 2 a user mistake."},
        subcommands = {BundleCommand.Export.class, BundleCommand.Verify.class, BundleCommand.Import.class,
            BundleCommand.Key.class, BundleCommand.Trust.class})
public final class BundleCommand extends CliCommand {

    @Override
    public Integer call() {
        return showUsage();
    }

    static String toolVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Evaluate a policy on a data set and write a signed bundle of the policy, its rendered "
                    + "prompts, the results, a report and a manifest.",
                "Refuses, saying why, when the policy has lint errors or the evaluation misses a gate. The evaluation "
                    + "is stored under WORKSPACE/.rsafe/runs and reused when nothing changed.",
                "The signing key is created on first use in the configuration folder (see 'rsafe bundle key')."})
    static final class Export extends CliCommand {

        @Mixin
        private PolicyDataOptions input = new PolicyDataOptions();

        @Option(names = "--out", required = true, paramLabel = "NAME.rsafe.zip", description = "The bundle file to write.")
        private Path out;

        @Option(names = "--min-f1", paramLabel = "X", description = "Refuse unless unsafe-class F1 >= X (0..1).")
        private Double minF1;

        @Option(names = "--max-fpr", paramLabel = "Y", description = "Refuse unless the false-positive rate <= Y (0..1).")
        private Double maxFpr;

        @Option(names = "--min-rows", paramLabel = "N", description = "With --min-f1 or --max-fpr: refuse unless at least"
                + " N labelled rows back them (default: " + ExportGates.DEFAULT_MIN_ROWS + "; 0 accepts any number).")
        private Integer minRows;

        @Option(names = "--workspace", paramLabel = "DIR",
                description = "Workspace for stored runs (default: the git repository holding the policy, else its folder).")
        private Path workspace;

        @Mixin
        private DatasetRunOptions runOptions = new DatasetRunOptions();

        @Override
        public Integer call() throws IOException {
            PrintWriter stdout = out();
            PrintWriter err = err();
            ExportGates gates;
            try {
                gates = new ExportGates(minF1, maxFpr, minRows);
            } catch (IllegalArgumentException e) {
                throw new UserException("--min-f1 and --max-fpr take numbers from 0 to 1, --min-rows a whole number"
                        + " of 0 or more: " + e.getMessage());
            }
            // Lint before any engine work: a policy with errors is refused however well it scores.
            BundleExport.Lint lint = BundleExport.lint(input.policyFile);
            if (!lint.passed()) {
                refuseForLint(err, lint);
                return Main.EXIT_FINDINGS;
            }
            Path root = Workspace.locate(input.policyFile, workspace);
            DataSettings settings = runOptions.data.settings(input.data, null, null, DataSettings.DEFAULT_SEED);
            Evaluation.Columns columns = EvalCommand.detect(settings, err, "bundle");
            BundleExport.Request request = new BundleExport.Request(input.policyFile, settings, columns.mapping(), root,
                    gates, toolVersion());
            BundleExport.Checked checked;
            try (Engine engine = runOptions.engine.create()) {
                checked = BundleExport.check(engine, request, runOptions.progress(err, "bundle"), Cancellation.none());
            }
            if (!runOptions.quiet && checked.run() != null) {
                err.println("bundle: evaluation " + (checked.run().reused() ? "reused from " : "stored in ")
                        + checked.run().dir());
            }
            BundleExport.Exported result;
            try {
                result = BundleExport.export(checked, SigningKeys.configDir(), out, Instant.now());
            } catch (BundleRefusedException e) {
                for (String reason : e.validation().reasons()) {
                    err.println("rsafe: bundle not exported: " + reason);
                }
                err.flush();
                return Main.EXIT_FINDINGS;
            }
            SigningKeys.SigningKey key = result.key();
            if (key.created()) {
                err.println("bundle: created your signing key " + key.privateKeyFile() + " (readable by you only); "
                        + "fingerprint " + SigningKeys.formatFingerprint(key.fingerprint()));
            }
            BundleManifest m = result.manifest();
            BundleManifest.MetricsInfo x = m.metrics();
            stdout.println("wrote " + out + " (" + Files.size(out) + " bytes, " + (m.files().size() + 2) + " files)");
            stdout.println("policy:  " + m.policy().id() + " " + m.policy().version()
                    + (m.policy().revision() == null ? " (not a saved version)"
                    : " (" + m.policy().versionLabel() + ", revision " + m.policy().revision().substring(0, 7)
                    + (m.policy().unsavedChanges() ? ", with unsaved changes" : "") + ")"));
            stdout.println("engine:  " + m.engine().engine() + (m.engine().modelId().isEmpty() ? "" : " " + m.engine().modelId()));
            stdout.println("data:    " + m.dataset().name() + " (" + m.dataset().evaluated() + " rows, sha256 "
                    + m.dataset().sha256().substring(0, 12) + "…)");
            stdout.printf(Locale.ROOT, "metrics: F1 %.4f [%.4f, %.4f], precision %.4f, recall %.4f, FPR %.4f, "
                    + "parse failures %d%n", x.f1(), x.f1Ci95().get(0), x.f1Ci95().get(1), x.precision(), x.recall(),
                    x.fpr(), x.parseFailures());
            result.validation().gateLines().forEach(g -> stdout.println("gate:    " + g));
            stdout.println("signed:  Ed25519 key " + SigningKeys.formatFingerprint(key.fingerprint()));
            stdout.flush();
            err.flush();
            return Main.EXIT_OK;
        }

        private void refuseForLint(PrintWriter err, BundleExport.Lint lint) {
            lint.errors().forEach(d -> err.println(d.format()));
            err.println("rsafe: bundle not exported: " + input.policyFile + " has " + lint.errors().size()
                    + " lint error(s); fix them ('rsafe lint " + input.policyFile + "')");
            err.flush();
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check a bundle: every file's SHA-256 against the manifest, the Ed25519 signature of the "
                    + "manifest, the archive's bytes, and that the signer is one you trust (your own key, a key in "
                    + "'rsafe bundle trust list', in the --workspace's list, or one given with --trusted-key).",
                "Exit codes: 0 ok, 10 tampered, 11 unsigned, 12 malformed, 13 signer not trusted, 2 a user mistake."})
    static final class Verify extends CliCommand {

        @Parameters(index = "0", paramLabel = "FILE", description = "The bundle.")
        private Path file;

        @Mixin
        private TrustOptions trust = new TrustOptions();

        @Option(names = "--workspace", paramLabel = "DIR",
                description = "Also trust the signers in this workspace's list (DIR/.rsafe/trusted-signers.txt).")
        private Path workspace;

        @Override
        public Integer call() {
            BundleImport.Outcome outcome = BundleImport.verify(file, trust.lists(workspace), trust.allowUntrusted);
            print(out(), err(), file, outcome);
            return outcome.status().exitCode();
        }
    }

    /** The trust flags of verify and import. */
    static final class TrustOptions {
        @Option(names = "--trusted-key", paramLabel = "FP",
                description = "Fingerprint of a further key to trust for this run (repeatable).")
        List<String> trustedKeys;

        @Option(names = "--allow-untrusted",
                description = "Accept a bundle signed by a key you do not trust (integrity is still checked).")
        boolean allowUntrusted;

        BundleImport.TrustLists lists(Path workspaceOrNull) {
            return BundleImport.TrustLists.load(SigningKeys.configDir(), workspaceOrNull, trustedKeys);
        }
    }

    /** Which trust list 'bundle trust add|list|remove' works on. */
    static final class TrustListOption {
        @Option(names = "--workspace", paramLabel = "DIR", description = "Work on this workspace's list "
                + "(DIR/.rsafe/trusted-signers.txt, never versioned) instead of your own.")
        Path workspace;

        TrustedSigners read() {
            return workspace == null ? TrustedSigners.load(SigningKeys.configDir())
                    : BundleImport.workspaceList(workspace);
        }

        TrustedSigners forChange() {
            return BundleImport.editableList(SigningKeys.configDir(), workspace);
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Verify a bundle and extract it into WORKSPACE/bundles/NAME/.",
                "The signer must be your own key, in your trusted list, or in the workspace's list "
                    + "(WORKSPACE/.rsafe/trusted-signers.txt).",
                "Refuses tampered, unsigned, untrusted (unless --allow-untrusted), malformed or unsafe archives (path traversal, "
                    + "absolute paths, links, too large or too many entries, unknown format versions).",
                "Exit codes: as for verify."})
    static final class Import extends CliCommand {

        @Parameters(index = "0", paramLabel = "FILE", description = "The bundle.")
        private Path file;

        @Option(names = "--into", required = true, paramLabel = "WORKSPACE", description = "The workspace folder.")
        private Path into;

        @Mixin
        private TrustOptions trust = new TrustOptions();

        @Override
        public Integer call() {
            PrintWriter out = out();
            PrintWriter err = err();
            BundleImport.Outcome result = BundleImport.importInto(file, into, trust.lists(into), trust.allowUntrusted);
            print(out, err, file, result);
            if (result.importedTo().isEmpty()) {
                err.println("rsafe: " + file + " not imported");
                err.flush();
                return result.status().exitCode();
            }
            Path dir = result.importedTo().get();
            out.println("imported into " + dir + " (policy: " + dir.resolve("policy.yaml") + ")");
            out.flush();
            return Main.EXIT_OK;
        }
    }

    @Command(name = "key", mixinStandardHelpOptions = true,
            description = {"Show your bundle-signing key's fingerprint and where the key pair is (creating it when "
                    + "missing). Give the fingerprint to those who verify your bundles (--trusted-key).",
                "The pair lives in CONFIG/keys/, CONFIG being -Drsafe.configDir, else $XDG_CONFIG_HOME/rsafe-workbench, "
                    + "else ~/.config/rsafe-workbench; the private key is readable by its owner only."})
    static final class Key extends CliCommand {

        @Override
        public Integer call() {
            SigningKeys.SigningKey key = SigningKeys.loadOrCreate(SigningKeys.configDir());
            PrintWriter out = out();
            out.println("fingerprint: " + SigningKeys.formatFingerprint(key.fingerprint()));
            out.println("public key:  " + key.publicKeyFile());
            out.println("private key: " + key.privateKeyFile() + (key.created() ? " (created now)" : ""));
            out.flush();
            return Main.EXIT_OK;
        }
    }

    @Command(name = "trust", mixinStandardHelpOptions = true,
            description = {"Keep the list of signers whose bundles verify and import without --allow-untrusted.",
                "Your list is CONFIG/trusted-signers.txt (CONFIG as for 'rsafe bundle key'); with --workspace DIR the "
                    + "workspace's list DIR/.rsafe/trusted-signers.txt, which verify --workspace and import --into "
                    + "also consult. Your own key is always trusted."},
            subcommands = {TrustAdd.class, TrustList.class, TrustRemove.class})
    static final class Trust extends CliCommand {
        @Override
        public Integer call() {
            return showUsage();
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Trust a signer: by fingerprint (as 'rsafe bundle key' or 'verify' prints it) or by a "
                    + "public-key PEM file.")
    static final class TrustAdd extends CliCommand {
        @Parameters(index = "0", paramLabel = "FP|KEY.pem", description = "The key's fingerprint, or its public-key file.")
        private String key;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Who the key belongs to.")
        private String name;

        @Mixin
        private TrustListOption list = new TrustListOption();

        @Override
        public Integer call() {
            TrustedSigners signers = list.forChange();
            TrustedSigners.Signer s = signers.add(key, name);
            out().println("trusted " + s.name() + " (" + SigningKeys.formatFingerprint(s.fingerprint()) + ") in "
                    + signers.file());
            out().flush();
            return Main.EXIT_OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the trusted signers.")
    static final class TrustList extends CliCommand {
        @Mixin
        private TrustListOption list = new TrustListOption();

        @Override
        public Integer call() {
            TrustedSigners signers = list.read();
            PrintWriter o = out();
            if (signers.signers().isEmpty()) {
                o.println("no trusted signers (" + signers.file() + "); add one with 'rsafe bundle trust add FP --name NAME"
                        + (list.workspace == null ? "" : " --workspace " + list.workspace) + "'");
            }
            signers.signers().forEach(s -> o.println(SigningKeys.formatFingerprint(s.fingerprint()) + "  " + s.name()));
            o.flush();
            return Main.EXIT_OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Stop trusting a signer.")
    static final class TrustRemove extends CliCommand {
        @Parameters(index = "0", paramLabel = "FP|NAME", description = "The key's fingerprint or the name given to it.")
        private String which;

        @Mixin
        private TrustListOption list = new TrustListOption();

        @Override
        public Integer call() {
            TrustedSigners signers = list.read();
            TrustedSigners.Signer s = signers.remove(which).orElseThrow(() -> new UserException(
                    "no trusted signer '" + which + "' in " + signers.file() + " (see 'rsafe bundle trust list')"));
            out().println("no longer trusted: " + s.name() + " (" + SigningKeys.formatFingerprint(s.fingerprint()) + ")");
            out().flush();
            return Main.EXIT_OK;
        }
    }

    private static void print(PrintWriter out, PrintWriter err, Path file, BundleImport.Outcome outcome) {
        VerifyReport r = outcome.report();
        BundleManifest m = r.manifest();
        if (m != null) {
            out.println("bundle:  " + file + " (format " + m.formatVersion() + ", created " + m.created() + " by RSafe "
                    + "Workbench " + m.toolVersion() + ")");
            out.println("policy:  " + m.policy().id() + " " + m.policy().version()
                    + (m.policy().revision() == null ? "" : " (" + m.policy().versionLabel() + ")"));
            out.printf(Locale.ROOT, "metrics: F1 %.4f on %d rows of %s%n", m.metrics().f1(), m.dataset().evaluated(),
                    m.dataset().name());
            out.println("files:   " + m.files().size() + " listed");
        }
        outcome.signer().ifPresent(s -> out.println("signer:  " + s.formattedFingerprint() + " (" + s.trustWords()
                + ")"));
        for (String p : r.problems()) {
            err.println("rsafe: " + p);
        }
        String verdict = outcome.verdict() + (r.status() == VerifyStatus.UNTRUSTED
                ? " (trust it with 'rsafe bundle trust add', or accept it once with --allow-untrusted)" : "");
        (r.status() == VerifyStatus.OK ? out : err).println(verdict + " (exit " + r.status().exitCode() + ")");
        out.flush();
        err.flush();
    }
}
