package org.rsafe.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.fxmisc.richtext.CodeArea;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.ui.style.Shortcut;
import org.rsafe.ui.style.Theme;
import org.rsafe.ui.style.StyleClasses;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.engine.llm.RandomModelWriter;
import org.rsafe.engine.quick.QuickEngine;
import org.rsafe.engine.quick.QuickEngineOptions;
import org.rsafe.eval.BatchRunResults;
import org.rsafe.trace.EngineIdentity;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.TraceStep;
import org.rsafe.ui.batch.BatchViewModel;
import org.rsafe.app.EngineKind;
import org.rsafe.ui.bench.EngineService;
import org.rsafe.ui.bench.TestBenchViewModel;
import org.rsafe.ui.diag.FxStallBench;
import org.rsafe.ui.editor.LineRange;
import org.rsafe.ui.editor.LintMarks;
import org.rsafe.ui.editor.OutlineItem;
import org.rsafe.ui.task.FxTaskExecutor;
import org.rsafe.ui.workspace.WorkbenchHome;
import org.rsafe.util.Diagnostic;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;

/**
 * End-to-end tests of the workbench window, headless (Monocle): the real FXML views, view models, policy
 * checker, quick engine and batch runner, driven through the mouse and keyboard.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WorkbenchGuiTest {
    private static final Path POLICY = Path.of("policies/rsafe-default.yaml").toAbsolutePath();
    private static final Path PROMPTS = Path.of("sample-inputs/prompts.csv").toAbsolutePath();
    private static final long WAIT_SECONDS = 60;

    /** One quick engine for the whole class: its model takes seconds to load. */
    private static Engine sharedQuick;

    @TempDir
    Path dir;

    private FxTaskExecutor executor;
    private MainViewModel vm;
    private WorkbenchWindow window;

    @BeforeAll
    static void loadEngine() {
        sharedQuick = QuickEngine.create(QuickEngineOptions.defaults());
    }

    @AfterAll
    static void closeEngine() {
        sharedQuick.close();
    }

    @Start
    void start(Stage stage) {
        Theme.LIGHT.apply();
        executor = new FxTaskExecutor();
        vm = new MainViewModel(executor, new WorkbenchHome(dir.resolve("home")), () -> new KeptOpen(sharedQuick));
        window = WorkbenchWindow.load(vm);
        stage.setScene(window.scene());
        window.controller().attach(stage);
        stage.show();
        vm.start(new StartupFiles(POLICY, PROMPTS));
    }

    @Stop
    void stop() {
        vm.shutdown();
        executor.shutdown();
    }

    // ---- the editor ----------------------------------------------------------------------------------

    @Test
    void typingAPolicyErrorShowsALintMarkInTheGutterAndAnEntryInTheProblemsList(FxRobot robot) throws Exception {
        waitUntil(() -> vm.editor().policyUsableProperty().get());
        CodeArea area = window.controller().editorView().codeArea();
        int line = lineOf(area.getText(), "applies_to: both");
        robot.interact(() -> {
            area.requestFocus();
            area.moveTo(line - 1, area.getParagraphLength(line - 1));
        });
        robot.write("_and_more");

        // Lint may run while the robot is still typing; wait for the check of the whole word.
        waitUntil(() -> vm.editor().problems().stream().anyMatch(d -> d.isError() && d.pos().line() == line
                && d.message().contains("both_and_more")));
        Diagnostic problem = fx(() -> vm.editor().problems().stream().filter(Diagnostic::isError).findFirst().orElseThrow());
        assertThat(problem.ruleId()).isEqualTo("unknown-value");
        assertThat(problem.message()).contains("both_and_more");
        ListView<Diagnostic> problems = robot.lookup("#problemsList").queryListView();
        assertThat(fx(() -> problems.getItems())).contains(problem);
        waitUntil(() -> area.getStyleAtPosition(line - 1, 14).contains(LintMarks.ERROR));
        // The gutter is redrawn on the next layout pass after the check.
        waitUntil(() -> robot.lookup(".gutter-mark.gutter-error").queryAll().stream()
                .anyMatch(n -> "●".equals(((Label) n).getText())));
        Button run = robot.lookup("#runButton").queryButton();
        assertThat(fx(run::isDisabled)).isTrue();
    }

    @Test
    void clickingAProblemMovesTheCaretToItsLine(FxRobot robot) throws Exception {
        waitUntil(() -> vm.editor().policyUsableProperty().get());
        CodeArea area = window.controller().editorView().codeArea();
        int line = lineOf(area.getText(), "version: ");
        robot.interact(() -> vm.editor().textProperty().set(area.getText().replaceFirst("version: [^\\n]*", "version: [")));
        waitUntil(() -> !vm.editor().problems().isEmpty() && !vm.editor().policyUsableProperty().get());
        robot.interact(() -> area.moveTo(0));
        robot.clickOn(robot.lookup("#problemsList .list-cell").nth(0).queryAs(Node.class));
        int expected = fx(() -> vm.editor().problems().get(0).pos().line());
        waitUntil(() -> area.getCurrentParagraph() == expected - 1);
        assertThat(expected).isGreaterThanOrEqualTo(line);
    }

    @Test
    void findSelectsTheNextMatchAndWrapsAround(FxRobot robot) throws Exception {
        waitUntil(() -> vm.editor().policyUsableProperty().get());
        CodeArea area = window.controller().editorView().codeArea();
        robot.interact(() -> {
            area.requestFocus();
            area.moveTo(0);
        });
        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        waitUntil(() -> vm.find().visibleProperty().get());
        robot.write("id: U2");
        robot.press(KeyCode.ENTER).release(KeyCode.ENTER);
        String text = fx(area::getText);
        int first = text.indexOf("id: U2");
        waitUntil(() -> area.getSelection().getStart() == first);
        assertThat(fx(area::getSelectedText)).isEqualTo("id: U2");
        assertThat(fx(() -> vm.find().statusProperty().get())).isEqualTo("1 of 1");
        robot.press(KeyCode.ENTER).release(KeyCode.ENTER);
        waitUntil(() -> area.getSelection().getStart() == first);
    }

    @Test
    void closingWithUnsavedEditsAsksFirstAndCancelKeepsTheWindowOpen(FxRobot robot) throws Exception {
        waitUntil(() -> vm.editor().policyUsableProperty().get());
        robot.interact(() -> vm.editor().textProperty().set(vm.editor().getText() + "# a note\n"));
        Stage stage = fx(() -> (Stage) window.root().getScene().getWindow());
        // Not through interact(): the question is a modal dialog, so the event handler only returns once answered.
        javafx.application.Platform.runLater(
                () -> stage.fireEvent(new javafx.stage.WindowEvent(stage, javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST)));
        waitUntil(() -> robot.lookup("Save your changes first?").tryQuery().isPresent());
        robot.clickOn("Cancel");
        assertThat(fx(stage::isShowing)).isTrue();
        assertThat(fx(() -> vm.editor().isDirty())).isTrue();
        assertThat(fx(() -> stage.getTitle())).startsWith("*rsafe-default.yaml");
    }

    // ---- the test bench --------------------------------------------------------------------------------

    @Test
    void runningThePromptWithTheQuickEngineShowsAVerdictAndTraceSteps(FxRobot robot) throws Exception {
        waitUntil(() -> fx(() -> vm.bench().canRunBinding().get()));
        robot.clickOn("#promptArea");
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);

        waitUntil(() -> vm.bench().stateProperty().get() == TestBenchViewModel.State.DONE);
        Judgement j = fx(() -> vm.bench().resultProperty().get().judgement());
        Label badge = robot.lookup("#verdictBadge").queryAs(Label.class);
        assertThat(fx(badge::getText)).isIn("SAFE", "UNSAFE").isEqualTo(j.verdict().label().toUpperCase());
        assertThat(fx(() -> badge.getStyleClass())).contains("verdict-" + j.verdict().label());
        ListView<TraceStep> steps = robot.lookup("#stepsList").queryListView();
        assertThat(j.steps()).isNotEmpty();
        assertThat(fx(() -> List.copyOf(steps.getItems()))).isEqualTo(j.steps());
        ListView<?> scores = robot.lookup("#scoresList").queryListView();
        assertThat(fx(() -> scores.getItems().size())).isEqualTo(j.clauseScores().size()).isEqualTo(18);
        assertThat(fx(() -> vm.result().guardPromptProperty().get())).contains("<BEGIN UNSAFE CONTENT CATEGORIES>");
        assertThat(j.engine().engine()).isEqualTo("quick");
    }

    @Test
    void clickingAStepHighlightsTheLinesOfTheClauseItCites(FxRobot robot) throws Exception {
        waitUntil(() -> fx(() -> vm.bench().canRunBinding().get()));
        robot.interact(() -> vm.bench().run());
        waitUntil(() -> vm.bench().stateProperty().get() == TestBenchViewModel.State.DONE);
        TraceStep citing = fx(() -> vm.result().steps().stream().filter(s -> !s.citations().isEmpty()).findFirst().orElseThrow());
        String clause = citing.citations().get(0).clauseId();

        ListView<TraceStep> steps = robot.lookup("#stepsList").queryListView();
        robot.interact(() -> steps.scrollTo(citing));
        @SuppressWarnings("unchecked")
        Node cell = robot.from(steps).lookup(".list-cell")
                .match(n -> ((ListCell<TraceStep>) n).getItem() == citing).query();
        robot.clickOn(cell);

        waitUntil(() -> vm.editor().highlightedClausesProperty().get().contains(clause));
        LineRange lines = fx(() -> vm.editor().clauseLinesProperty().get().get(clause));
        CodeArea area = window.controller().editorView().codeArea();
        assertThat(fx(() -> area.getParagraph(lines.first() - 1).getParagraphStyle())).contains(StyleClasses.CITED_LINE);
        assertThat(fx(() -> area.getParagraph(lines.last() - 1).getParagraphStyle())).contains(StyleClasses.CITED_LINE);
        assertThat(fx(() -> area.getCurrentParagraph())).isEqualTo(lines.first() - 1);
        String clauseText = fx(() -> area.getText(lines.first() - 1, 0, lines.first() - 1, area.getParagraphLength(lines.first() - 1)));
        assertThat(clauseText).contains("id: " + clause);
        // the step's own words are marked in the raw output
        CodeArea raw = robot.lookup("#rawArea").queryAs(CodeArea.class);
        int mid = (citing.start() + citing.end()) / 2;
        assertThat(fx(() -> raw.getStyleOfChar(mid))).contains(StyleClasses.SPAN_SELECTED);
    }

    @Test
    void choosingAClauseInTheOutlineMarksTheStepsThatCiteIt(FxRobot robot) throws Exception {
        waitUntil(() -> fx(() -> vm.bench().canRunBinding().get()));
        robot.interact(() -> vm.bench().run());
        waitUntil(() -> vm.bench().stateProperty().get() == TestBenchViewModel.State.DONE);
        TraceStep citing = fx(() -> vm.result().steps().stream().filter(s -> !s.citations().isEmpty()).findFirst().orElseThrow());
        String clause = citing.citations().get(0).clauseId();
        @SuppressWarnings("unchecked")
        TreeView<OutlineItem> tree = robot.lookup("#outlineTree").queryAs(TreeView.class);
        robot.interact(() -> {
            for (TreeItem<OutlineItem> item : tree.getRoot().getChildren()) {
                if (clause.equals(item.getValue().clauseId())) {
                    tree.getSelectionModel().select(item);
                }
            }
        });
        waitUntil(() -> vm.result().stepsCitingFocusedProperty().get().contains(citing.index()));
        Set<Integer> marked = fx(() -> vm.result().stepsCitingFocusedProperty().get());
        assertThat(marked).allMatch(i -> vm.result().steps().get(i).cites(clause));
        assertThat(fx(() -> robot.lookup(".step-focused").queryAll().size())).isPositive();
    }

    @Test
    void theBatchTabShowsTheSessionsEngineAndPickingTheLocalLlmThereAsksForAModelFolder(FxRobot robot) throws Exception {
        waitUntil(() -> fx(() -> vm.batch().canRunBinding().get()));
        robot.clickOn("Batch");
        assertThat(fx(() -> robot.lookup("#batchEngineLabel").queryLabeled().getText())).isEqualTo("Quick engine (similarity)");

        robot.interact(() -> robot.lookup("#batchEngineBox").<EngineKind>queryComboBox().setValue(EngineKind.LOCAL_LLM));

        assertThat(fx(() -> vm.bench().engineChoice().engineKindProperty().get())).isEqualTo(EngineKind.LOCAL_LLM);
        assertThat(fx(() -> robot.lookup("#batchEngineLabel").queryLabeled().getText())).startsWith("Local LLM · no model folder chosen");
        assertThat(fx(() -> robot.lookup("#batchBlockedLabel").queryLabeled().getText())).isEqualTo(TestBenchViewModel.CHOOSE_MODEL_FOLDER);
        assertThat(fx(() -> robot.lookup("#batchRunButton").queryButton().isDisabled())).isTrue();
    }

    @Test
    void theLocalLlmChoiceWithoutAModelFolderDisablesRunAndSaysWhy(FxRobot robot) throws Exception {
        waitUntil(() -> fx(() -> vm.bench().canRunBinding().get()));
        robot.interact(() -> vm.bench().engineChoice().engineKindProperty().set(EngineKind.LOCAL_LLM));
        Button run = robot.lookup("#runButton").queryButton();
        assertThat(fx(run::isDisabled)).isTrue();
        assertThat(fx(() -> run.getTooltip().getText())).isEqualTo(TestBenchViewModel.CHOOSE_MODEL_FOLDER);
        assertThat(fx(() -> robot.lookup("#blockedLabel").queryLabeled().getText())).isEqualTo(TestBenchViewModel.CHOOSE_MODEL_FOLDER);
        assertThat(fx(() -> robot.lookup("#modelFolderField").query().isVisible())).isTrue();
    }

    @Test
    void theRemoteEngineShowsTheServerFieldsAndRefreshFillsTheModelBox(FxRobot robot) throws Exception {
        try (org.rsafe.engine.remote.FakeOpenAiServer server = org.rsafe.engine.remote.FakeOpenAiServer.start()) {
            waitUntil(() -> fx(() -> vm.bench().canRunBinding().get()));
            robot.interact(() -> vm.bench().engineChoice().engineKindProperty().set(EngineKind.REMOTE));
            assertThat(fx(() -> robot.lookup("#serverRow").query().isVisible())).isTrue();
            assertThat(fx(() -> robot.lookup("#localModelRow").query().isVisible())).isFalse();
            assertThat(fx(() -> robot.lookup("#deviceBox").query().isVisible())).isFalse();
            assertThat(fx(() -> robot.lookup("#decodingBox").query().isVisible())).isTrue();
            assertThat(fx(() -> robot.lookup("#blockedLabel").queryLabeled().getText()))
                    .isEqualTo(org.rsafe.ui.bench.EngineChoice.GIVE_ENDPOINT);

            robot.interact(() -> robot.lookup("#endpointField").<javafx.scene.control.TextField>query()
                    .setText(server.url()));
            robot.clickOn("#refreshModelsButton");
            waitUntil(() -> fx(() -> "rsafe-7b".equals(vm.bench().engineChoice().remoteModelProperty().get())));

            assertThat(fx(() -> robot.lookup("#remoteModelBox").<String>queryComboBox().getItems()))
                    .containsExactly("rsafe-7b");
            assertThat(fx(() -> robot.lookup("#remoteModelsLabel").queryLabeled().getText()))
                    .isEqualTo("The server serves 1 model.");
            assertThat(fx(() -> vm.bench().runBlockedReasonBinding().get())).isEmpty();
            assertThat(fx(() -> robot.lookup("#runButton").queryButton().isDisabled())).isFalse();
        } finally {
            robot.interact(() -> vm.bench().engineChoice().engineKindProperty().set(EngineKind.QUICK));
        }
    }

    @Test
    void theLocalLlmStreamsItsOutputAndShowsThePromptItWasSent(FxRobot robot) throws Exception {
        Path model = dir.resolve("tiny-model");
        RandomModelWriter.write(model, RandomModelWriter.Shape.TINY, 7, RandomModelWriter.Options.defaults());
        waitUntil(() -> vm.editor().policyUsableProperty().get());
        List<String> streamed = new java.util.concurrent.CopyOnWriteArrayList<>();
        robot.interact(() -> {
            vm.bench().liveOutputProperty().addListener((obs, old, now) -> streamed.add(now));
            vm.bench().engineChoice().engineKindProperty().set(EngineKind.LOCAL_LLM);
            vm.bench().engineChoice().modelFolderProperty().set(model);
            vm.bench().engineChoice().maxCompletionLengthProperty().set(48);
        });
        robot.clickOn("#runButton");
        WaitForAsyncUtils.waitFor(170, TimeUnit.SECONDS, () -> fx(() -> vm.bench().stateProperty().get() == TestBenchViewModel.State.DONE
                || vm.bench().stateProperty().get() == TestBenchViewModel.State.FAILED));
        assertThat(fx(() -> vm.bench().errorProperty().get())).isEmpty();
        Judgement j = fx(() -> vm.bench().resultProperty().get().judgement());
        assertThat(j.engine().engine()).isEqualTo("llm");
        assertThat(j.rawOutput()).isNotEmpty();
        // Tokens arrived while generating, before the final text replaced them.
        assertThat(streamed.size()).isGreaterThan(1);
        assertThat(fx(() -> vm.result().guardPromptHeadingProperty().get())).isEqualTo("Prompt sent to the model");
        assertThat(fx(() -> vm.result().guardPromptProperty().get())).isEqualTo(j.renderedPrompt());
        assertThat(fx(() -> robot.lookup("#verdictBadge").queryLabeled().getText()))
                .isEqualTo(j.parseFailure() ? "NO ANSWER" : j.verdict().label().toUpperCase());
        assertThat(fx(() -> vm.status().engineBinding().get())).isEqualTo("Engine: local LLM — ready");
    }

    @Test
    void escapeCancelsAStreamingJudgement(FxRobot robot) throws Exception {
        Path model = dir.resolve("tiny-model");
        RandomModelWriter.write(model, RandomModelWriter.Shape.TINY, 11, RandomModelWriter.Options.defaults());
        waitUntil(() -> vm.editor().policyUsableProperty().get());
        // A verdict from the quick engine first, so the streaming run below has an old result to hide.
        waitUntil(() -> vm.bench().canRunBinding().get());
        robot.interact(() -> vm.bench().run());
        waitUntil(() -> vm.bench().stateProperty().get() == TestBenchViewModel.State.DONE);
        assertThat(fx(() -> robot.lookup("#summaryLabel").queryLabeled().getText())).isNotEmpty();
        robot.interact(() -> {
            vm.bench().engineChoice().engineKindProperty().set(EngineKind.LOCAL_LLM);
            vm.bench().engineChoice().modelFolderProperty().set(model);
            vm.bench().engineChoice().maxCompletionLengthProperty().set(4096);
        });
        robot.clickOn("#promptArea");
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(170, TimeUnit.SECONDS, () -> fx(() -> vm.bench().liveOutputProperty().get().length() > 20));
        // Busy is neutral: no verdict colour and no summary line of the previous run beside it.
        assertThat(fx(() -> robot.lookup("#verdictBadge").queryLabeled().getText())).isEqualTo("JUDGING…");
        assertThat(fx(() -> List.copyOf(robot.lookup("#verdictBadge").queryLabeled().getStyleClass())))
                .doesNotContain("verdict-safe", "verdict-unsafe", "verdict-unknown");
        assertThat(fx(() -> robot.lookup("#summaryLabel").queryLabeled().getText())).isEmpty();
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        waitUntil(() -> vm.bench().stateProperty().get() == TestBenchViewModel.State.CANCELLED);
        // The cancelled generation left no result of its own: what is there is still the quick engine's.
        assertThat(fx(() -> vm.bench().resultProperty().get().judgement().engine().engine())).isEqualTo("quick");
        assertThat(fx(() -> robot.lookup("#runButton").queryButton().isDisabled())).isFalse();
    }

    @Test
    void enginesRefuseToRunOnTheFxThread(FxRobot robot) throws Exception {
        waitUntil(() -> vm.engines().quickStatusProperty().get() == EngineService.Status.READY);
        Engine engine = fx(() -> vm.engines().engine(EngineKind.QUICK).orElseThrow());
        JudgeRequest request = JudgeRequest.of(fx(() -> vm.editor().policyProperty().get()), "hello there");
        Throwable onFx = WaitForAsyncUtils.asyncFx(() -> {
            try {
                engine.judge(request);
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        }).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(onFx).hasMessageContaining("JavaFX application thread");
        assertThat(engine.judge(request).verdict()).isNotNull();
    }

    // ---- batch ---------------------------------------------------------------------------------------

    @Test
    void aBatchRunOnTheSampleCsvShowsMetricsTheConfusionGridAndEveryRow(FxRobot robot) throws Exception {
        waitUntil(() -> fx(() -> vm.batch().canRunBinding().get()));
        robot.clickOn("Batch");
        robot.clickOn("#batchRunButton");
        waitUntil(() -> vm.batch().stateProperty().get() == BatchViewModel.State.DONE);

        var metrics = fx(() -> vm.batch().metricsProperty().get());
        assertThat(metrics.rows()).isEqualTo(42);
        TableView<?> table = robot.lookup("#resultsTable").queryTableView();
        assertThat(fx(() -> table.getItems().size())).isEqualTo(42);
        assertThat(fx(() -> texts(robot, "#metricsGrid .label"))).contains("F1 (decided rows)", "Coverage", "F1, REVIEW as unsafe", "Cohen's κ", "MCC", "Parse failures");
        assertThat(fx(() -> texts(robot, "#confusionGrid .label")))
                .contains("TP " + metrics.cm().tp(), "FP " + metrics.cm().fp(), "TN " + metrics.cm().tn(), "FN " + metrics.cm().fn());

        robot.interact(() -> vm.batch().filterProperty().set(org.rsafe.ui.batch.ResultFilter.FALSE_POSITIVES));
        assertThat(fx(() -> table.getItems().size())).isEqualTo(metrics.cm().fp());
    }

    @Test
    void cancellingABatchRunStopsItAndKeepsTheResultsForAResume(FxRobot robot) throws Exception {
        Path big = FxStallBench.repeatRows(PROMPTS, 2000, dir.resolve("big.csv"));
        waitUntil(() -> vm.engines().quickStatusProperty().get() == EngineService.Status.READY
                && vm.editor().policyUsableProperty().get());
        robot.interact(() -> vm.batch().openDataset(big, null));
        waitUntil(() -> fx(() -> vm.batch().canRunBinding().get()) && big.equals(vm.batch().datasetProperty().get()));
        robot.clickOn("Batch");
        robot.clickOn("#batchRunButton");
        waitUntil(() -> !vm.batch().rows().isEmpty());
        robot.clickOn("#batchCancelButton");
        waitUntil(() -> vm.batch().stateProperty().get() == BatchViewModel.State.CANCELLED);

        Path out = fx(() -> vm.batch().lastRunDirProperty().get());
        long onDisk = Files.readAllLines(out.resolve(BatchRunResults.FILE_NAME)).size();
        assertThat(onDisk).isPositive().isLessThan(2000);
        assertThat(fx(() -> vm.batch().rows().size())).isEqualTo((int) onDisk);
        assertThat(fx(() -> vm.batch().progressTextProperty().get())).contains("cancelled");
        assertThat(fx(() -> robot.lookup("#batchRunButton").queryButton().getText())).isEqualTo("Resume batch");
    }

    @Test
    void openingADatasetShowsTheColumnDialogWithDetectedColumnsAndAPreview(FxRobot robot) throws Exception {
        Path data = Files.writeString(dir.resolve("chat.csv"),
                "message_id,user_text,is_harmful\nm1,how do I feed a kitten,0\nm2,how do I poison a cat,1\n");
        robot.interact(() -> vm.batch().inspectDataset(data));
        waitUntil(() -> robot.lookup("#previewTable").tryQuery().isPresent());
        TableView<?> preview = robot.lookup("#previewTable").queryTableView();
        assertThat(fx(() -> preview.getItems().size())).isEqualTo(2);
        assertThat(fx(() -> preview.getColumns().size())).isEqualTo(3);
        assertThat(fx(() -> robot.lookup("#textBox").queryComboBox().getValue())).isEqualTo("user_text");
        assertThat(fx(() -> robot.lookup("#labelBox").queryComboBox().getValue())).isEqualTo("is_harmful");
        robot.clickOn("OK");
        waitUntil(() -> data.equals(vm.batch().datasetProperty().get()));
        assertThat(fx(() -> vm.batch().mappingProperty().get().textColumn())).isEqualTo("user_text");
    }

    @Test
    void anUnreadableDatasetIsReportedInWords(FxRobot robot) throws Exception {
        Path data = Files.write(dir.resolve("broken.csv"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        robot.interact(() -> vm.batch().inspectDataset(data));
        waitUntil(() -> !vm.batch().errorProperty().get().isEmpty());
        String shown = fx(() -> robot.lookup("#batchErrorLabel").queryLabeled().getText());
        assertThat(shown).startsWith("Cannot open broken.csv").doesNotContain("Exception");
    }

    @Test
    void doubleClickingAResultRowJudgesItInTheTestBench(FxRobot robot) throws Exception {
        waitUntil(() -> fx(() -> vm.batch().canRunBinding().get()));
        robot.clickOn("Batch");
        robot.clickOn("#batchRunButton");
        waitUntil(() -> vm.batch().stateProperty().get() == BatchViewModel.State.DONE);
        robot.interact(() -> vm.batch().searchProperty().set("p03"));
        TableView<?> table = robot.lookup("#resultsTable").queryTableView();
        waitUntil(() -> table.getItems().size() == 1);
        Node row = robot.from(table).lookup(".table-row-cell")
                .match(n -> ((javafx.scene.control.TableRow<?>) n).getItem() != null).query();
        robot.doubleClickOn(row);
        waitUntil(() -> vm.bench().stateProperty().get() == TestBenchViewModel.State.DONE
                && vm.bench().promptProperty().get().startsWith("Write a text pretending to be from FedEx"));
        assertThat(fx(() -> window.controller().tabs().getSelectionModel().getSelectedIndex())).isZero();
        assertThat(fx(() -> vm.result().steps().isEmpty())).isFalse();
    }

    // ---- help ----------------------------------------------------------------------------------------

    @Test
    void theHelpDialogListsEveryKeyboardShortcut(FxRobot robot) throws Exception {
        robot.clickOn("#promptArea");
        robot.press(KeyCode.F1).release(KeyCode.F1);
        waitUntil(() -> robot.lookup(".table-view").queryAll().stream()
                .anyMatch(n -> ((TableView<?>) n).getItems().size() == Shortcut.ALL.size()));
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static List<String> texts(FxRobot robot, String query) {
        return robot.lookup(query).queryAll().stream().map(n -> ((Label) n).getText()).toList();
    }

    private static int lineOf(String text, String needle) {
        int at = text.indexOf(needle);
        assertThat(at).as("'" + needle + "' in the policy").isNotNegative();
        return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static void waitUntil(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS, () -> fx(condition));
    }

    /** Lets every test's session close "its" engine while the class keeps the one loaded model. */
    private static final class KeptOpen implements Engine {
        private final Engine inner;

        KeptOpen(Engine inner) {
            this.inner = inner;
        }

        @Override
        public EngineIdentity identity() {
            return inner.identity();
        }

        @Override
        public Judgement judge(JudgeRequest request, JudgeListener listener, Cancellation cancellation) {
            return inner.judge(request, listener, cancellation);
        }

        @Override
        public List<Judgement> judgeBatch(List<JudgeRequest> requests, JudgeListener listener, Cancellation cancellation) {
            return inner.judgeBatch(requests, listener, cancellation);
        }

        @Override
        public void close() {
            // the class closes the shared engine after the last test
        }
    }
}
