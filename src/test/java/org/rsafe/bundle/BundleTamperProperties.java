package org.rsafe.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.rsafe.util.FileTrees;

/** Any single changed byte anywhere in a bundle's files must be detected. */
class BundleTamperProperties {

    private static Path dir;
    private static BundleFixture fixture;
    private static byte[] archive;
    private static Map<String, byte[]> entries;
    private static List<SafeZip.Entry> layout;

    @BeforeContainer
    static void exportOnce() throws Exception {
        dir = Files.createTempDirectory("bundle-tamper");
        fixture = BundleFixture.in(dir);
        archive = Files.readAllBytes(fixture.export("garden"));
        entries = CraftedZip.entries(archive);
        layout = SafeZip.read(archive, ZipLimits.DEFAULT);
    }

    @AfterContainer
    static void cleanUp() throws Exception {
        FileTrees.deleteTree(dir);
    }

    @Property(tries = 600)
    void changingAnyByteOfAnyFileIsReportedAsTampered(@ForAll @IntRange(min = 0, max = 11) int file,
                                                       @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double at,
                                                       @ForAll @IntRange(min = 1, max = 255) int xor) {
        List<String> names = new ArrayList<>(entries.keySet());
        String name = names.get(file % names.size());
        byte[] data = entries.get(name).clone();
        int position = (int) (at * data.length);
        data[position] ^= (byte) xor;
        Map<String, byte[]> tampered = new LinkedHashMap<>(entries);
        tampered.put(name, data);

        VerifyReport r = fixture.verifier().verify(CraftedZip.canonical(tampered, entries.get("manifest.json")), Set.of());

        assertThat(r.status()).as("byte %d of %s ^ %d: %s", position, name, xor, r.problems())
                .isEqualTo(VerifyStatus.TAMPERED);
    }

    @Property(tries = 300)
    void changingAnyStoredByteOfTheArchiveIsNeverAccepted(@ForAll @IntRange(min = 0, max = 11) int file,
                                                          @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double at,
                                                          @ForAll @IntRange(min = 1, max = 255) int xor) {
        SafeZip.Entry e = layout.get(file % layout.size());
        int position = (int) (e.dataOffset() + (long) (at * e.compressedSize()));
        byte[] damaged = archive.clone();
        damaged[position] ^= (byte) xor;

        VerifyReport r = fixture.verifier().verify(damaged, Set.of());

        // Flipping only the unused padding bits of a deflate stream changes no file, but it changes the archive: the
        // archive must be byte for byte the exporter's layout, so even that is refused.
        assertThat(r.status()).as("archive byte %d (%s) ^ %d", position, e.name(), xor)
                .isIn(VerifyStatus.TAMPERED, VerifyStatus.MALFORMED);
    }

    /** Any byte of the archive: local headers, data, central directory, end record. */
    @Property
    @net.jqwik.api.lifecycle.AddLifecycleHook(org.rsafe.FuzzTries.class)
    void changingAnyByteAnywhereInTheArchiveIsNeverAccepted(@ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double at,
                                                           @ForAll @IntRange(min = 1, max = 255) int xor) {
        int position = (int) (at * archive.length);
        byte[] damaged = archive.clone();
        damaged[position] ^= (byte) xor;

        VerifyReport r = fixture.verifier().verify(damaged, Set.of());

        assertThat(r.status()).as("archive byte %d of %d ^ %d: %s", position, archive.length, xor, r.problems())
                .isNotEqualTo(VerifyStatus.OK);
    }

    /** Every byte of the archive, each with one flip (the nightly run's exhaustive version of the property above). */
    @net.jqwik.api.Example
    void everySingleByteOfTheArchiveFlippedIsRefused() {
        int step = org.rsafe.FuzzTries.tries() >= 10_000 ? 1 : Math.max(1, archive.length / 200);
        int checked = 0;
        for (int position = 0; position < archive.length; position += step) {
            byte[] damaged = archive.clone();
            damaged[position] ^= (byte) 0x01;
            VerifyReport r = fixture.verifier().verify(damaged, Set.of());
            assertThat(r.status()).as("archive byte %d of %d ^ 1: %s", position, archive.length, r.problems())
                    .isNotEqualTo(VerifyStatus.OK);
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(Math.min(200, archive.length));
    }
}
