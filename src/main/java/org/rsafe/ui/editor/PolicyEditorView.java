package org.rsafe.ui.editor;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.fxml.FXML;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.stage.Popup;
import org.fxmisc.richtext.CodeArea;
import org.fxmisc.richtext.LineNumberFactory;
import org.fxmisc.richtext.event.MouseOverTextEvent;
import org.rsafe.util.Diagnostic;
import org.rsafe.ui.style.StyleClasses;

/**
 * The policy editor pane: a code area with YAML colours, line numbers and lint marks, the outline tree and
 * the problems list. It only mirrors {@link PolicyEditorViewModel}; every decision lives there.
 */
public final class PolicyEditorView {
    private final PolicyEditorViewModel vm;
    private final FindViewModel find;

    @FXML private Label titleLabel;
    @FXML private Label checkStateLabel;
    @FXML private HBox findBar;
    @FXML private TextField findField;
    @FXML private Label findStatus;
    @FXML private TreeView<OutlineItem> outlineTree;
    @FXML private CodeArea codeArea;
    @FXML private Label problemsHeader;
    @FXML private ListView<Diagnostic> problemsList;

    private final Popup lintPopup = new Popup();
    private final Label lintPopupLabel = new Label();
    private final Set<Integer> paintedParagraphs = new HashSet<>();
    private boolean pushingText;

    public PolicyEditorView(PolicyEditorViewModel vm, FindViewModel find) {
        this.vm = vm;
        this.find = find;
    }

    @FXML
    private void initialize() {
        titleLabel.textProperty().bind(Bindings.concat("Policy — ", vm.titleBinding()));
        checkStateLabel.textProperty().bind(Bindings.createStringBinding(() -> {
            long errors = vm.problems().stream().filter(Diagnostic::isError).count();
            long warnings = vm.problems().size() - errors;
            String counts = errors + (errors == 1 ? " error, " : " errors, ") + warnings + (warnings == 1 ? " warning" : " warnings");
            return vm.stateProperty().get() == PolicyEditorViewModel.State.CHECKING ? "checking…" : counts;
        }, vm.problems(), vm.stateProperty()));
        bindCodeArea();
        bindOutline();
        bindProblems();
        bindFind();
    }

    // ---- code area ---------------------------------------------------------------------------------

    private void bindCodeArea() {
        codeArea.setParagraphGraphicFactory(gutterFactory());
        codeArea.wrapTextProperty().bind(vm.softWrapProperty());
        codeArea.replaceText(vm.getText());
        codeArea.textProperty().addListener((obs, old, now) -> {
            if (!pushingText) {
                vm.textProperty().set(now);
            }
        });
        vm.textProperty().addListener((obs, old, now) -> {
            if (!now.equals(codeArea.getText())) {
                // A new document (open, recover): replace the text and forget the old undo history.
                pushingText = true;
                try {
                    codeArea.replaceText(now);
                    codeArea.getUndoManager().forgetHistory();
                    codeArea.moveTo(0);
                    codeArea.showParagraphAtTop(0);
                } finally {
                    pushingText = false;
                }
            }
        });
        // Colours follow each burst of typing; lint marks follow each finished check.
        codeArea.multiPlainChanges().successionEnds(Duration.ofMillis(40)).subscribe(ignore -> restyle());
        vm.marksProperty().addListener((obs, old, now) -> restyle());
        restyle();

        vm.clauseLinesProperty().addListener((obs, old, now) -> paintCitedLines());
        vm.highlightedClausesProperty().addListener((obs, old, now) -> paintCitedLines());
        vm.editProperty().addListener((obs, old, e) -> {
            if (e != null && e.offset() <= codeArea.getLength()) {
                // One change in the area's history, so Undo takes the inserted example out again.
                codeArea.replaceText(e.offset(), e.offset(), e.inserted());
                codeArea.selectRange(e.offset(), e.offset() + e.inserted().length());
                codeArea.showParagraphAtTop(Math.max(0, e.line() - 4));
            }
        });
        vm.jumpProperty().addListener((obs, old, jump) -> {
            if (jump != null) {
                int paragraph = Math.min(jump.line(), codeArea.getParagraphs().size()) - 1;
                codeArea.moveTo(paragraph, 0);
                codeArea.showParagraphAtTop(Math.max(0, paragraph - 3));
            }
        });

        lintPopupLabel.getStyleClass().add(StyleClasses.LINT_POPUP);
        lintPopupLabel.setWrapText(true);
        lintPopupLabel.setMaxWidth(520);
        lintPopup.getContent().add(lintPopupLabel);
        codeArea.setMouseOverTextDelay(Duration.ofMillis(350));
        codeArea.addEventHandler(MouseOverTextEvent.MOUSE_OVER_TEXT_BEGIN, e -> {
            List<Diagnostic> here = vm.marksProperty().get().at(e.getCharacterIndex());
            if (!here.isEmpty()) {
                lintPopupLabel.setText(here.stream().map(PolicyEditorView::describe).collect(Collectors.joining("\n")));
                Point2D p = e.getScreenPosition();
                lintPopup.show(codeArea, p.getX() + 8, p.getY() + 14);
            }
        });
        codeArea.addEventHandler(MouseOverTextEvent.MOUSE_OVER_TEXT_END, e -> lintPopup.hide());
    }

    private void restyle() {
        String text = codeArea.getText();
        if (text.isEmpty()) {
            return;
        }
        codeArea.setStyleSpans(0, vm.marksProperty().get().overlay(YamlHighlighter.highlight(text), text.length()));
    }

    private void paintCitedLines() {
        for (Integer p : paintedParagraphs) {
            if (p < codeArea.getParagraphs().size()) {
                codeArea.setParagraphStyle(p, List.of());
            }
        }
        paintedParagraphs.clear();
        Map<String, LineRange> ranges = vm.clauseLinesProperty().get();
        for (String id : vm.highlightedClausesProperty().get()) {
            LineRange r = ranges.get(id);
            if (r == null) {
                continue;
            }
            for (int line = r.first(); line <= r.last() && line <= codeArea.getParagraphs().size(); line++) {
                codeArea.setParagraphStyle(line - 1, List.of(StyleClasses.CITED_LINE));
                paintedParagraphs.add(line - 1);
            }
        }
    }

    private IntFunction<Node> gutterFactory() {
        IntFunction<Node> numbers = LineNumberFactory.get(codeArea);
        return paragraph -> {
            Label mark = new Label();
            mark.getStyleClass().add(StyleClasses.GUTTER_MARK);
            ObjectBinding<List<Diagnostic>> here = Bindings.createObjectBinding(
                    () -> vm.marksProperty().get().onLine(paragraph + 1), vm.marksProperty());
            mark.textProperty().bind(Bindings.createStringBinding(() -> here.get().isEmpty() ? "" : "●", here));
            here.addListener((obs, old, now) -> styleMark(mark, now));
            styleMark(mark, here.get());
            HBox box = new HBox(numbers.apply(paragraph), mark);
            box.getStyleClass().add(StyleClasses.GUTTER);
            return box;
        };
    }

    private static void styleMark(Label mark, List<Diagnostic> diagnostics) {
        mark.getStyleClass().removeAll(StyleClasses.GUTTER_ERROR, StyleClasses.GUTTER_WARNING);
        if (diagnostics.isEmpty()) {
            mark.setTooltip(null);
            return;
        }
        mark.getStyleClass().add(diagnostics.get(0).isError() ? StyleClasses.GUTTER_ERROR : StyleClasses.GUTTER_WARNING);
        mark.setTooltip(new Tooltip(diagnostics.stream().map(PolicyEditorView::describe).collect(Collectors.joining("\n"))));
    }

    static String describe(Diagnostic d) {
        String rule = d.ruleId() == null || d.ruleId().isEmpty() ? "" : " [" + d.ruleId() + "]";
        return d.severity().label() + rule + ": " + d.message();
    }

    // ---- outline -----------------------------------------------------------------------------------

    /** Width of one level of the outline's indent (arrow included), and of its vertical scroll bar. */
    private static final double OUTLINE_INDENT = 20;
    private static final double OUTLINE_SCROLL_BAR = 24;

    private void bindOutline() {
        // Clause titles wrap at the outline's width instead of running off under a sideways scroll bar.
        outlineTree.setCellFactory(tree -> new javafx.scene.control.TreeCell<>() {
            @Override
            protected void updateItem(OutlineItem item, boolean empty) {
                super.updateItem(item, empty);
                setText(null);
                if (empty || item == null) {
                    setGraphic(null);
                    return;
                }
                // The width left of the tree once this level's indent, the arrow and a scroll bar are taken off.
                double indent = OUTLINE_INDENT * (1 + tree.getTreeItemLevel(getTreeItem())) + OUTLINE_SCROLL_BAR;
                Label label = org.rsafe.ui.style.WrappingLabel.of(item.label(), tree.widthProperty(), indent);
                if (item.disagrees()) {
                    // A clause whose examples disagree with the engine: its title (ending in the tally) in amber.
                    label.getStyleClass().add(StyleClasses.OUTLINE_DISAGREES);
                }
                // In a box: a container asks a wrapping label for its height at the label's own width, so the row
                // is as tall as the wrapped title (the cell alone would measure it as one line).
                setGraphic(new javafx.scene.layout.VBox(label));
            }
        });
        // A new width wraps the titles anew: the tree measures its rows again (it keeps their old heights otherwise).
        outlineTree.widthProperty().addListener((obs, old, now) -> outlineTree.refresh());
        vm.outlineProperty().addListener((obs, old, now) -> outlineTree.setRoot(now == null ? null : treeOf(now, true)));
        if (vm.outlineProperty().get() != null) {
            outlineTree.setRoot(treeOf(vm.outlineProperty().get(), true));
        }
        outlineTree.getSelectionModel().selectedItemProperty().addListener((obs, old, item) -> {
            if (item == null) {
                vm.selectedClauseProperty().set(null);
                return;
            }
            vm.selectedClauseProperty().set(item.getValue().clauseId());
            vm.jumpTo(item.getValue().line());
        });
    }

    private static TreeItem<OutlineItem> treeOf(OutlineItem item, boolean expanded) {
        TreeItem<OutlineItem> t = new TreeItem<>(item);
        t.setExpanded(expanded);
        for (OutlineItem child : item.children()) {
            t.getChildren().add(treeOf(child, false));
        }
        return t;
    }

    // ---- problems ----------------------------------------------------------------------------------

    private void bindProblems() {
        problemsList.setItems(vm.problems());
        problemsHeader.textProperty().bind(Bindings.createStringBinding(
                () -> "Problems (" + vm.problems().size() + ")", vm.problems()));
        problemsList.setPlaceholder(new Label("No problems found."));
        problemsList.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(Diagnostic d, boolean empty) {
                super.updateItem(d, empty);
                getStyleClass().removeAll(StyleClasses.PROBLEM_ERROR, StyleClasses.PROBLEM_WARNING);
                setText(null);
                if (empty || d == null) {
                    setGraphic(null);
                    return;
                }
                String where = d.pos().known() ? d.pos().line() + ":" + d.pos().column() + "  " : "";
                String style = d.isError() ? StyleClasses.PROBLEM_ERROR : StyleClasses.PROBLEM_WARNING;
                getStyleClass().add(style);
                // Long messages (lint's examples check) wrap at the list's width rather than being cut off.
                Label label = org.rsafe.ui.style.WrappingLabel.of((d.isError() ? "✖ " : "▲ ") + where + describe(d),
                        list.widthProperty(), OUTLINE_SCROLL_BAR + 12);
                label.getStyleClass().add(style);
                setGraphic(new javafx.scene.layout.VBox(label));
            }
        });
        problemsList.widthProperty().addListener((obs, old, now) -> problemsList.refresh());
        problemsList.setOnMouseClicked(e -> jumpToSelectedProblem());
        problemsList.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                jumpToSelectedProblem();
            }
        });
    }

    private void jumpToSelectedProblem() {
        Diagnostic d = problemsList.getSelectionModel().getSelectedItem();
        if (d != null && d.pos().known()) {
            vm.jumpTo(d.pos().line());
            int paragraph = Math.min(d.pos().line(), codeArea.getParagraphs().size()) - 1;
            int column = Math.min(Math.max(0, d.pos().column() - 1), codeArea.getParagraphLength(paragraph));
            codeArea.moveTo(paragraph, column);
            codeArea.requestFocus();
        }
    }

    // ---- find ----------------------------------------------------------------------------------------

    private void bindFind() {
        findBar.visibleProperty().bind(find.visibleProperty());
        findBar.managedProperty().bind(find.visibleProperty());
        findField.textProperty().bindBidirectional(find.queryProperty());
        findStatus.textProperty().bind(find.statusProperty());
        findField.setOnAction(e -> findNext());
        findField.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                closeFind();
            }
        });
        find.visibleProperty().addListener((obs, old, shown) -> {
            if (shown) {
                findField.requestFocus();
                findField.selectAll();
            }
        });
    }

    @FXML
    public void findNext() {
        find.next(codeArea.getText(), codeArea.getSelection().getEnd()).ifPresent(this::select);
    }

    @FXML
    public void findPrevious() {
        find.previous(codeArea.getText(), codeArea.getSelection().getStart()).ifPresent(this::select);
    }

    private void select(FindViewModel.Match m) {
        codeArea.selectRange(m.start(), m.end());
        codeArea.requestFollowCaret();
    }

    @FXML
    private void closeFind() {
        find.visibleProperty().set(false);
        codeArea.requestFocus();
    }

    // ---- for the main window's menus ---------------------------------------------------------------

    public void undo() {
        codeArea.undo();
    }

    public void redo() {
        codeArea.redo();
    }

    public void focusEditor() {
        codeArea.requestFocus();
    }

    /** The code area, for tests that type into it and read its styles. */
    public CodeArea codeArea() {
        return codeArea;
    }
}
