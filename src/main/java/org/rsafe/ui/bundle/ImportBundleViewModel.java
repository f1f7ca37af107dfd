package org.rsafe.ui.bundle;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rsafe.app.BundleImport;
import org.rsafe.bundle.BundleManifest;
import org.rsafe.bundle.SigningKeys;
import org.rsafe.bundle.VerifyStatus;
import org.rsafe.ui.editor.PolicyEditorViewModel;
import org.rsafe.ui.task.BackgroundTask;
import org.rsafe.ui.task.TaskExecutor;
import org.rsafe.workspace.Workspace;

/**
 * State of the Import bundle dialog. Choosing a bundle verifies it on a background task with {@link BundleImport}
 * (the same checks and trust lists as {@code rsafe bundle verify --workspace}): the dialog then shows what the bundle
 * holds, who signed it and whether that signer is trusted (the user's own key, the user's list or the workspace's
 * list), and the outcome in plain words. "Import" is offered only for a bundle that verified and whose signer is
 * trusted; for an intact bundle from an untrusted signer, "Trust this signer and import" first adds the signer, under
 * a name the user gives, to the workspace's list (or the user's own), then imports. Every import verifies the file
 * again, so a bundle changed after it was checked is refused.
 */
public final class ImportBundleViewModel {
    /** Where the dialog is: nothing chosen, verifying, checked (whatever the outcome), importing, imported. */
    public enum State { IDLE, VERIFYING, CHECKED, IMPORTING, IMPORTED }

    private final TaskExecutor executor;
    private final Path policyFile;
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.IDLE);
    private final ReadOnlyObjectWrapper<Path> bundleFile = new ReadOnlyObjectWrapper<>(this, "bundleFile");
    private final ReadOnlyObjectWrapper<Path> workspace = new ReadOnlyObjectWrapper<>(this, "workspace");
    private final ReadOnlyObjectWrapper<VerifyStatus> status = new ReadOnlyObjectWrapper<>(this, "status");
    private final ReadOnlyStringWrapper contents = new ReadOnlyStringWrapper(this, "contents", "");
    private final ReadOnlyStringWrapper signer = new ReadOnlyStringWrapper(this, "signer", "");
    private final ReadOnlyStringWrapper verdict = new ReadOnlyStringWrapper(this, "verdict", "");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ObservableList<String> problems = FXCollections.observableArrayList();
    private final StringProperty signerName = new SimpleStringProperty(this, "signerName", "");
    private final BooleanProperty trustForAllWorkspaces = new SimpleBooleanProperty(this, "trustForAllWorkspaces");
    private final BooleanBinding canImport;
    private final BooleanBinding canTrustAndImport;
    private String fingerprint;

    /**
     * @param policyFile the open policy file: the bundle goes into its workspace ({@link Workspace#locate}), which is
     *                   found on the background task, not here
     */
    public ImportBundleViewModel(TaskExecutor executor, Path policyFile) {
        this.executor = Objects.requireNonNull(executor);
        this.policyFile = Objects.requireNonNull(policyFile);
        this.canImport = Bindings.createBooleanBinding(
                () -> state.get() == State.CHECKED && status.get() == VerifyStatus.OK, state, status);
        this.canTrustAndImport = Bindings.createBooleanBinding(
                () -> state.get() == State.CHECKED && status.get() == VerifyStatus.UNTRUSTED
                        && !signerName.get().isBlank(), state, status, signerName);
    }

    /** Verifies {@code bundle} against the user's and the workspace's trust lists. */
    public void choose(Path bundle) {
        if (busy()) {
            return;
        }
        bundleFile.set(Objects.requireNonNull(bundle));
        clear();
        state.set(State.VERIFYING);
        message.set("Verifying " + bundle.getFileName() + "…");
        executor.execute(BackgroundTask.of("Verify bundle", (progress, cancel) -> {
            Path root = Workspace.locate(policyFile, null);
            return new Checked(root, BundleImport.verify(bundle, lists(root), false));
        }).onSuccess(c -> {
            show(c);
            message.set(switch (c.outcome().status()) {
                case OK -> "Ready to import into " + c.workspace().resolve("bundles") + ".";
                case UNTRUSTED -> "Intact, but nobody you trust signed it. Import it only if you know whose key this "
                        + "is: give the signer a name and choose \"Trust this signer and import\".";
                default -> "This bundle cannot be imported.";
            });
        }).onFailure(e -> failed("Cannot verify: ", e)));
    }

    /** Imports the bundle checked last, when it verified and its signer is trusted. */
    public void importBundle() {
        if (!canImport.get()) {
            message.set("Only a bundle that verified, signed by a trusted key, can be imported.");
            return;
        }
        Path bundle = bundleFile.get();
        Path root = workspace.get();
        runImport(() -> BundleImport.importInto(bundle, root, lists(root), false));
    }

    /**
     * Adds the signer of the bundle checked last to the workspace's list (or, with {@link #trustForAllWorkspacesProperty},
     * to the user's own) under {@link #signerNameProperty}, then imports it.
     */
    public void trustAndImport() {
        if (!canTrustAndImport.get()) {
            message.set(status.get() == VerifyStatus.UNTRUSTED ? "Give the signer a name first (who is this key?)."
                    : "Only an intact bundle from an untrusted signer can be trusted here.");
            return;
        }
        Path bundle = bundleFile.get();
        Path root = workspace.get();
        String key = fingerprint;
        String name = signerName.get().strip();
        boolean everywhere = trustForAllWorkspaces.get();
        runImport(() -> {
            BundleImport.editableList(SigningKeys.configDir(), everywhere ? null : root).add(key, name);
            return BundleImport.importInto(bundle, root, lists(root), false);
        });
    }

    private void runImport(java.util.concurrent.Callable<BundleImport.Outcome> work) {
        state.set(State.IMPORTING);
        message.set("Importing " + bundleFile.get().getFileName() + "…");
        executor.execute(BackgroundTask.of("Import bundle", (progress, cancel) -> work.call()).onSuccess(outcome -> {
            show(new Checked(workspace.get(), outcome));
            Optional<Path> to = outcome.importedTo();
            if (to.isPresent()) {
                state.set(State.IMPORTED);
                message.set("Imported into " + to.get() + " (policy: " + to.get().resolve("policy.yaml") + ").");
            } else {
                message.set("Not imported: the bundle no longer checks out.");
            }
        }).onFailure(e -> failed("Cannot import: ", e)));
    }

    private static BundleImport.TrustLists lists(Path workspaceRoot) {
        return BundleImport.TrustLists.load(SigningKeys.configDir(), workspaceRoot, null);
    }

    private record Checked(Path workspace, BundleImport.Outcome outcome) { }

    private void show(Checked c) {
        BundleImport.Outcome o = c.outcome();
        workspace.set(c.workspace());
        status.set(o.status());
        verdict.set(o.verdict());
        problems.setAll(o.report().problems());
        contents.set(describe(o.report().manifest()));
        fingerprint = o.signer().map(BundleImport.Signer::fingerprint).orElse(null);
        signer.set(o.signer().map(s -> s.formattedFingerprint() + " — " + s.trustWords())
                .orElse("none: the bundle carries no key"));
        state.set(State.CHECKED);
    }

    /** What the bundle holds, in one line; empty when its manifest could not be read. */
    static String describe(BundleManifest m) {
        if (m == null) {
            return "";
        }
        return String.format(Locale.ROOT, "Policy %s %s, F1 %.4f on %d rows of %s, created %s", m.policy().id(),
                m.policy().version(), m.metrics().f1(), m.dataset().evaluated(), m.dataset().name(), m.created());
    }

    private void clear() {
        status.set(null);
        verdict.set("");
        signer.set("");
        contents.set("");
        problems.clear();
        fingerprint = null;
    }

    private void failed(String what, Throwable e) {
        clear();
        state.set(State.IDLE);
        message.set(what + PolicyEditorViewModel.describe(e));
    }

    private boolean busy() {
        return state.get() == State.VERIFYING || state.get() == State.IMPORTING;
    }

    // ---- accessors ------------------------------------------------------------------------------------

    public Path policyFile() {
        return policyFile;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Path> bundleFileProperty() {
        return bundleFile.getReadOnlyProperty();
    }

    /** The workspace the bundle goes into; known once a bundle was verified. */
    public ReadOnlyObjectProperty<Path> workspaceProperty() {
        return workspace.getReadOnlyProperty();
    }

    /** The last check's outcome; null before one finished. */
    public ReadOnlyObjectProperty<VerifyStatus> statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** What the bundle holds: policy, metrics, data set. */
    public ReadOnlyStringProperty contentsProperty() {
        return contents.getReadOnlyProperty();
    }

    /** The signer's fingerprint and whether (and through which list) it is trusted. */
    public ReadOnlyStringProperty signerProperty() {
        return signer.getReadOnlyProperty();
    }

    /** The outcome of the check in plain words. */
    public ReadOnlyStringProperty verdictProperty() {
        return verdict.getReadOnlyProperty();
    }

    /** Each fault the check found, one a line. */
    public ObservableList<String> problems() {
        return problems;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** The name to trust an untrusted signer under. */
    public StringProperty signerNameProperty() {
        return signerName;
    }

    /** When true, "Trust this signer" adds to the user's own list (every workspace) instead of this workspace's. */
    public BooleanProperty trustForAllWorkspacesProperty() {
        return trustForAllWorkspaces;
    }

    public BooleanBinding canImportBinding() {
        return canImport;
    }

    public BooleanBinding canTrustAndImportBinding() {
        return canTrustAndImport;
    }
}
