package org.rsafe.ui.freshness;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import org.rsafe.ui.style.StyleClasses;

/**
 * Binds a pane's out-of-date line ("Policy changed since this run — Run again" and a Run again button) and greys the
 * result nodes while their result is stale. The decision is {@link ResultFreshness}'s; this only shows it.
 */
public final class StaleNotice {
    private StaleNotice() { }

    /**
     * @param bar      the line's container, shown only while the result is stale
     * @param text     the label that carries the message
     * @param runAgain the button that starts the run again; disabled while {@code canRun} is false
     * @param greyed   the nodes that show the result
     */
    public static void bind(Region bar, Label text, Button runAgain, ResultFreshness freshness, Runnable action,
                            ObservableBooleanValue canRun, Node... greyed) {
        bar.getStyleClass().add(StyleClasses.STALE_BAR);
        bar.visibleProperty().bind(freshness.staleBinding());
        bar.managedProperty().bind(freshness.staleBinding());
        text.textProperty().bind(freshness.messageBinding());
        text.setMinWidth(Region.USE_PREF_SIZE);
        runAgain.setOnAction(e -> action.run());
        runAgain.disableProperty().bind(Bindings.createBooleanBinding(() -> !canRun.get(), canRun));
        runAgain.setMinWidth(Region.USE_PREF_SIZE);
        Runnable grey = () -> {
            for (Node n : greyed) {
                n.getStyleClass().remove(StyleClasses.STALE_RESULT);
                if (freshness.staleBinding().get()) {
                    n.getStyleClass().add(StyleClasses.STALE_RESULT);
                }
            }
        };
        freshness.staleBinding().addListener((obs, was, now) -> grey.run());
        grey.run();
    }
}
