package org.rsafe.ui.result;

import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextArea;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.fxmisc.richtext.CodeArea;
import org.rsafe.trace.Citation;
import org.rsafe.trace.TraceStep;
import org.rsafe.trace.Verdict;
import org.rsafe.ui.style.StyleClasses;
import org.rsafe.ui.bench.TestBenchViewModel;

/**
 * The result panel: verdict badge, trace steps with citation chips, clause score bars, the raw output with
 * the selected step's span marked, and the guard prompt. Binds to {@link ResultViewModel}.
 */
public final class ResultView {
    private final ResultViewModel vm;
    private final TestBenchViewModel bench;

    @FXML private Label verdictBadge;
    @FXML private ProgressIndicator busyIndicator;
    @FXML private Label summaryLabel;
    @FXML private ListView<TraceStep> stepsList;
    @FXML private ListView<ClauseScore> scoresList;
    @FXML private CodeArea rawArea;
    @FXML private TitledPane promptPane;
    @FXML private Label promptHeading;
    @FXML private TextArea promptArea;
    @FXML private Button copyPromptButton;
    @FXML private HBox staleBar;
    @FXML private Label staleLabel;
    @FXML private Button runAgainButton;
    @FXML private javafx.scene.control.SplitPane resultSplit;

    public ResultView(ResultViewModel vm, TestBenchViewModel bench) {
        this.vm = vm;
        this.bench = bench;
    }

    @FXML
    private void initialize() {
        verdictBadge.textProperty().bind(Bindings.createStringBinding(
                () -> bench.isRunning() ? "JUDGING…" : vm.verdictTextProperty().get(), vm.verdictTextProperty(), bench.stateProperty()));
        vm.verdictProperty().addListener((obs, old, v) -> styleBadge(v));
        vm.hasResultProperty().addListener((obs, old, v) -> styleBadge(vm.verdictProperty().get()));
        // While judging the badge is neutral: the previous verdict's colour beside "JUDGING…" would read as a result.
        bench.stateProperty().addListener((obs, old, now) -> styleBadge(vm.verdictProperty().get()));
        styleBadge(vm.verdictProperty().get());
        busyIndicator.visibleProperty().bind(Bindings.createBooleanBinding(bench::isRunning, bench.stateProperty()));
        busyIndicator.managedProperty().bind(busyIndicator.visibleProperty());
        // The previous run's summary line goes while a new judgement runs, so nothing old stands beside the busy badge.
        summaryLabel.textProperty().bind(Bindings.createStringBinding(
                () -> bench.isRunning() ? "" : vm.summaryProperty().get(), vm.summaryProperty(), bench.stateProperty()));

        stepsList.setItems(vm.steps());
        stepsList.setPlaceholder(new Label("No trace yet."));
        stepsList.setCellFactory(list -> new StepCell());
        stepsList.getSelectionModel().selectedItemProperty().addListener((obs, old, step) -> vm.selectedStepProperty().set(step));
        vm.selectedStepProperty().addListener((obs, old, step) -> {
            if (step != stepsList.getSelectionModel().getSelectedItem()) {
                stepsList.getSelectionModel().select(step);
            }
        });
        vm.stepsCitingFocusedProperty().addListener((obs, old, now) -> {
            stepsList.refresh();
            now.stream().findFirst().ifPresent(first -> stepsList.scrollTo(indexOfStep(first)));
        });

        scoresList.setItems(vm.scores());
        scoresList.setPlaceholder(new Label("No scores yet."));
        scoresList.setCellFactory(list -> new ScoreCell());

        bench.liveOutputProperty().addListener((obs, old, now) -> {
            rawArea.replaceText(now);
            if (bench.isRunning()) {
                // Streaming: keep the newest text in view.
                rawArea.moveTo(rawArea.getLength());
                rawArea.requestFollowCaret();
            } else {
                rawArea.moveTo(0);
                rawArea.showParagraphAtTop(0);
            }
        });
        vm.selectedSpanProperty().addListener((obs, old, span) -> markSpan(span));

        promptArea.textProperty().bind(vm.guardPromptProperty());
        promptHeading.textProperty().bind(vm.guardPromptHeadingProperty());
        promptPane.textProperty().bind(Bindings.createStringBinding(() -> "Prompt ("
                + vm.guardPromptProperty().get().length() + " characters)", vm.guardPromptProperty()));
        copyPromptButton.disableProperty().bind(vm.guardPromptProperty().isEmpty());
        // A verdict judged with another policy, engine or input stays readable but greyed, with the reason.
        org.rsafe.ui.freshness.StaleNotice.bind(staleBar, staleLabel, runAgainButton, bench.freshness(), bench::run,
                bench.canRunBinding(), verdictBadge, summaryLabel, resultSplit, promptPane);
    }

    private int indexOfStep(int stepIndex) {
        for (int i = 0; i < vm.steps().size(); i++) {
            if (vm.steps().get(i).index() == stepIndex) {
                return i;
            }
        }
        return 0;
    }

    private void styleBadge(Verdict v) {
        verdictBadge.getStyleClass().removeAll(StyleClasses.VERDICT_SAFE, StyleClasses.VERDICT_UNSAFE,
                StyleClasses.VERDICT_UNKNOWN, StyleClasses.VERDICT_REVIEW);
        if (!vm.hasResultProperty().get() || bench.isRunning()) {
            return;
        }
        verdictBadge.getStyleClass().add(switch (v) {
            case SAFE -> StyleClasses.VERDICT_SAFE;
            case UNSAFE -> StyleClasses.VERDICT_UNSAFE;
            case UNKNOWN -> StyleClasses.VERDICT_UNKNOWN;
            case REVIEW -> StyleClasses.VERDICT_REVIEW;
        });
    }

    private void markSpan(ResultViewModel.Span span) {
        int len = rawArea.getLength();
        if (len == 0) {
            return;
        }
        rawArea.clearStyle(0, len);
        if (span == null) {
            return;
        }
        int start = Math.min(span.start(), len);
        int end = Math.min(span.end(), len);
        if (end > start) {
            rawArea.setStyle(start, end, List.of(StyleClasses.SPAN_SELECTED));
            rawArea.moveTo(start);
            rawArea.requestFollowCaret();
        }
    }

    @FXML
    private void copyPrompt() {
        ClipboardContent content = new ClipboardContent();
        content.putString(vm.guardPromptProperty().get());
        Clipboard.getSystemClipboard().setContent(content);
    }

    /** A trace step: its number and text, then one chip per cited clause. */
    private final class StepCell extends ListCell<TraceStep> {
        StepCell() {
            // A zero preferred width lets the list decide the width, so long steps wrap instead of scrolling.
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(TraceStep step, boolean empty) {
            super.updateItem(step, empty);
            getStyleClass().remove(StyleClasses.STEP_FOCUSED);
            if (empty || step == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            Label index = new Label(String.valueOf(step.index() + 1));
            index.getStyleClass().add(StyleClasses.STEP_INDEX);
            Label text = new Label(step.text().strip());
            text.setWrapText(true);
            text.setMinHeight(Region.USE_PREF_SIZE);
            text.prefWidthProperty().bind(getListView().widthProperty().subtract(60));
            text.maxWidthProperty().bind(getListView().widthProperty().subtract(60));
            FlowPane chips = new FlowPane(4, 3);
            for (Citation c : step.citations()) {
                Label chip = new Label((c.invalid() ? "? " : "") + c.clauseId() + (c.kind() == Citation.Kind.INFERRED
                        ? String.format(Locale.ROOT, " ~%.2f", c.strength()) : ""));
                chip.getStyleClass().addAll(StyleClasses.CHIP, chipStyle(c));
                chip.setTooltip(new Tooltip(chipTip(c)));
                chips.getChildren().add(chip);
            }
            VBox body = new VBox(3, text);
            if (!chips.getChildren().isEmpty()) {
                body.getChildren().add(chips);
            }
            HBox row = new HBox(6, index, body);
            HBox.setHgrow(body, Priority.ALWAYS);
            row.getStyleClass().add(StyleClasses.STEP_CELL);
            setGraphic(row);
            setText(null);
            if (vm.stepsCitingFocusedProperty().get().contains(step.index())) {
                getStyleClass().add(StyleClasses.STEP_FOCUSED);
            }
        }
    }

    static String chipStyle(Citation c) {
        if (c.invalid()) {
            return StyleClasses.CHIP_INVALID;
        }
        if (c.polarity() == Citation.Polarity.RULES_OUT) {
            return StyleClasses.CHIP_RULED_OUT;
        }
        return c.kind() == Citation.Kind.EXPLICIT ? StyleClasses.CHIP_EXPLICIT : StyleClasses.CHIP_INFERRED;
    }

    private static String chipTip(Citation c) {
        if (c.invalid()) {
            return "Invalid citation: " + c.note();
        }
        String how = switch (c.via()) {
            case ID -> "Cites " + c.clauseId() + " by id";
            case TITLE -> "Cites " + c.clauseId() + " by its title";
            case ALIAS -> "Cites " + c.clauseId() + " by an alias";
            case INFERRED -> String.format(Locale.ROOT, "Inferred: close in meaning to %s (%.2f)", c.clauseId(), c.strength());
        };
        return c.polarity() == Citation.Polarity.RULES_OUT ? how + ", to rule it out" : how;
    }

    /** One clause's score as a bar with its value. */
    private static final class ScoreCell extends ListCell<ClauseScore> {
        ScoreCell() {
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(ClauseScore s, boolean empty) {
            super.updateItem(s, empty);
            if (empty || s == null) {
                setGraphic(null);
                return;
            }
            Label label = new Label(s.label());
            label.getStyleClass().add(StyleClasses.SCORE_LABEL);
            label.setTooltip(new Tooltip(s.label()));
            // The clause's name takes the width the bar and value leave, wrapping rather than being cut off.
            label.setWrapText(true);
            label.setMinHeight(Region.USE_PREF_SIZE);
            label.setMaxWidth(Double.MAX_VALUE);
            HBox.setHgrow(label, Priority.ALWAYS);
            ProgressBar bar = new ProgressBar(Math.max(0, Math.min(1, s.score())));
            Label value = new Label(String.format(Locale.ROOT, "%.2f", s.score()));
            value.getStyleClass().add(StyleClasses.SCORE_VALUE);
            value.setMinWidth(Region.USE_PREF_SIZE);
            bar.setMinWidth(Region.USE_PREF_SIZE);
            HBox row = new HBox(label, bar, value);
            row.getStyleClass().add(StyleClasses.SCORE_ROW);
            if (s.flagged()) {
                row.getStyleClass().add(StyleClasses.FLAGGED);
            }
            setGraphic(row);
            setText(null);
        }
    }
}
