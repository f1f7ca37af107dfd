package org.rsafe.ui.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.beans.property.SimpleStringProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.bundle.SigningKeys;
import org.rsafe.bundle.TrustedSigners;
import org.rsafe.bundle.VerifyStatus;
import org.rsafe.engine.Engine;
import org.rsafe.engine.quick.QuickEngine;
import org.rsafe.engine.quick.QuickEngineOptions;
import org.rsafe.ui.task.DirectTaskExecutor;

/**
 * The Import bundle dialog's state without a Stage: a bundle exported by the Export bundle dialog with the real quick
 * engine and signing keys, received by another user (another configuration folder) and imported into a workspace.
 */
class ImportBundleViewModelTest {
    private static final Path POLICY = Path.of("policies/rsafe-default.yaml").toAbsolutePath();
    private static final Path PROMPTS = Path.of("sample-inputs/prompts.csv").toAbsolutePath();

    private static Engine quick;

    @TempDir
    Path dir;

    private String oldConfigDir;
    private Path bundle;
    private String fingerprint;
    private Path workspace;
    private Path receivedPolicy;

    @BeforeAll
    static void loadEngine() {
        quick = QuickEngine.create(QuickEngineOptions.defaults());
    }

    @AfterAll
    static void closeEngine() {
        quick.close();
    }

    @BeforeEach
    void exportAsSomeoneElse() throws Exception {
        oldConfigDir = System.getProperty(SigningKeys.CONFIG_PROPERTY);
        System.setProperty(SigningKeys.CONFIG_PROPERTY, dir.resolve("sender").toString());
        Path policy = dir.resolve("sender-ws/policy.yaml");
        Files.createDirectories(policy.getParent());
        Files.copy(POLICY, policy);
        ExportBundleViewModel export = new ExportBundleViewModel(new DirectTaskExecutor(), policy,
                (onReady, onFailed) -> onReady.accept(quick), new SimpleStringProperty("the quick engine"), "test");
        export.dataFileProperty().set(PROMPTS);
        export.validate();
        bundle = dir.resolve("shared/default.rsafe.zip");
        export.export(bundle);
        assertThat(bundle).as(export.messageProperty().get()).isRegularFile();
        fingerprint = SigningKeys.loadOrCreate(dir.resolve("sender")).fingerprint();

        System.setProperty(SigningKeys.CONFIG_PROPERTY, dir.resolve("recipient").toString());
        workspace = dir.resolve("team");
        receivedPolicy = workspace.resolve("mine.yaml");
        Files.createDirectories(workspace);
        Files.copy(POLICY, receivedPolicy);
    }

    @AfterEach
    void restoreConfigDir() {
        if (oldConfigDir == null) {
            System.clearProperty(SigningKeys.CONFIG_PROPERTY);
        } else {
            System.setProperty(SigningKeys.CONFIG_PROPERTY, oldConfigDir);
        }
    }

    private ImportBundleViewModel chosen(Path file) {
        ImportBundleViewModel vm = new ImportBundleViewModel(new DirectTaskExecutor(), receivedPolicy);
        vm.choose(file);
        return vm;
    }

    @Test
    void anUntrustedSignerIsShownAndImportIsOfferedOnlyThroughTrustingThemInTheWorkspace() throws Exception {
        ImportBundleViewModel vm = chosen(bundle);

        assertThat(vm.stateProperty().get()).isEqualTo(ImportBundleViewModel.State.CHECKED);
        assertThat(vm.statusProperty().get()).isEqualTo(VerifyStatus.UNTRUSTED);
        assertThat(vm.signerProperty().get()).contains(SigningKeys.formatFingerprint(fingerprint), "NOT trusted");
        assertThat(vm.verdictProperty().get()).startsWith("UNTRUSTED: intact");
        assertThat(vm.contentsProperty().get()).startsWith("Policy ").contains("rows of prompts.csv");
        assertThat(vm.canImportBinding().get()).isFalse();
        assertThat(vm.canTrustAndImportBinding().get()).isFalse();

        vm.importBundle();
        vm.trustAndImport();
        assertThat(vm.messageProperty().get()).contains("Give the signer a name first");
        assertThat(workspace.resolve("bundles")).doesNotExist();

        vm.signerNameProperty().set("Kim (safety team)");
        assertThat(vm.canTrustAndImportBinding().get()).isTrue();
        vm.trustAndImport();

        assertThat(vm.stateProperty().get()).isEqualTo(ImportBundleViewModel.State.IMPORTED);
        assertThat(vm.messageProperty().get()).startsWith("Imported into ");
        assertThat(workspace.resolve("bundles/default/policy.yaml")).isRegularFile();
        assertThat(TrustedSigners.load(workspace.resolve(".rsafe")).signer(fingerprint))
                .hasValueSatisfying(s -> assertThat(s.name()).isEqualTo("Kim (safety team)"));
        assertThat(dir.resolve("recipient/trusted-signers.txt")).doesNotExist();

        // Next time the workspace's list vouches for the signer: a plain Import.
        ImportBundleViewModel again = chosen(bundle);
        assertThat(again.statusProperty().get()).isEqualTo(VerifyStatus.OK);
        assertThat(again.signerProperty().get()).contains("trusted: Kim (safety team) (this workspace's list)");
        assertThat(again.canImportBinding().get()).isTrue();
        assertThat(again.canTrustAndImportBinding().get()).isFalse();
    }

    @Test
    void trustingInEveryWorkspaceAddsTheSignerToTheUsersOwnList() {
        ImportBundleViewModel vm = chosen(bundle);
        vm.signerNameProperty().set("Kim");
        vm.trustForAllWorkspacesProperty().set(true);
        vm.trustAndImport();

        assertThat(vm.stateProperty().get()).isEqualTo(ImportBundleViewModel.State.IMPORTED);
        assertThat(TrustedSigners.load(dir.resolve("recipient")).trusts(fingerprint)).isTrue();
        assertThat(workspace.resolve(".rsafe/trusted-signers.txt")).doesNotExist();
    }

    @Test
    void aBundleSignedWithTheUsersOwnKeyImportsWithAPlainImport() {
        System.setProperty(SigningKeys.CONFIG_PROPERTY, dir.resolve("sender").toString());
        ImportBundleViewModel vm = chosen(bundle);

        assertThat(vm.statusProperty().get()).isEqualTo(VerifyStatus.OK);
        assertThat(vm.signerProperty().get()).contains("your own key");
        assertThat(vm.messageProperty().get()).startsWith("Ready to import into ");
        vm.importBundle();

        assertThat(vm.stateProperty().get()).isEqualTo(ImportBundleViewModel.State.IMPORTED);
        assertThat(workspace.resolve("bundles/default/manifest.json")).isRegularFile();
    }

    @Test
    void aBrokenOrChangedBundleIsNeitherImportedNorOfferedForTrust() throws Exception {
        Path garbage = dir.resolve("garbage.rsafe.zip");
        Files.writeString(garbage, "not a zip at all");
        ImportBundleViewModel broken = chosen(garbage);

        assertThat(broken.statusProperty().get()).isEqualTo(VerifyStatus.MALFORMED);
        assertThat(broken.verdictProperty().get()).startsWith("MALFORMED: ");
        assertThat(broken.problems()).isNotEmpty();
        assertThat(broken.messageProperty().get()).isEqualTo("This bundle cannot be imported.");

        byte[] bytes = Files.readAllBytes(bundle);
        bytes[bytes.length / 3] ^= 0x01;
        Path changed = dir.resolve("changed.rsafe.zip");
        Files.write(changed, bytes);
        ImportBundleViewModel vm = chosen(changed);
        vm.signerNameProperty().set("Kim");

        assertThat(vm.statusProperty().get()).isIn(VerifyStatus.TAMPERED, VerifyStatus.MALFORMED);
        assertThat(vm.canImportBinding().get()).isFalse();
        assertThat(vm.canTrustAndImportBinding().get()).isFalse();
        vm.trustAndImport();
        vm.importBundle();
        assertThat(workspace.resolve("bundles")).doesNotExist();
        assertThat(workspace.resolve(".rsafe/trusted-signers.txt")).doesNotExist();
    }

    @Test
    void aBundleReplacedAfterItWasCheckedIsRefusedAtImport() throws Exception {
        System.setProperty(SigningKeys.CONFIG_PROPERTY, dir.resolve("sender").toString());
        ImportBundleViewModel vm = chosen(bundle);
        assertThat(vm.canImportBinding().get()).isTrue();
        Files.writeString(bundle, "swapped for something else");

        vm.importBundle();

        assertThat(vm.stateProperty().get()).isEqualTo(ImportBundleViewModel.State.CHECKED);
        assertThat(vm.statusProperty().get()).isEqualTo(VerifyStatus.MALFORMED);
        assertThat(vm.messageProperty().get()).startsWith("Not imported");
        assertThat(workspace.resolve("bundles")).doesNotExist();
    }
}
