package org.rsafe.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Assertions;
import org.rsafe.FuzzTries;
import org.rsafe.util.FileTrees;
import org.rsafe.util.UserException;

/**
 * A real bundle changed by a few generated edits (bytes flipped, inserted, removed, the end cut off) is never accepted,
 * never makes the verifier fail with anything but a status, and importing it writes nothing outside the workspace's
 * bundle folder.
 */
@AddLifecycleHook(FuzzTries.class)
class BundleFuzzProperties {
    private static Path dir;
    private static BundleFixture fixture;
    private static byte[] archive;
    private static int counter;

    /** One edit: kind 0 flips a byte, 1 inserts one, 2 removes one, 3 cuts the archive there. */
    record Edit(int kind, double at, int value) { }

    @BeforeContainer
    static void exportOnce() throws Exception {
        dir = Files.createTempDirectory("bundle-fuzz");
        fixture = BundleFixture.in(dir.resolve("maker"));
        archive = Files.readAllBytes(fixture.export("garden"));
    }

    @AfterContainer
    static void cleanUp() throws Exception {
        FileTrees.deleteTree(dir);
    }

    static byte[] apply(byte[] original, List<Edit> edits) {
        byte[] b = original.clone();
        for (Edit e : edits) {
            int at = (int) (e.at() * b.length);
            if (b.length == 0 && e.kind() != 1) {
                continue;
            }
            switch (e.kind()) {
                case 0 -> b[Math.min(at, b.length - 1)] ^= (byte) Math.max(1, e.value());
                case 1 -> {
                    byte[] n = new byte[b.length + 1];
                    System.arraycopy(b, 0, n, 0, at);
                    n[at] = (byte) e.value();
                    System.arraycopy(b, at, n, at + 1, b.length - at);
                    b = n;
                }
                case 2 -> {
                    if (b.length > 1) {
                        int i = Math.min(at, b.length - 1);
                        byte[] n = new byte[b.length - 1];
                        System.arraycopy(b, 0, n, 0, i);
                        System.arraycopy(b, i + 1, n, i, b.length - i - 1);
                        b = n;
                    }
                }
                default -> b = Arrays.copyOf(b, Math.max(0, at));
            }
        }
        return b;
    }

    @Property
    void anEditedBundleIsNeverAcceptedAndNeverEscapesAStatus(@ForAll("edits") List<Edit> edits) {
        byte[] damaged = apply(archive, edits);

        VerifyReport r = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> fixture.verifier().verify(damaged, Set.of()));

        if (!Arrays.equals(damaged, archive)) {
            assertThat(r.status()).as("%s: %s", edits, r.problems()).isNotEqualTo(VerifyStatus.OK);
        }
    }

    @Property(tries = 100)
    void importingAnEditedBundleWritesNothingOutsideTheBundlesFolder(@ForAll("edits") List<Edit> edits) throws Exception {
        byte[] damaged = apply(archive, edits);
        Path root = Files.createDirectories(dir.resolve("import-" + (counter++)));
        Path bundle = Files.write(root.resolve("in.rsafe.zip"), damaged);
        Path ws = root.resolve("ws");

        try {
            ImportResult r = new BundleImporter(fixture.verifier()).importInto(bundle, ws, Set.of());
            assertThat(r.importedTo().isPresent()).isEqualTo(Arrays.equals(damaged, archive));
        } catch (UserException e) {
            assertThat(e.getMessage()).isNotBlank();
        }

        try (Stream<Path> all = Files.walk(root)) {
            assertThat(all.filter(p -> !p.equals(root) && !p.equals(bundle))
                    .filter(p -> !p.startsWith(ws.resolve(BundleImporter.BUNDLES_DIR)) && !p.equals(ws))).isEmpty();
        }
        FileTrees.deleteTree(root);
    }

    @Provide
    Arbitrary<List<Edit>> edits() {
        Arbitrary<Edit> edit = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.doubles().between(0, 1).filter(d -> d < 1), Arbitraries.integers().between(0, 255))
                .as(Edit::new);
        return edit.list().ofMinSize(1).ofMaxSize(4);
    }
}
