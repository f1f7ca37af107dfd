package org.rsafe.ui.style;

import javafx.beans.value.ObservableDoubleValue;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;

/**
 * A label for a list or tree cell whose text wraps at the width of its list: its preferred and largest width follow
 * the list's width less a margin (indent, scroll bar), so a container asks it for the height of the wrapped text.
 */
public final class WrappingLabel {
    private WrappingLabel() { }

    /** @param width the list's (or tree's) width; @param margin what the cell takes off it before the text */
    public static Label of(String text, ObservableDoubleValue width, double margin) {
        Label label = new Label(text);
        label.setWrapText(true);
        label.setMinHeight(Region.USE_PREF_SIZE);
        label.prefWidthProperty().bind(javafx.beans.binding.Bindings.subtract(width, margin));
        label.maxWidthProperty().bind(javafx.beans.binding.Bindings.subtract(width, margin));
        return label;
    }
}
