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

        VerifyReport r = fixture.verifier().verify(CraftedZip.of(tampered).bytes(), Set.of());

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

        // The last byte of a deflate stream can carry unused padding bits: flipping only those changes the archive
        // but not one byte of any file in it. What must hold is that changed content is never accepted.
        if (r.status() == VerifyStatus.OK) {
            assertThat(contentOf(damaged)).as("archive byte %d (%s) ^ %d was accepted with changed content",
                    position, e.name(), xor).containsExactlyEntriesOf(contentOf(archive));
        } else {
            assertThat(r.status()).as("archive byte %d (%s)", position, e.name())
                    .isIn(VerifyStatus.TAMPERED, VerifyStatus.MALFORMED);
        }
    }

    private static Map<String, String> contentOf(byte[] archive) {
        try {
            Map<String, String> out = new LinkedHashMap<>();
            CraftedZip.entries(archive).forEach((k, v) -> out.put(k, java.util.HexFormat.of().formatHex(v)));
            return out;
        } catch (Exception ex) {
            throw new AssertionError("verify accepted an archive that cannot be read back", ex);
        }
    }
}
