package org.rsafe.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.util.UserException;

/** Importing bundles: verified ones are extracted, tampered and crafted archives write nothing. */
class BundleImportTest {

    @TempDir
    Path dir;

    private static long filesUnder(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aVerifiedBundleIsExtractedIntoTheWorkspace() throws Exception {
        BundleFixture f = BundleFixture.in(dir.resolve("maker"));
        Path bundle = f.export("garden-v1");
        Path ws = dir.resolve("ws");

        ImportResult r = new BundleImporter(f.verifier()).importInto(bundle, ws, Set.of(f.key.fingerprint()));

        Path target = ws.resolve("bundles").resolve("garden-v1");
        assertThat(r.importedTo()).contains(target);
        assertThat(target.resolve("policy.yaml")).hasSameBinaryContentAs(f.policyFile);
        assertThat(filesUnder(target)).isEqualTo(12);
        try (Stream<Path> s = Files.list(ws.resolve("bundles"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("garden-v1");
        }
        assertThatThrownBy(() -> new BundleImporter(f.verifier()).importInto(bundle, ws, Set.of()))
                .isInstanceOf(UserException.class).hasMessageContaining("already exists");
    }

    @Test
    void aTamperedBundleIsNotImported() throws Exception {
        BundleFixture f = BundleFixture.in(dir.resolve("maker"));
        Map<String, byte[]> entries = new LinkedHashMap<>(CraftedZip.entries(Files.readAllBytes(f.export("garden"))));
        entries.put("policy.yaml", "policy: 1\nid: evil\n".getBytes());
        Path bundle = dir.resolve("tampered.rsafe.zip");
        Files.write(bundle, CraftedZip.of(entries).bytes());
        Path ws = dir.resolve("ws");

        ImportResult r = new BundleImporter(f.verifier()).importInto(bundle, ws, Set.of());

        assertThat(r.report().status()).isEqualTo(VerifyStatus.TAMPERED);
        assertThat(r.importedTo()).isEmpty();
        assertThat(ws).doesNotExist();
    }

    @Test
    void aZipSlipArchiveWritesNothingAnywhere() throws Exception {
        Path ws = dir.resolve("a").resolve("ws");
        Files.createDirectories(ws);
        byte[] zip = new CraftedZip().add("manifest.json", "{}").add("../../escaped.txt", "pwned").bytes();
        Path bundle = dir.resolve("slip.rsafe.zip");
        Files.write(bundle, zip);

        ImportResult r = new BundleImporter(new BundleVerifier(ZipLimits.DEFAULT, null)).importInto(bundle, ws, Set.of());

        assertThat(r.report().status()).isEqualTo(VerifyStatus.MALFORMED);
        assertThat(r.report().problems()).singleElement().asString().contains("zip slip");
        assertThat(filesUnder(dir)).isEqualTo(1); // only the crafted archive itself
    }

    @Test
    void aZipBombIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path ws = dir.resolve("ws");
        CraftedZip z = new CraftedZip().add("manifest.json", "{}");
        z.item("results/results.jsonl", new byte[(int) ZipLimits.DEFAULT.maxEntryBytes() + 1]).deflate = true;
        Path bundle = dir.resolve("bomb.rsafe.zip");
        Files.write(bundle, z.bytes());

        ImportResult r = new BundleImporter(new BundleVerifier()).importInto(bundle, ws, Set.of());

        assertThat(r.report().status()).isEqualTo(VerifyStatus.MALFORMED);
        assertThat(r.report().problems()).singleElement().asString().contains("zip bomb");
        assertThat(ws).doesNotExist();
    }
}
