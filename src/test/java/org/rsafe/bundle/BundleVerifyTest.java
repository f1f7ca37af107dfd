package org.rsafe.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.trace.JudgementJson;
import org.rsafe.util.Hashing;

/** Verifying bundles: each kind of change and each outcome with its exit code. */
class BundleVerifyTest {

    @TempDir
    Path dir;

    private BundleFixture f;
    private Map<String, byte[]> entries;

    @BeforeEach
    void export() throws Exception {
        f = BundleFixture.in(dir);
        entries = CraftedZip.entries(Files.readAllBytes(f.export("garden")));
    }

    private VerifyReport verify(Map<String, byte[]> files, Set<String> trusted) {
        // rebuilt as the exporter writes archives, so that only the change under test differs
        return f.verifier().verify(CraftedZip.canonical(files, entries.get("manifest.json")), trusted);
    }

    private Map<String, byte[]> changed(String name, byte[] data) {
        Map<String, byte[]> copy = new LinkedHashMap<>(entries);
        if (data == null) {
            copy.remove(name);
        } else {
            copy.put(name, data);
        }
        return copy;
    }

    /** Edits the manifest and signs it again with {@code key}, with that key's PEM as public-key.pem. */
    private Map<String, byte[]> resigned(KeyPair key, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        Map<String, byte[]> copy = new LinkedHashMap<>(entries);
        byte[] pem = SigningKeys.publicKeyPem(key.getPublic()).getBytes(StandardCharsets.US_ASCII);
        copy.put("public-key.pem", pem);
        ObjectNode m = (ObjectNode) JudgementJson.mapper().readTree(entries.get("manifest.json"));
        ((ObjectNode) m.path("files").path("public-key.pem")).put("sha256", Hashing.sha256(pem));
        ((ObjectNode) m.path("signer")).put("public_key", Base64.getEncoder().encodeToString(key.getPublic().getEncoded()))
                .put("fingerprint", SigningKeys.fingerprint(key.getPublic()));
        edit.accept(m);
        byte[] manifest = JudgementJson.mapper().writeValueAsBytes(m);
        copy.put("manifest.json", manifest);
        copy.put("signature.ed25519", (Base64.getEncoder().encodeToString(SigningKeys.sign(key.getPrivate(), manifest))
                + "\n").getBytes(StandardCharsets.US_ASCII));
        return copy;
    }

    @Test
    void theSameFilesInAnotherZipLayoutAreNotAccepted() throws Exception {
        byte[] sameFilesOtherLayout = CraftedZip.of(entries).bytes();

        VerifyReport r = f.verifier().verify(sameFilesOtherLayout, Set.of());

        assertThat(r.status()).isEqualTo(VerifyStatus.TAMPERED);
        assertThat(r.problems()).singleElement().asString().contains("the archive's bytes differ from the layout");
    }

    @Test
    void bytesAppendedAfterTheArchiveOrAnExtraFolderEntryAreNotAccepted() throws Exception {
        byte[] archive = Files.readAllBytes(f.export("again"));
        byte[] trailing = java.util.Arrays.copyOf(archive, archive.length + 5);
        Map<String, byte[]> withFolder = new LinkedHashMap<>(entries);
        withFolder.put("extra/", new byte[0]);

        assertThat(f.verifier().verify(trailing, Set.of()).status()).isIn(VerifyStatus.TAMPERED, VerifyStatus.MALFORMED);
        assertThat(verify(withFolder, Set.of()).status()).isEqualTo(VerifyStatus.TAMPERED);
        assertThat(f.verifier().verify(archive, Set.of()).status()).isEqualTo(VerifyStatus.OK);
    }

    @Test
    void aFreshBundleVerifiesAndNamesItsSigner() {
        VerifyReport r = f.verifier().verify(dir.resolve("garden.rsafe.zip"), Set.of(f.key.fingerprint()));

        assertThat(r.status()).isEqualTo(VerifyStatus.OK);
        assertThat(r.status().exitCode()).isZero();
        assertThat(r.problems()).isEmpty();
        assertThat(r.trusted()).isTrue();
        assertThat(r.ownKey()).isTrue();
        assertThat(r.fingerprint()).isEqualTo(f.key.fingerprint());
        assertThat(r.manifest().policy().id()).isEqualTo("garden-club");
    }

    @Test
    void aChangedFileIsTampered() {
        byte[] policy = entries.get("policy.yaml").clone();
        policy[policy.length / 2] ^= 0x20;

        VerifyReport r = verify(changed("policy.yaml", policy), Set.of());

        assertThat(r.status()).isEqualTo(VerifyStatus.TAMPERED);
        assertThat(r.status().exitCode()).isEqualTo(10);
        assertThat(r.problems()).containsExactly("policy.yaml: SHA-256 does not match the manifest (the file was changed)");
    }

    @Test
    void anAddedOrRemovedFileIsTampered() {
        assertThat(verify(changed("results/extra.jsonl", "{}".getBytes()), Set.of()).status())
                .isEqualTo(VerifyStatus.TAMPERED);
        assertThat(verify(changed("report.md", null), Set.of()).problems())
                .containsExactly("report.md: listed in the manifest but missing");
    }

    @Test
    void aChangedManifestFailsTheSignature() {
        String manifest = new String(entries.get("manifest.json"), StandardCharsets.UTF_8);

        VerifyReport r = verify(changed("manifest.json",
                manifest.replace("\"min_f1\" : null", "\"min_f1\" : 0.99").getBytes(StandardCharsets.UTF_8)), Set.of());

        assertThat(manifest).contains("\"min_f1\" : null");
        assertThat(r.status()).isEqualTo(VerifyStatus.TAMPERED);
        assertThat(r.problems()).singleElement().asString().contains("signature does not match");
    }

    @Test
    void aBundleWithoutSignatureIsUnsignedUnlessAFileWasAlsoChanged() {
        Map<String, byte[]> unsigned = changed("signature.ed25519", null);

        VerifyReport r = verify(unsigned, Set.of());
        unsigned.put("policy.yaml", "changed".getBytes());
        VerifyReport worse = verify(unsigned, Set.of());

        assertThat(r.status()).isEqualTo(VerifyStatus.UNSIGNED);
        assertThat(r.status().exitCode()).isEqualTo(11);
        assertThat(r.problems()).containsExactly("unsigned: signature.ed25519 is missing");
        assertThat(worse.status()).isEqualTo(VerifyStatus.TAMPERED);
    }

    @Test
    void aBundleWithoutPublicKeyIsUnsignedUnlessAFileWasAlsoChanged() {
        Map<String, byte[]> keyless = changed("public-key.pem", null);

        VerifyReport r = verify(keyless, Set.of());
        VerifyReport trustedAsked = verify(keyless, Set.of(f.key.fingerprint()));
        keyless.put("policy.yaml", "changed".getBytes());
        VerifyReport worse = verify(keyless, Set.of());

        assertThat(r.status()).isEqualTo(VerifyStatus.UNSIGNED);
        assertThat(r.status().exitCode()).isEqualTo(11);
        assertThat(r.problems()).containsExactly("unsigned: public-key.pem is missing");
        assertThat(trustedAsked.status()).isEqualTo(VerifyStatus.UNSIGNED);
        assertThat(trustedAsked.trusted()).isFalse();
        assertThat(worse.status()).isEqualTo(VerifyStatus.TAMPERED);
    }

    @Test
    void aBundleWithNeitherKeyNorSignatureIsUnsigned() {
        Map<String, byte[]> bare = changed("public-key.pem", null);
        bare.remove("signature.ed25519");

        VerifyReport r = verify(bare, Set.of());

        assertThat(r.status().exitCode()).isEqualTo(11);
    }

    @Test
    void aBundleResignedByAnotherKeyIsCaughtByTheTrustedKey() throws Exception {
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Map<String, byte[]> forged = resigned(other, m -> ((ObjectNode) m.path("metrics")).put("f1", 0.99));

        VerifyReport untrusted = verify(forged, Set.of(f.key.fingerprint()));
        VerifyReport integrityOnly = verify(forged, Set.of());

        assertThat(untrusted.status()).isEqualTo(VerifyStatus.UNTRUSTED);
        assertThat(untrusted.status().exitCode()).as("distinct from unsigned (11)").isEqualTo(13);
        assertThat(untrusted.trusted()).isFalse();
        assertThat(integrityOnly.status()).isEqualTo(VerifyStatus.OK);
        assertThat(integrityOnly.fingerprint()).isEqualTo(SigningKeys.fingerprint(other.getPublic()))
                .isNotEqualTo(f.key.fingerprint());
        assertThat(integrityOnly.ownKey()).isFalse();
    }

    @Test
    void anUnknownFormatVersionIsMalformedEvenWhenProperlySigned() throws Exception {
        Map<String, byte[]> future = resigned(f.key.pair(), m -> m.put("format_version", 2));

        VerifyReport r = verify(future, Set.of());

        assertThat(r.status()).isEqualTo(VerifyStatus.MALFORMED);
        assertThat(r.status().exitCode()).isEqualTo(12);
        assertThat(r.problems()).singleElement().asString().contains("unknown bundle format version 2");
    }

    @Test
    void anArchiveWithoutManifestOrNotAnArchiveIsMalformed() {
        assertThat(verify(changed("manifest.json", null), Set.of()).status()).isEqualTo(VerifyStatus.MALFORMED);
        assertThat(f.verifier().verify("hello".getBytes(), Set.of()).status()).isEqualTo(VerifyStatus.MALFORMED);
    }
}
