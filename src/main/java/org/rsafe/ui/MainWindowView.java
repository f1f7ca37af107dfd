package org.rsafe.ui;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyEvent;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.rsafe.ui.style.Shortcut;
import org.rsafe.ui.style.Theme;
import org.rsafe.ui.batch.BatchView;
import org.rsafe.ui.bench.TestBenchView;
import org.rsafe.ui.editor.PolicyEditorView;
import org.rsafe.ui.workspace.RecoveryStore;

/**
 * The main window: menus, the editor beside the test bench and batch tabs, and the status bar. It turns
 * menu choices and dialogs into calls on {@link MainViewModel}.
 */
public final class MainWindowView {
    static final String NEW_POLICY_TEXT = """
            policy: 1
            id: my-policy
            name: My policy
            version: 0.1.0
            description: What this policy is for.
            applies_to: both
            clauses:
              - id: C1
                title: First clause
                description: What a text must do to break this clause.
                violating:
                  - "An example that breaks the clause."
                safe:
                  - "A near miss that is allowed."
            """;

    private final MainViewModel vm;

    @FXML private MenuBar menuBar;
    @FXML private MenuItem newItem;
    @FXML private MenuItem openItem;
    @FXML private Menu recentMenu;
    @FXML private MenuItem saveItem;
    @FXML private MenuItem saveAsItem;
    @FXML private MenuItem undoItem;
    @FXML private MenuItem redoItem;
    @FXML private MenuItem findItem;
    @FXML private MenuItem findNextItem;
    @FXML private MenuItem findPreviousItem;
    @FXML private MenuItem runItem;
    @FXML private MenuItem cancelItem;
    @FXML private MenuItem openDatasetItem;
    @FXML private MenuItem showBenchItem;
    @FXML private MenuItem showBatchItem;
    @FXML private MenuItem helpItem;
    @FXML private javafx.scene.control.CheckMenuItem softWrapItem;
    @FXML private TabPane tabs;
    @FXML private Tab benchTab;
    @FXML private Tab batchTab;
    @FXML private Tab versionsTab;
    @FXML private Tab compareTab;
    @FXML private Tab trainingTab;
    @FXML private Label engineStatus;
    @FXML private Label modelStatus;
    @FXML private Label deviceStatus;
    @FXML private Label memoryStatus;
    @FXML private Label noticeStatus;
    @FXML private PolicyEditorView editorController;
    @FXML private TestBenchView benchController;
    @FXML private BatchView batchController;
    @FXML private org.rsafe.ui.versions.VersionsView versionsController;
    @FXML private org.rsafe.ui.versions.CompareView compareController;
    @FXML private org.rsafe.ui.training.TrainingView trainingController;

    public MainWindowView(MainViewModel vm) {
        this.vm = vm;
    }

    @FXML
    private void initialize() {
        softWrapItem.selectedProperty().bindBidirectional(vm.editor().softWrapProperty());
        accelerate(newItem, Shortcut.NEW_POLICY);
        accelerate(openItem, Shortcut.OPEN_POLICY);
        accelerate(saveItem, Shortcut.SAVE);
        accelerate(saveAsItem, Shortcut.SAVE_AS);
        accelerate(undoItem, Shortcut.UNDO);
        accelerate(redoItem, Shortcut.REDO);
        accelerate(findItem, Shortcut.FIND);
        accelerate(findNextItem, Shortcut.FIND_NEXT);
        accelerate(findPreviousItem, Shortcut.FIND_PREVIOUS);
        accelerate(openDatasetItem, Shortcut.OPEN_DATASET);
        accelerate(showBenchItem, Shortcut.SHOW_BENCH);
        accelerate(showBatchItem, Shortcut.SHOW_BATCH);
        accelerate(helpItem, Shortcut.HELP);
        // Run and Cancel are handled by a scene filter (text areas would otherwise see the keys first);
        // the menu only shows the keys.
        runItem.setAccelerator(null);
        runItem.setText("Run test bench\t" + Shortcut.RUN.display());
        cancelItem.setText("Cancel judgement\t" + Shortcut.CANCEL.display());
        runItem.disableProperty().bind(vm.bench().canRunBinding().not());
        cancelItem.disableProperty().bind(Bindings.createBooleanBinding(vm.bench()::isRunning, vm.bench().stateProperty()).not());

        rebuildRecentMenu();
        vm.recentFiles().addListener((ListChangeListener<Path>) c -> rebuildRecentMenu());

        engineStatus.textProperty().bind(vm.status().engineBinding());
        modelStatus.textProperty().bind(vm.status().modelBinding());
        deviceStatus.textProperty().bind(vm.status().deviceBinding());
        memoryStatus.textProperty().bind(vm.status().memoryProperty());
        noticeStatus.textProperty().bind(vm.noticeProperty());

        vm.pendingRecoveryProperty().addListener((obs, old, r) -> {
            if (r != null) {
                javafx.application.Platform.runLater(() -> offerRecovery(r));
            }
        });
        vm.editor().messageProperty().addListener((obs, old, m) -> {
            if (!m.isEmpty()) {
                showError("File problem", m);
            }
        });
        vm.batch().openRowRequestProperty().addListener((obs, old, r) -> tabs.getSelectionModel().select(benchTab));
        vm.compareShownProperty().addListener((obs, old, n) -> tabs.getSelectionModel().select(compareTab));
    }

    private static void accelerate(MenuItem item, Shortcut s) {
        item.setAccelerator(s.combination());
    }

    /** Key handling that must win over focused text fields: Run and Cancel. */
    void installShortcuts(Scene scene) {
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (Shortcut.RUN.combination().match(e)) {
                e.consume();
                run();
            } else if (Shortcut.CANCEL.combination().match(e) && vm.bench().isRunning()) {
                e.consume();
                cancelRun();
            }
        });
    }

    /** Title binding, close guard: call once the scene is on its stage. */
    public void attach(Stage stage) {
        stage.titleProperty().bind(Bindings.concat(vm.editor().titleBinding(), " — RSafe Workbench"));
        stage.setOnCloseRequest(e -> {
            e.consume();
            whenEditsAreSafe(true, () -> {
                vm.shutdown();
                stage.hide();
            });
        });
    }

    private Window window() {
        return menuBar.getScene().getWindow();
    }

    // ---- file menu ------------------------------------------------------------------------------------

    @FXML
    private void newPolicy() {
        whenEditsAreSafe(false, () -> vm.newPolicy(NEW_POLICY_TEXT));
    }

    @FXML
    private void openPolicy() {
        whenEditsAreSafe(false, () -> {
            FileChooser chooser = policyChooser("Open policy");
            File f = chooser.showOpenDialog(window());
            if (f != null) {
                vm.openPolicy(f.toPath());
            }
        });
    }

    private void rebuildRecentMenu() {
        recentMenu.getItems().clear();
        for (Path p : vm.recentFiles()) {
            MenuItem item = new MenuItem(p.getFileName() + "  —  " + p.getParent());
            item.setMnemonicParsing(false);
            item.setOnAction(e -> whenEditsAreSafe(false, () -> vm.openPolicy(p)));
            recentMenu.getItems().add(item);
        }
        recentMenu.setDisable(recentMenu.getItems().isEmpty());
    }

    @FXML
    private void save() {
        saveThen(() -> { });
    }

    @FXML
    private void saveAs() {
        saveAsThen(() -> { });
    }

    private void saveThen(Runnable after) {
        if (!vm.save(after)) {
            saveAsThen(after);
        }
    }

    /** A new policy's file name: its id ("fintech-support.yaml"), or "policy.yaml" while it has none. */
    static String suggestedFileName(org.rsafe.policy.Policy policy) {
        String id = policy == null ? "" : policy.id().replaceAll("[^A-Za-z0-9._-]", "_");
        return (id.isBlank() ? "policy" : id) + ".yaml";
    }

    private void saveAsThen(Runnable after) {
        FileChooser chooser = policyChooser("Save policy as");
        Path current = vm.editor().getFile();
        chooser.setInitialFileName(current == null ? suggestedFileName(vm.editor().policyProperty().get())
                : current.getFileName().toString());
        File f = chooser.showSaveDialog(window());
        if (f != null) {
            vm.saveAs(f.toPath(), after);
        }
    }

    private FileChooser policyChooser(String title) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Policy files (*.yaml, *.yml)", "*.yaml", "*.yml"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        Path current = vm.editor().getFile();
        if (current != null && current.getParent() != null && current.getParent().toFile().isDirectory()) {
            chooser.setInitialDirectory(current.getParent().toFile());
        }
        return chooser;
    }

    @FXML
    private void quit() {
        Window w = window();
        if (w instanceof Stage stage) {
            stage.fireEvent(new javafx.stage.WindowEvent(stage, javafx.stage.WindowEvent.WINDOW_CLOSE_REQUEST));
        }
    }

    /**
     * Runs {@code proceed} when the editor has no unsaved edits, or after the user chose to save them (once
     * saved) or to discard them; does nothing when the user cancels.
     */
    private void whenEditsAreSafe(boolean closing, Runnable proceed) {
        if (!vm.editor().isDirty()) {
            proceed.run();
            return;
        }
        ButtonType saveButton = new ButtonType("Save", ButtonBar.ButtonData.YES);
        ButtonType discardButton = new ButtonType(closing ? "Close without saving" : "Discard changes", ButtonBar.ButtonData.NO);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION,
                "The policy " + vm.editor().fileName() + " has unsaved changes.", saveButton, discardButton, ButtonType.CANCEL);
        alert.setHeaderText("Save your changes first?");
        alert.initOwner(window());
        Optional<ButtonType> choice = alert.showAndWait();
        if (choice.isEmpty() || choice.get() == ButtonType.CANCEL) {
            return;
        }
        if (choice.get() == saveButton) {
            saveThen(proceed);
        } else {
            vm.discardEditsOnClose();
            proceed.run();
        }
    }

    private void offerRecovery(RecoveryStore.Recovery r) {
        ButtonType restore = new ButtonType("Restore", ButtonBar.ButtonData.YES);
        ButtonType discard = new ButtonType("Discard", ButtonBar.ButtonData.NO);
        String of = r.originalFile() == null ? "a new policy" : r.originalFile().toString();
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION,
                "The workbench closed with unsaved edits to " + of + " (last copied " + r.savedAt() + ").\n"
                        + "Restore them into the editor?", restore, discard);
        alert.setHeaderText("Restore unsaved edits?");
        alert.initOwner(window());
        if (alert.showAndWait().orElse(discard) == restore) {
            vm.restoreRecovery();
        } else {
            vm.discardRecovery();
        }
    }

    private void showError(String header, String message) {
        Alert alert = new Alert(Alert.AlertType.ERROR, message, ButtonType.OK);
        alert.setHeaderText(header);
        if (menuBar.getScene() != null) {
            alert.initOwner(window());
        }
        alert.show();
        vm.editor().clearMessage();
    }

    // ---- edit menu ------------------------------------------------------------------------------------

    @FXML
    private void undo() {
        editorController.undo();
    }

    @FXML
    private void redo() {
        editorController.redo();
    }

    @FXML
    private void find() {
        vm.find().visibleProperty().set(true);
    }

    @FXML
    private void findNext() {
        vm.find().visibleProperty().set(true);
        editorController.findNext();
    }

    @FXML
    private void findPrevious() {
        vm.find().visibleProperty().set(true);
        editorController.findPrevious();
    }

    // ---- run & view menus ----------------------------------------------------------------------------

    @FXML
    void run() {
        tabs.getSelectionModel().select(benchTab);
        vm.bench().run();
    }

    @FXML
    private void cancelRun() {
        vm.bench().cancel();
    }

    @FXML
    private void openDataset() {
        tabs.getSelectionModel().select(batchTab);
        batchController.chooseDataset();
    }

    @FXML
    private void showBench() {
        tabs.getSelectionModel().select(benchTab);
        benchController.focusPrompt();
    }

    @FXML
    private void showBatch() {
        tabs.getSelectionModel().select(batchTab);
    }

    @FXML
    private void exportBundle() {
        openTool(vm.exportBundleBlocker(), "Cannot export a bundle yet",
                () -> org.rsafe.ui.bundle.ExportBundleView.showDialog(window(), vm.newExportBundle()));
    }

    @FXML
    private void importBundle() {
        openTool(vm.importBundleBlocker(), "Cannot import a bundle yet",
                () -> org.rsafe.ui.bundle.ImportBundleView.showDialog(window(), vm.newImportBundle()));
    }

    @FXML
    private void calibrateThresholds() {
        openTool(vm.calibrationBlocker(), "Cannot calibrate yet",
                () -> org.rsafe.ui.calibrate.CalibrateView.showDialog(window(), vm.newCalibration()));
    }

    /** Opens a tool's dialog, or says why it cannot open yet ({@code blocker} not empty). */
    private void openTool(String blocker, String cannotHeader, Runnable open) {
        if (blocker.isEmpty()) {
            open.run();
        } else {
            showError(cannotHeader, blocker);
        }
    }

    @FXML
    private void showVersions() {
        tabs.getSelectionModel().select(versionsTab);
    }

    @FXML
    private void showCompare() {
        tabs.getSelectionModel().select(compareTab);
    }

    @FXML
    private void showTraining() {
        tabs.getSelectionModel().select(trainingTab);
    }

    public org.rsafe.ui.training.TrainingView trainingView() {
        return trainingController;
    }

    /** The tabs on the right (Test bench, Batch, Versions, Compare, Training). */
    public TabPane tabPane() {
        return tabs;
    }

    public org.rsafe.ui.versions.VersionsView versionsView() {
        return versionsController;
    }

    public org.rsafe.ui.versions.CompareView compareView() {
        return compareController;
    }

    @FXML
    private void lightTheme() {
        Theme.LIGHT.apply();
    }

    @FXML
    private void darkTheme() {
        Theme.DARK.apply();
    }

    @FXML
    private void showHelp() {
        HelpDialog.show(window());
    }

    @FXML
    private void showAbout() {
        Alert alert = new Alert(Alert.AlertType.INFORMATION,
                "Write safety policies, judge prompts and responses with a reasoning guard, and measure the "
                        + "guard on labelled data.\n\nData folder: " + vm.home().dir(), ButtonType.OK);
        alert.setHeaderText("RSafe Workbench");
        alert.initOwner(window());
        alert.show();
    }

    // ---- for tests -----------------------------------------------------------------------------------

    public PolicyEditorView editorView() {
        return editorController;
    }

    public BatchView batchView() {
        return batchController;
    }

    public TabPane tabs() {
        return tabs;
    }
}
