package org.rsafe.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.SourcePos;

/** Refusals of hostile policy files carry the place they refer to, as every other load error does. */
class HostilePolicyFileTest {

    @TempDir
    Path dir;

    private Diagnostic onlyError(String name, byte[] content) throws Exception {
        Path file = Files.write(dir.resolve(name), content);
        PolicyLoadResult r = PolicyLoader.load(file);
        assertThat(r.policy()).isNull();
        assertThat(r.diagnostics()).hasSize(1);
        return r.diagnostics().get(0);
    }

    @Test
    void aBadByteIsReportedAtItsLineAndColumn() throws Exception {
        byte[] bytes = "policy: 1\nid: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);

        Diagnostic d = onlyError("latin1.yaml", bytes);

        assertThat(d.pos()).isEqualTo(new SourcePos(2, 8));
        assertThat(d.message()).contains("byte 0xE9 is not UTF-8 text");
    }

    @Test
    void aCutOffCharacterAtTheEndIsReportedWhereItStarts() throws Exception {
        byte[] text = "policy: 1\nname: \u00e9".getBytes(StandardCharsets.UTF_8);
        byte[] cut = java.util.Arrays.copyOf(text, text.length - 1);

        Diagnostic d = onlyError("cut.yaml", cut);

        assertThat(d.pos()).isEqualTo(new SourcePos(2, 7));
    }

    @Test
    void nestingTooDeepIsReportedWhereTheLimitIsCrossed() throws Exception {
        String yaml = "policy: 1\nid: x\nclauses: " + "[".repeat(200) + "]".repeat(200) + "\n";

        Diagnostic d = onlyError("deep.yaml", yaml.getBytes(StandardCharsets.UTF_8));

        assertThat(d.pos().known()).as(d.format()).isTrue();
        assertThat(d.pos().line()).isEqualTo(3);
        assertThat(d.format()).contains("nested more than");
    }

    @Test
    void anAliasBombIsReportedAtTheAliasThatCrossesTheLimit() throws Exception {
        StringBuilder yaml = new StringBuilder("policy: 1\na: &a [\"lol\",\"lol\",\"lol\"]\n");
        String prev = "a";
        for (String n : new String[] {"b", "c", "d", "e", "f", "g", "h", "i"}) {
            yaml.append(n).append(": &").append(n).append(" [");
            for (int k = 0; k < 9; k++) {
                yaml.append(k == 0 ? "" : ",").append('*').append(prev);
            }
            yaml.append("]\n");
            prev = n;
        }

        Diagnostic d = onlyError("laughs.yaml", yaml.toString().getBytes(StandardCharsets.UTF_8));

        assertThat(d.pos().known()).as(d.format()).isTrue();
        assertThat(d.pos().line()).as("9 aliases on each of lines 3 and 4: the 21st is on line 5").isEqualTo(5);
        assertThat(d.format()).contains("aliases");
    }

    @Test
    void aPolicyFileOfGigabytesIsRefusedBeforeItIsRead() throws Exception {
        Path file = dir.resolve("huge.yaml");
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'x'}), (1L << 30));
        }

        PolicyLoadResult r = PolicyLoader.load(file);

        assertThat(r.diagnostics()).singleElement().satisfies(d ->
                assertThat(d.format()).isEqualTo(file + ": error: larger than 4 MiB, the limit for a policy file; "
                        + "this is not a policy file (or it was damaged)"));
    }
}
