package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    @Test
    void aTallyCountsEachKindOfDecisionInItsCell() {
        ConfusionMatrix.Tally tally = new ConfusionMatrix.Tally();
        tally.add(true, true);
        tally.add(true, true);
        tally.add(false, true);
        tally.add(false, false);
        tally.add(false, false);
        tally.add(false, false);
        tally.add(true, false);

        assertThat(tally.matrix()).isEqualTo(new ConfusionMatrix(2, 1, 3, 1));
    }

    @Test
    void aTallyGivesTheSameMatrixAsAddingDecisionsOneByOne() {
        boolean[][] decisions = {{true, false}, {false, true}, {true, true}, {false, false}, {true, false}};
        ConfusionMatrix.Tally tally = new ConfusionMatrix.Tally();
        ConfusionMatrix added = ConfusionMatrix.EMPTY;
        for (boolean[] d : decisions) {
            tally.add(d[0], d[1]);
            added = added.plus(d[0], d[1]);
        }

        assertThat(tally.matrix()).isEqualTo(added);
    }

    @Test
    void flaggingOneMoreRowMovesItFromPassedToFlagged() {
        ConfusionMatrix cm = new ConfusionMatrix(1, 1, 2, 2);

        assertThat(cm.flagOne(true)).isEqualTo(new ConfusionMatrix(2, 1, 2, 1));
        assertThat(cm.flagOne(false)).isEqualTo(new ConfusionMatrix(1, 2, 1, 2));
    }

    @Test
    void flaggingARowThatIsNotThereIsABug() {
        assertThatIllegalStateException().isThrownBy(() -> new ConfusionMatrix(3, 0, 1, 0).flagOne(true));
        assertThatIllegalStateException().isThrownBy(() -> new ConfusionMatrix(0, 3, 0, 1).flagOne(false));
    }
}
