package org.rsafe.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rsafe.trace.OutputParser;
import org.rsafe.trace.Reward;

class PythonTextTest {

    /** CPython 3's {@code [c for c in range(0x110000) if chr(c).isspace()]}, written out. */
    private static final int[] PYTHON_SPACES = {0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0,
        0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029,
        0x202f, 0x205f, 0x3000};

    @Test
    void theSpaceSetIsPythonsOverTheWholeBasicPlane() {
        List<Integer> found = new ArrayList<>();
        for (int c = 0; c <= 0xffff; c++) {
            if (PythonText.isSpace((char) c)) {
                found.add(c);
            }
        }
        assertThat(found).containsExactly(java.util.Arrays.stream(PYTHON_SPACES).boxed().toArray(Integer[]::new));
    }

    @Test
    void stripRemovesWhatJavaStripKeeps() {
        assertThat("\u00a0unsafe\u0085".strip()).isEqualTo("\u00a0unsafe\u0085");
        assertThat(PythonText.strip("\u00a0unsafe\u0085")).isEqualTo("unsafe");
        assertThat(PythonText.strip("\u202f\u2007 safe \u3000")).isEqualTo("safe");
        assertThat(PythonText.strip("\u200bsafe")).as("a zero-width space is not a space in Python either")
                .isEqualTo("\u200bsafe");
        assertThat(PythonText.strip(" \t\n")).isEmpty();
    }

    @Test
    void aBoxWithANoBreakSpaceScoresLikeTheReference() {
        String output = "<think>It asks for a weapon.</think>\\boxed{\u00a0unsafe}";

        assertThat(OutputParser.extractAnswer(output)).isEqualTo("unsafe");
        assertThat(Reward.score(output, "unsafe")).isEqualTo(1.0);
        assertThat(Reward.score("<think>x</think>\\boxed{\u0085safe\u00a0}", "safe")).isEqualTo(1.0);
    }
}
