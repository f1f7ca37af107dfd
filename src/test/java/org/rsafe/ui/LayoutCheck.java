package org.rsafe.ui;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Control;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.TableCell;
import javafx.scene.control.TreeView;
import javafx.scene.text.Text;

/**
 * Finds text the window cuts off: every showing {@link Labeled} (labels, buttons, check boxes, tab and column
 * headers, list and tree cells) whose rendered text is not its full text — JavaFX replaces the cut part with an
 * ellipsis. Table cells are data (a long prompt or policy line is meant to be cut) and are left out.
 */
public final class LayoutCheck {
    private LayoutCheck() { }

    /** "text (as shown)" for each cut-off text under {@code root}; empty when everything shows in full. */
    public static List<String> truncatedTexts(Parent root) {
        List<String> out = new ArrayList<>();
        walk(root, null, out);
        return out;
    }

    private static void walk(Node node, Control list, List<String> out) {
        if (!node.isVisible()) {
            return;
        }
        if (node instanceof TableCell<?, ?>) {
            return;
        }
        if (node instanceof Labeled labeled) {
            String shown = shownText(labeled);
            String full = expected(labeled);
            if (shown != null && full != null && !full.isBlank() && !shown.equals(full)) {
                out.add(describe(labeled, full, shown));
            } else if (list != null && full != null && !full.isBlank() && runsOffTheRight(labeled, list)) {
                // A list or tree does not cut a wide cell's text: it lets it run off under a sideways scroll bar.
                out.add(describe(labeled, full, "its first " + Math.round(visibleWidth(labeled, list)) + " px"));
            }
        }
        Control inside = node instanceof ListView<?> || node instanceof TreeView<?> ? (Control) node : list;
        if (node instanceof Parent parent) {
            for (Node child : parent.getChildrenUnmodifiable()) {
                walk(child, inside, out);
            }
        }
    }

    private static boolean runsOffTheRight(Labeled labeled, Control list) {
        Bounds cell = labeled.localToScene(labeled.getLayoutBounds());
        Bounds view = list.localToScene(list.getLayoutBounds());
        return cell.getMinX() < view.getMaxX() && cell.getMaxX() > view.getMaxX() + 1;
    }

    private static double visibleWidth(Labeled labeled, Control list) {
        return list.localToScene(list.getLayoutBounds()).getMaxX() - labeled.localToScene(labeled.getLayoutBounds()).getMinX();
    }

    /** The text the skin renders: its own Text child (not one inside the graphic). */
    private static String shownText(Labeled labeled) {
        for (Node child : labeled.getChildrenUnmodifiable()) {
            if (child instanceof Text t && child.getStyleClass().contains("text")) {
                return t.getText();
            }
        }
        return null;
    }

    private static String expected(Labeled labeled) {
        String text = labeled.getText();
        if (text == null) {
            return null;
        }
        if (labeled.isMnemonicParsing()) {
            int u = text.indexOf('_');
            if (u >= 0 && u + 1 < text.length()) {
                text = text.substring(0, u) + text.substring(u + 1);
            }
        }
        return text;
    }

    private static String describe(Labeled labeled, String full, String shown) {
        String id = labeled.getId() == null ? labeled.getClass().getSimpleName() : "#" + labeled.getId();
        return id + " '" + full + "' shown as '" + shown + "' (width " + Math.round(labeled.getWidth()) + ")";
    }
}
