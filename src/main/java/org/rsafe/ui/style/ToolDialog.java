package org.rsafe.ui.style;

import java.io.IOException;
import java.io.UncheckedIOException;
import javafx.application.Platform;
import javafx.fxml.FXMLLoader;
import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.stage.Screen;
import javafx.stage.Window;

/**
 * A resizable dialog whose content is an FXML pane with its controller and whose only button is Close, for tools
 * that do their work inside (Calibrate thresholds): the look, the Close button and "closing stops the work" are
 * decided here once.
 */
public final class ToolDialog {
    private ToolDialog() { }

    /**
     * The dialog, not yet shown.
     *
     * @param fxml       the content's FXML resource, e.g. {@code /org/rsafe/ui/CalibrateDialog.fxml}
     * @param controller the content's controller
     * @param onHidden   runs when the dialog closes (stop the work in progress)
     */
    public static Dialog<Void> build(String fxml, Object controller, String title, String header, Runnable onHidden) {
        FXMLLoader loader = new FXMLLoader(ToolDialog.class.getResource(fxml));
        loader.setControllerFactory(type -> controller);
        Parent content;
        try {
            content = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException(fxml + " is missing or broken", e);
        }
        Dialog<Void> dialog = new Dialog<>();
        dialog.setTitle(title);
        dialog.setHeaderText(header);
        dialog.setResizable(true);
        dialog.getDialogPane().setContent(content);
        dialog.getDialogPane().getStylesheets().add(Theme.workbenchStylesheet());
        dialog.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        dialog.setOnHidden(e -> onHidden.run());
        // The dialog centres itself on its owner after it is shown, so the fit runs once that is done.
        dialog.setOnShown(e -> Platform.runLater(() -> {
            Window w = dialog.getDialogPane().getScene().getWindow();
            Rectangle2D placed = fitTo(Screen.getPrimary().getVisualBounds(), w.getX(), w.getY(), w.getWidth(),
                    w.getHeight());
            w.setX(placed.getMinX());
            w.setY(placed.getMinY());
            w.setWidth(placed.getWidth());
            w.setHeight(placed.getHeight());
        }));
        return dialog;
    }

    /**
     * Where a window of the given place and size goes so that all of it is on {@code screen}: no larger than the
     * screen (the dialog's report area is what shrinks, it grows and scrolls), moved inside it when it pokes out (a
     * dialog centred on its owner can open above the top edge, with its buttons below the bottom one).
     */
    public static Rectangle2D fitTo(Rectangle2D screen, double x, double y, double width, double height) {
        double w = Math.min(width, screen.getWidth());
        double h = Math.min(height, screen.getHeight());
        double nx = Math.max(screen.getMinX(), Math.min(x, screen.getMaxX() - w));
        double ny = Math.max(screen.getMinY(), Math.min(y, screen.getMaxY() - h));
        return new Rectangle2D(nx, ny, w, h);
    }

    /** Shows {@code dialog} over {@code owner} (may be null) and waits until it is closed. */
    public static void showAndWait(Window owner, Dialog<Void> dialog) {
        if (owner != null) {
            dialog.initOwner(owner);
        }
        dialog.showAndWait();
    }
}
