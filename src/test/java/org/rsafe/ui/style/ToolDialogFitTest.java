package org.rsafe.ui.style;

import static org.assertj.core.api.Assertions.assertThat;

import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;

/** A tool dialog taller than a 1366x768 laptop screen is shrunk and moved so that all of it, Close included, shows. */
class ToolDialogFitTest {
    private static final Rectangle2D LAPTOP = new Rectangle2D(0, 0, 1366, 768);

    @Test
    void aDialogTallerThanTheScreenIsShrunkToItAndMovedOntoIt() {
        // The calibrate dialog once opened 600x938 at (-195, -31) on this screen: its top and its buttons were off it.
        Rectangle2D placed = ToolDialog.fitTo(LAPTOP, -195, -31, 600, 938);
        assertThat(placed.getMinX()).isEqualTo(0);
        assertThat(placed.getMinY()).isEqualTo(0);
        assertThat(placed.getHeight()).isEqualTo(768);
        assertThat(placed.getWidth()).isEqualTo(600);
    }

    @Test
    void aDialogThatFitsStaysWhereItIs() {
        Rectangle2D placed = ToolDialog.fitTo(LAPTOP, 300, 100, 600, 500);
        assertThat(placed).isEqualTo(new Rectangle2D(300, 100, 600, 500));
    }

    @Test
    void aDialogPokingOutAtTheBottomRightIsMovedBackInside() {
        Rectangle2D placed = ToolDialog.fitTo(LAPTOP, 1000, 500, 600, 500);
        assertThat(placed).isEqualTo(new Rectangle2D(766, 268, 600, 500));
    }
}
