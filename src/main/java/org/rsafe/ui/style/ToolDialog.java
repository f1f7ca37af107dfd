package org.rsafe.ui.style;

import java.io.IOException;
import java.io.UncheckedIOException;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
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
        return dialog;
    }

    /** Shows {@code dialog} over {@code owner} (may be null) and waits until it is closed. */
    public static void showAndWait(Window owner, Dialog<Void> dialog) {
        if (owner != null) {
            dialog.initOwner(owner);
        }
        dialog.showAndWait();
    }
}
