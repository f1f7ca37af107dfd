package org.rsafe.ui.editor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FindViewModelTest {
    private static final String TEXT = "Poison the cat. poison? POISON!";
    private final FindViewModel find = new FindViewModel();

    @Test
    void nextFindsTheFollowingMatchIgnoringCaseAndWrapsAround() {
        find.queryProperty().set("poison");
        assertThat(find.next(TEXT, 1)).contains(new FindViewModel.Match(16, 22));
        assertThat(find.statusProperty().get()).isEqualTo("2 of 3");
        assertThat(find.next(TEXT, 25)).contains(new FindViewModel.Match(0, 6));
    }

    @Test
    void previousFindsTheMatchBeforeTheSelectionAndWrapsToTheEnd() {
        find.queryProperty().set("poison");
        assertThat(find.previous(TEXT, 16)).contains(new FindViewModel.Match(0, 6));
        assertThat(find.previous(TEXT, 0)).contains(new FindViewModel.Match(24, 30));
    }

    @Test
    void aQueryWithoutMatchesSaysSo() {
        find.queryProperty().set("dog");
        assertThat(find.next(TEXT, 0)).isEmpty();
        assertThat(find.statusProperty().get()).isEqualTo("no match");
    }
}
