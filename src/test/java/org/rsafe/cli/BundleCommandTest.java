package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.bundle.SigningKeys;
import org.rsafe.workspace.Fixtures;

/** {@code rsafe bundle} end to end with a shipped policy, its sample data and the real quick engine. */
class BundleCommandTest {

    @TempDir
    Path dir;

    @BeforeEach
    void privateConfig() {
        System.setProperty(SigningKeys.CONFIG_PROPERTY, dir.resolve("config").toString());
    }

    @AfterEach
    void restoreConfig() {
        System.clearProperty(SigningKeys.CONFIG_PROPERTY);
    }

    @Test
    void anotherUsersBundleIsUntrustedUntilTheSignerIsTrusted() throws Exception {
        Path bundle = dir.resolve("kids.rsafe.zip");
        EvalTestData.Run export = EvalTestData.cli("bundle", "export", "--policy", "policies/kids-community.yaml",
                "--data", "sample-inputs/kids-chat.csv", "--workspace", dir.resolve("ws").toString(), "--out",
                bundle.toString(), "-q");
        assertThat(export.exit()).as(export.err()).isZero();
        String fingerprint = EvalTestData.cli("bundle", "key").out().lines().findFirst().orElseThrow()
                .replace("fingerprint: ", "");
        // from here on, someone else (their own configuration folder) receives the bundle
        System.setProperty(SigningKeys.CONFIG_PROPERTY, dir.resolve("recipient").toString());

        EvalTestData.Run untrusted = EvalTestData.cli("bundle", "verify", bundle.toString());
        EvalTestData.Run refused = EvalTestData.cli("bundle", "import", bundle.toString(), "--into",
                dir.resolve("r1").toString());
        EvalTestData.Run allowed = EvalTestData.cli("bundle", "verify", bundle.toString(), "--allow-untrusted");
        EvalTestData.Run once = EvalTestData.cli("bundle", "verify", bundle.toString(), "--trusted-key", fingerprint);
        EvalTestData.Run added = EvalTestData.cli("bundle", "trust", "add", fingerprint, "--name", "Kim (safety team)");
        EvalTestData.Run listed = EvalTestData.cli("bundle", "trust", "list");
        EvalTestData.Run trusted = EvalTestData.cli("bundle", "verify", bundle.toString());
        EvalTestData.Run imported = EvalTestData.cli("bundle", "import", bundle.toString(), "--into",
                dir.resolve("r2").toString());
        EvalTestData.Run removed = EvalTestData.cli("bundle", "trust", "remove", "Kim (safety team)");
        EvalTestData.Run again = EvalTestData.cli("bundle", "verify", bundle.toString());
        EvalTestData.Run unknown = EvalTestData.cli("bundle", "trust", "remove", "nobody");

        assertThat(untrusted.exit()).isEqualTo(13);
        assertThat(untrusted.out()).contains("signer:  " + fingerprint + " (NOT trusted)");
        assertThat(untrusted.err()).contains("UNTRUSTED: intact, but signed by a key in neither your trusted list nor the workspace's");
        assertThat(refused.exit()).isEqualTo(13);
        assertThat(dir.resolve("r1")).doesNotExist();
        assertThat(allowed.exit()).isZero();
        assertThat(allowed.out()).contains("(NOT trusted)");
        assertThat(once.exit()).isZero();
        assertThat(once.out()).contains("(trusted (--trusted-key))");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(listed.out()).contains(fingerprint + "  Kim (safety team)");
        assertThat(trusted.exit()).isZero();
        assertThat(trusted.out()).contains("(trusted: Kim (safety team) (your list))");
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(removed.exit()).isZero();
        assertThat(again.exit()).isEqualTo(13);
        assertThat(unknown.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(unknown.err()).contains("no trusted signer 'nobody'");
        assertThat(dir.resolve("recipient/trusted-signers.txt")).exists();
    }

    @Test
    void aWorkspacesTrustListCountsForThatWorkspaceOnly() throws Exception {
        Path bundle = dir.resolve("kids.rsafe.zip");
        EvalTestData.Run export = EvalTestData.cli("bundle", "export", "--policy", "policies/kids-community.yaml",
                "--data", "sample-inputs/kids-chat.csv", "--workspace", dir.resolve("ws").toString(), "--out",
                bundle.toString(), "-q");
        assertThat(export.exit()).as(export.err()).isZero();
        Path publicKey = SigningKeys.loadOrCreate(dir.resolve("config")).publicKeyFile();
        String fingerprint = EvalTestData.cli("bundle", "key").out().lines().findFirst().orElseThrow()
                .replace("fingerprint: ", "");
        System.setProperty(SigningKeys.CONFIG_PROPERTY, dir.resolve("recipient").toString());
        Path team = dir.resolve("team");
        Path other = dir.resolve("other");

        EvalTestData.Run added = EvalTestData.cli("bundle", "trust", "add", publicKey.toString(), "--name", "Kim",
                "--workspace", team.toString());
        EvalTestData.Run teamList = EvalTestData.cli("bundle", "trust", "list", "--workspace", team.toString());
        EvalTestData.Run userList = EvalTestData.cli("bundle", "trust", "list");
        EvalTestData.Run inTeam = EvalTestData.cli("bundle", "verify", bundle.toString(), "--workspace", team.toString());
        EvalTestData.Run inOther = EvalTestData.cli("bundle", "verify", bundle.toString(), "--workspace", other.toString());
        EvalTestData.Run noWorkspace = EvalTestData.cli("bundle", "verify", bundle.toString());
        EvalTestData.Run importedTeam = EvalTestData.cli("bundle", "import", bundle.toString(), "--into", team.toString());
        EvalTestData.Run importedOther = EvalTestData.cli("bundle", "import", bundle.toString(), "--into", other.toString());
        EvalTestData.Run removedFromUser = EvalTestData.cli("bundle", "trust", "remove", "Kim");
        EvalTestData.Run removedFromTeam = EvalTestData.cli("bundle", "trust", "remove", "Kim", "--workspace",
                team.toString());
        EvalTestData.Run afterRemoval = EvalTestData.cli("bundle", "verify", bundle.toString(), "--workspace",
                team.toString());

        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).contains(team.resolve(".rsafe/trusted-signers.txt").toString());
        assertThat(team.resolve(".rsafe/.gitignore")).exists();
        assertThat(dir.resolve("recipient/trusted-signers.txt")).doesNotExist();
        assertThat(teamList.out()).contains(fingerprint + "  Kim");
        assertThat(userList.out()).startsWith("no trusted signers");
        assertThat(inTeam.exit()).as(inTeam.err()).isZero();
        assertThat(inTeam.out()).contains("signer:  " + fingerprint + " (trusted: Kim (this workspace's list))");
        assertThat(inOther.exit()).isEqualTo(13);
        assertThat(noWorkspace.exit()).isEqualTo(13);
        assertThat(importedTeam.exit()).as(importedTeam.err()).isZero();
        assertThat(team.resolve("bundles/kids/policy.yaml")).exists();
        assertThat(importedOther.exit()).isEqualTo(13);
        assertThat(other.resolve("bundles")).doesNotExist();
        assertThat(removedFromUser.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(removedFromTeam.exit()).as(removedFromTeam.err()).isZero();
        assertThat(afterRemoval.exit()).isEqualTo(13);
    }

    /** Copies a bundle, replacing one entry's content as someone editing the archive would. */
    private static void tamper(Path from, Path to, String entry) throws Exception {
        try (ZipFile in = new ZipFile(from.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] data = in.getInputStream(e).readAllBytes();
                if (e.getName().equals(entry)) {
                    data = new String(data, java.nio.charset.StandardCharsets.UTF_8)
                            .replaceFirst("version: [0-9.]+", "version: 9.9.9").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(data);
                out.closeEntry();
            }
        }
    }

    @Test
    void aShippedPolicyIsExportedVerifiedTamperedAndCaught() throws Exception {
        Path policy = Path.of("policies", "kids-community.yaml");
        Path data = Path.of("sample-inputs", "kids-chat.csv");
        Path bundle = dir.resolve("kids.rsafe.zip");

        EvalTestData.Run export = EvalTestData.cli("bundle", "export", "--policy", policy.toString(), "--data",
                data.toString(), "--workspace", dir.resolve("ws").toString(), "--min-f1", "0.5", "--out",
                bundle.toString(), "-q");
        EvalTestData.Run key = EvalTestData.cli("bundle", "key");
        String fingerprint = key.out().lines().findFirst().orElseThrow().replace("fingerprint: ", "");
        EvalTestData.Run verified = EvalTestData.cli("bundle", "verify", bundle.toString());
        Path tampered = dir.resolve("tampered.rsafe.zip");
        tamper(bundle, tampered, "policy.yaml");
        EvalTestData.Run caught = EvalTestData.cli("bundle", "verify", tampered.toString());
        EvalTestData.Run imported = EvalTestData.cli("bundle", "import", bundle.toString(), "--into",
                dir.resolve("other").toString());
        EvalTestData.Run refused = EvalTestData.cli("bundle", "import", tampered.toString(), "--into",
                dir.resolve("other2").toString());

        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out()).contains("wrote " + bundle, "policy:  kids-community", "gate:    F1",
                "signed:  Ed25519 key " + fingerprint);
        assertThat(export.err()).contains("created your signing key");
        assertThat(verified.exit()).as(verified.err()).isZero();
        assertThat(verified.out()).contains("(your own key)", "OK: every file matches the signed manifest");
        assertThat(caught.exit()).isEqualTo(10);
        assertThat(caught.err()).contains("policy.yaml: SHA-256 does not match", "TAMPERED");
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(dir.resolve("other/bundles/kids/policy.yaml")).hasSameBinaryContentAs(policy);
        assertThat(refused.exit()).isEqualTo(10);
        assertThat(dir.resolve("other2/bundles/tampered")).doesNotExist();
        assertThat(Path.of(".rsafe")).as("nothing written into the project").doesNotExist();
    }

    @Test
    void aBundleWithoutItsPublicKeyExitsElevenForUnsignedAndIsNotImported() throws Exception {
        Path bundle = dir.resolve("kids.rsafe.zip");
        EvalTestData.Run export = EvalTestData.cli("bundle", "export", "--policy",
                Path.of("policies", "kids-community.yaml").toString(), "--data",
                Path.of("sample-inputs", "kids-chat.csv").toString(), "--workspace", dir.resolve("ws").toString(),
                "--min-f1", "0.5", "--out", bundle.toString(), "-q");
        assertThat(export.exit()).as(export.err()).isZero();
        Path keyless = dir.resolve("keyless.rsafe.zip");
        try (ZipFile in = new ZipFile(bundle.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(keyless))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                if (!e.getName().equals("public-key.pem")) {
                    out.putNextEntry(new ZipEntry(e.getName()));
                    out.write(in.getInputStream(e).readAllBytes());
                    out.closeEntry();
                }
            }
        }

        EvalTestData.Run verified = EvalTestData.cli("bundle", "verify", keyless.toString());
        EvalTestData.Run imported = EvalTestData.cli("bundle", "import", keyless.toString(), "--into",
                dir.resolve("other").toString());

        assertThat(verified.exit()).as(verified.out() + verified.err()).isEqualTo(11);
        assertThat(verified.out() + verified.err()).contains("public-key.pem is missing").doesNotContain("TAMPERED");
        assertThat(imported.exit()).isEqualTo(11);
        assertThat(dir.resolve("other/bundles/keyless")).doesNotExist();
    }

    @Test
    void exportIsRefusedWhenTheGatesAreNotMet() throws Exception {
        Path policy = Fixtures.writeDataWithAWrongLabel(dir.resolve("data.csv")).resolveSibling("garden.yaml");
        Files.writeString(policy, Fixtures.policy(null));
        Path bundle = dir.resolve("garden.rsafe.zip");

        EvalTestData.Run r = EvalTestData.cli("bundle", "export", "--policy", policy.toString(), "--data",
                dir.resolve("data.csv").toString(), "--min-f1", "0.9999", "--max-fpr", "0", "--out", bundle.toString(),
                "-q");

        assertThat(r.exit()).as(r.err()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(r.err()).contains("rsafe: bundle not exported: gate not met:");
        assertThat(bundle).doesNotExist();
    }

    @Test
    void exportIsRefusedForLintErrorsBeforeAnyEvaluation() throws Exception {
        Path policy = dir.resolve("dup.yaml");
        Files.writeString(policy, Fixtures.policy(null).replace("- id: F", "- id: T"));

        EvalTestData.Run r = EvalTestData.cli("bundle", "export", "--policy", policy.toString(), "--data",
                dir.resolve("missing.csv").toString(), "--out", dir.resolve("x.rsafe.zip").toString());

        assertThat(r.exit()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(r.err()).contains("[duplicate-clause-id]", "bundle not exported");
    }
}
