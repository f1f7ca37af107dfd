package org.rsafe.ui;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Window;
import org.rsafe.ui.style.Shortcut;

/** The Help dialog: every keyboard shortcut, read from {@link Shortcut#ALL}. */
public final class HelpDialog {
    private HelpDialog() { }

    public static TableView<Shortcut> table() {
        TableView<Shortcut> table = new TableView<>(FXCollections.observableArrayList(Shortcut.ALL));
        TableColumn<Shortcut, String> keys = new TableColumn<>("Keys");
        keys.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().display()));
        keys.setPrefWidth(150);
        TableColumn<Shortcut, String> action = new TableColumn<>("Action");
        action.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().action()));
        action.setPrefWidth(330);
        table.getColumns().add(keys);
        table.getColumns().add(action);
        table.setPrefHeight(28 + 26 * Shortcut.ALL.size());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        return table;
    }

    public static void show(Window owner) {
        Alert alert = new Alert(Alert.AlertType.INFORMATION, "", ButtonType.CLOSE);
        alert.setTitle("Keyboard shortcuts");
        alert.setHeaderText("Keyboard shortcuts");
        alert.getDialogPane().setContent(table());
        alert.initOwner(owner);
        alert.setResizable(true);
        alert.show();
    }
}
