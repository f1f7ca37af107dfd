package org.rsafe.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of the line diff checked against an independent longest-common-subsequence computation. */
class TextDiffProperties {

    @Provide
    Arbitrary<List<String>> texts() {
        // few distinct lines, so that texts share many lines in many orders
        return Arbitraries.of("a", "b", "c", "d", "").list().ofMaxSize(14);
    }

    @Property(tries = 400)
    void eachSideOfTheRowsIsExactlyItsText(@ForAll("texts") List<String> a, @ForAll("texts") List<String> b) {
        List<DiffRow> rows = TextDiff.rows(a, b);

        assertThat(rows.stream().filter(r -> r.leftLine() > 0).map(DiffRow::leftText).toList()).isEqualTo(a);
        assertThat(rows.stream().filter(r -> r.rightLine() > 0).map(DiffRow::rightText).toList()).isEqualTo(b);
        assertThat(rows.stream().filter(r -> r.leftLine() > 0).map(DiffRow::leftLine).toList())
                .isSorted().doesNotHaveDuplicates();
    }

    @Property(tries = 400)
    void unchangedRowsAreALongestCommonSubsequence(@ForAll("texts") List<String> a, @ForAll("texts") List<String> b) {
        List<DiffRow> rows = TextDiff.rows(a, b);

        long same = rows.stream().filter(r -> r.kind() == DiffRow.Kind.SAME).count();
        assertThat(same).isEqualTo(lcsLength(a, b));
        assertThat(rows).filteredOn(r -> r.kind() == DiffRow.Kind.SAME)
                .allSatisfy(r -> assertThat(r.leftText()).isEqualTo(r.rightText()));
    }

    /** Textbook dynamic programme, as an independent reference. */
    private static int lcsLength(List<String> a, List<String> b) {
        int[][] t = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                t[i][j] = a.get(i).equals(b.get(j)) ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
            }
        }
        return t[0][0];
    }
}
