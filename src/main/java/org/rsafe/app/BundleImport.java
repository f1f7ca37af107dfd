package org.rsafe.app;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.rsafe.bundle.BundleImporter;
import org.rsafe.bundle.BundleVerifier;
import org.rsafe.bundle.ImportResult;
import org.rsafe.bundle.SigningKeys;
import org.rsafe.bundle.TrustedSigners;
import org.rsafe.bundle.VerifyReport;
import org.rsafe.bundle.VerifyStatus;
import org.rsafe.workspace.Workspace;

/**
 * Verifying and importing a bundle against the trust lists: the user's own list ({@code CONFIG/trusted-signers.txt})
 * and the workspace's ({@code WORKSPACE/.rsafe/trusted-signers.txt}). {@code rsafe bundle verify|import} and the
 * workbench's File ▸ Import bundle… both go through here, so they say the same things and decide the same way.
 */
public final class BundleImport {

    private BundleImport() {
    }

    /** Why a signer is trusted, or that it is not. */
    public enum TrustSource {
        /** The user's own signing key. */
        OWN_KEY,
        /** In the user's list. */
        USER_LIST,
        /** In the workspace's list. */
        WORKSPACE_LIST,
        /** Given for this run only ({@code --trusted-key}). */
        GIVEN,
        /** In no list. */
        NONE
    }

    /**
     * The trust lists a signer is looked up in.
     *
     * @param user      the user's list
     * @param workspace the workspace's list, when a workspace is known
     * @param given     fingerprints trusted for this run only
     */
    public record TrustLists(TrustedSigners user, Optional<TrustedSigners> workspace, Set<String> given) {
        public TrustLists {
            workspace = workspace == null ? Optional.empty() : workspace;
            given = Set.copyOf(given);
        }

        /**
         * Reads the lists.
         *
         * @param configDir       the user's configuration folder ({@link SigningKeys#configDir()})
         * @param workspaceOrNull the workspace folder whose list counts too; null for none
         * @param typedOrNull     fingerprints as typed ({@code --trusted-key}); null for none
         */
        public static TrustLists load(Path configDir, Path workspaceOrNull, List<String> typedOrNull) {
            Set<String> given = new LinkedHashSet<>();
            if (typedOrNull != null) {
                typedOrNull.forEach(t -> given.add(SigningKeys.normalizeFingerprint(t)));
            }
            return new TrustLists(TrustedSigners.load(configDir),
                    Optional.ofNullable(workspaceOrNull).map(BundleImport::workspaceList), given);
        }

        /** Every trusted fingerprint, for the verifier. */
        public Set<String> fingerprints() {
            Set<String> out = new LinkedHashSet<>(user.fingerprints());
            workspace.ifPresent(w -> out.addAll(w.fingerprints()));
            out.addAll(given);
            return out;
        }

        /** Who a key is and why it is trusted (own key first, then the user's list, the workspace's, this run's). */
        public Signer describe(String fingerprint, boolean ownKey) {
            if (ownKey) {
                return new Signer(fingerprint, "you", TrustSource.OWN_KEY);
            }
            Optional<TrustedSigners.Signer> mine = user.signer(fingerprint);
            if (mine.isPresent()) {
                return new Signer(fingerprint, mine.get().name(), TrustSource.USER_LIST);
            }
            Optional<TrustedSigners.Signer> ours = workspace.flatMap(w -> w.signer(fingerprint));
            if (ours.isPresent()) {
                return new Signer(fingerprint, ours.get().name(), TrustSource.WORKSPACE_LIST);
            }
            return new Signer(fingerprint, "", given.contains(fingerprint) ? TrustSource.GIVEN : TrustSource.NONE);
        }
    }

    /** A bundle's signer as the trust lists see it. */
    public record Signer(String fingerprint, String name, TrustSource source) {
        public boolean trusted() {
            return source != TrustSource.NONE;
        }

        /** The fingerprint in groups, as {@code rsafe bundle key} prints it. */
        public String formattedFingerprint() {
            return SigningKeys.formatFingerprint(fingerprint);
        }

        /** Who signed and whether they are trusted, in a few words. */
        public String trustWords() {
            return switch (source) {
                case OWN_KEY -> "your own key";
                case USER_LIST -> "trusted: " + name + " (your list)";
                case WORKSPACE_LIST -> "trusted: " + name + " (this workspace's list)";
                case GIVEN -> "trusted (--trusted-key)";
                case NONE -> "NOT trusted";
            };
        }
    }

    /**
     * What checking (and, for an import, extracting) a bundle came to.
     *
     * @param report     the verifier's report
     * @param signer     the signer, when the bundle carries a key
     * @param importedTo where the files went; empty for a verification or a refused import
     */
    public record Outcome(VerifyReport report, Optional<Signer> signer, Optional<Path> importedTo) {
        public VerifyStatus status() {
            return report.status();
        }

        /** The outcome in plain words, one line. */
        public String verdict() {
            return BundleImport.verdict(report.status());
        }
    }

    /** The folder of a workspace's trust list: {@code WORKSPACE/.rsafe}. */
    public static Path workspaceListDir(Path workspace) {
        return workspace.toAbsolutePath().normalize().resolve(Workspace.DATA_DIR);
    }

    /** A workspace's list of trusted signers ({@code WORKSPACE/.rsafe/trusted-signers.txt}); empty when none. */
    public static TrustedSigners workspaceList(Path workspace) {
        return TrustedSigners.load(workspaceListDir(workspace));
    }

    /**
     * The list to change: the workspace's when {@code workspaceOrNull} is given (creating {@code .rsafe} with the rule
     * that keeps it out of version control), else the user's.
     */
    public static TrustedSigners editableList(Path configDir, Path workspaceOrNull) {
        if (workspaceOrNull == null) {
            return TrustedSigners.load(configDir);
        }
        Workspace.ensureDataDir(workspaceOrNull.toAbsolutePath().normalize());
        return workspaceList(workspaceOrNull);
    }

    /**
     * Checks a bundle.
     *
     * @param allowUntrusted when true, a signer in no list does not fail the check (integrity still does)
     */
    public static Outcome verify(Path bundle, TrustLists lists, boolean allowUntrusted) {
        VerifyReport report = new BundleVerifier().verify(bundle, lists.fingerprints(), !allowUntrusted);
        return new Outcome(report, signer(report, lists), Optional.empty());
    }

    /** Checks a bundle and, when it passes, extracts it into {@code WORKSPACE/bundles/NAME/}. */
    public static Outcome importInto(Path bundle, Path workspace, TrustLists lists, boolean allowUntrusted) {
        ImportResult result = new BundleImporter(new BundleVerifier()).importInto(bundle, workspace,
                lists.fingerprints(), !allowUntrusted);
        return new Outcome(result.report(), signer(result.report(), lists), result.importedTo());
    }

    private static Optional<Signer> signer(VerifyReport report, TrustLists lists) {
        return Optional.ofNullable(report.fingerprint()).map(f -> lists.describe(f, report.ownKey()));
    }

    /** What a status means, in plain words. */
    public static String verdict(VerifyStatus status) {
        return switch (status) {
            case OK -> "OK: every file matches the signed manifest";
            case TAMPERED -> "TAMPERED: the bundle was changed after it was signed";
            case UNSIGNED -> "UNSIGNED: the bundle carries no signature";
            case UNTRUSTED -> "UNTRUSTED: intact, but signed by a key in neither your trusted list nor the workspace's";
            case MALFORMED -> "MALFORMED: not a readable RSafe bundle";
        };
    }
}
