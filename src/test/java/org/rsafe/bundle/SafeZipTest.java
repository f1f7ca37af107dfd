package org.rsafe.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The defensive zip reader against crafted archives: zip slip, links, bombs, overlaps, damage. */
class SafeZipTest {

    private static final ZipLimits SMALL = new ZipLimits(1 << 20, 8, 1000, 2500, 64);

    @Test
    void aPlainArchiveIsReadWithItsContents() throws Exception {
        byte[] zip = new CraftedZip().add("a.txt", "alpha").add("dir/b.txt", "beta").bytes();

        List<SafeZip.Entry> entries = SafeZip.read(zip, ZipLimits.DEFAULT);

        assertThat(entries).extracting(SafeZip.Entry::name).containsExactly("a.txt", "dir/b.txt");
        assertThat(new String(entries.get(1).data())).isEqualTo("beta");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ../evil.txt            | zip slip
            a/../../evil.txt       | zip slip
            results/..             | zip slip
            /etc/cron.d/evil       | absolute path
            C:/Windows/evil.dll    | colon
            C:\\evil.txt            | colon
            a\\..\\evil.txt         | backslash
            ./hidden               | '.' path segment
            a//b.txt               | empty path segment
            """)
    void namesThatCouldLeaveTheTargetFolderAreRefused(String name, String reason) {
        byte[] zip = new CraftedZip().add("ok.txt", "fine").add(name, "payload").bytes();

        assertThatThrownBy(() -> SafeZip.read(zip, ZipLimits.DEFAULT)).isInstanceOf(UnsafeArchiveException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void symbolicLinksAreRefused() {
        CraftedZip z = new CraftedZip();
        z.item("policy.yaml", "/etc/passwd".getBytes()).external = CraftedZip.SYMLINK;

        assertThatThrownBy(() -> SafeZip.read(z.bytes(), ZipLimits.DEFAULT)).isInstanceOf(UnsafeArchiveException.class)
                .hasMessageContaining("symbolic link");
    }

    @Test
    void anEntryExpandingBeyondTheDefaultLimitIsRefused() {
        // 129 MiB of zeros deflate to about 130 KB: a small file that would fill memory
        CraftedZip z = new CraftedZip();
        z.item("results/results.jsonl", new byte[(int) ZipLimits.DEFAULT.maxEntryBytes() + (1 << 20)]).deflate = true;
        byte[] bomb = z.bytes();

        assertThat(bomb.length).isLessThan(1 << 20);
        assertThatThrownBy(() -> SafeZip.read(bomb, ZipLimits.DEFAULT)).isInstanceOf(UnsafeArchiveException.class)
                .hasMessageContaining("expands beyond the limit");
    }

    @Test
    void aDeclaredSizeThatLiesDoesNotRaiseTheLimit() {
        CraftedZip z = new CraftedZip();
        CraftedZip.Item i = z.item("small.txt", new byte[1 << 20]);
        i.deflate = true;
        i.declaredSize = 10L;

        assertThatThrownBy(() -> SafeZip.read(z.bytes(), SMALL)).isInstanceOf(UnsafeArchiveException.class)
                .hasMessageContaining("expands beyond the limit");
    }

    @Test
    void entriesTogetherBeyondTheTotalLimitAreRefused() {
        CraftedZip z = new CraftedZip();
        for (int n = 0; n < 3; n++) {
            z.item("part" + n, new byte[900]).deflate = true;
        }

        assertThatThrownBy(() -> SafeZip.read(z.bytes(), SMALL)).isInstanceOf(UnsafeArchiveException.class)
                .hasMessageContaining("in all");
    }

    @Test
    void tooManyEntriesAreRefusedBeforeAnyIsRead() {
        CraftedZip z = new CraftedZip();
        for (int n = 0; n < 9; n++) {
            z.add("f" + n, "x");
        }

        assertThatThrownBy(() -> SafeZip.read(z.bytes(), SMALL)).isInstanceOf(UnsafeArchiveException.class)
                .hasMessageContaining("9 entries; at most 8");
    }

    @Test
    void overlappingEntriesAreRefused() {
        assertThatThrownBy(() -> SafeZip.read(CraftedZip.overlapping(), ZipLimits.DEFAULT))
                .isInstanceOf(UnsafeArchiveException.class).hasMessageContaining("overlaps");
    }

    @Test
    void namesDifferingOnlyInCaseAreRefused() {
        byte[] zip = new CraftedZip().add("Policy.yaml", "a").add("policy.yaml", "b").bytes();

        assertThatThrownBy(() -> SafeZip.read(zip, ZipLimits.DEFAULT)).isInstanceOf(UnsafeArchiveException.class)
                .hasMessageContaining("appears twice");
    }

    @Test
    void damagedDataIsRefusedByItsChecksum() {
        byte[] zip = new CraftedZip().add("a.txt", "alpha").bytes();
        zip[30 + "a.txt".length()] ^= 1; // first byte of the stored data

        assertThatThrownBy(() -> SafeZip.read(zip, ZipLimits.DEFAULT)).isInstanceOf(UnsafeArchiveException.class)
                .hasMessageContaining("CRC-32");
    }

    @Test
    void textThatIsNoArchiveIsRefused() {
        assertThatThrownBy(() -> SafeZip.read("just some text, not a zip archive at all".getBytes(), ZipLimits.DEFAULT))
                .isInstanceOf(UnsafeArchiveException.class).hasMessageContaining("not a zip archive");
    }
}
