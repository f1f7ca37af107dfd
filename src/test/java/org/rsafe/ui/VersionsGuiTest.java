package org.rsafe.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableRow;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.ui.style.Theme;
import org.rsafe.engine.quick.QuickEngine;
import org.rsafe.engine.quick.QuickEngineOptions;
import org.rsafe.ui.editor.TestPolicies;
import org.rsafe.ui.task.FxTaskExecutor;
import org.rsafe.ui.versions.CompareSide;
import org.rsafe.ui.versions.CompareView;
import org.rsafe.ui.workspace.WorkbenchHome;
import org.rsafe.workspace.DiffRow;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Versions and Compare tabs driven through the real window (headless): saving versions of a policy copied into a
 * temporary workspace, restoring one, and comparing two.
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VersionsGuiTest {
    private static final long WAIT_SECONDS = 30;
    private static final String RENAMED = TestPolicies.PETS.replace("Animal cruelty", "Cruelty to animals");

    @TempDir
    Path dir;

    private Path policy;
    private FxTaskExecutor executor;
    private MainViewModel vm;
    private WorkbenchWindow window;

    @Start
    void start(Stage stage) throws Exception {
        policy = dir.resolve("workspace/pets.yaml");
        Files.createDirectories(policy.getParent());
        Files.writeString(policy, TestPolicies.PETS);
        Theme.LIGHT.apply();
        executor = new FxTaskExecutor();
        // The engine is never started here: these tabs do not judge anything.
        vm = new MainViewModel(executor, new WorkbenchHome(dir.resolve("home")),
                () -> QuickEngine.create(QuickEngineOptions.defaults()));
        window = WorkbenchWindow.load(vm);
        stage.setScene(window.scene());
        window.controller().attach(stage);
        stage.show();
        vm.openPolicy(policy);
    }

    @Stop
    void stop() {
        vm.shutdown();
        executor.shutdown();
    }

    @Test
    void savingTwoVersionsThenRestoringTheFirstPutsItsTextBackInTheEditor(FxRobot robot) throws Exception {
        waitUntil(() -> policy.equals(vm.editor().getFile()));
        showTab(robot, "Versions");
        saveVersion(robot, "First draft");
        waitUntil(() -> vm.versions().versions().size() == 1);
        editAndSave(RENAMED);
        saveVersion(robot, "Rename P1");
        waitUntil(() -> vm.versions().versions().size() == 2);

        robot.clickOn(cellWithText(robot, "v1"));
        robot.clickOn(button(robot, "Restore", versionsPane()));
        robot.press(KeyCode.ENTER).release(KeyCode.ENTER);

        waitUntil(() -> vm.versions().versions().size() == 3);
        waitUntil(() -> vm.editor().getText().equals(TestPolicies.PETS));
        assertThat(Files.readString(policy)).isEqualTo(TestPolicies.PETS);
        assertThat(fx(() -> vm.versions().versions().get(0).message())).contains("to v1");
        assertThat(fx(() -> vm.editor().isDirty())).isFalse();
    }

    @Test
    void comparingTwoVersionsShowsAColouredChangedRowAndTheClauseChange(FxRobot robot) throws Exception {
        waitUntil(() -> policy.equals(vm.editor().getFile()));
        showTab(robot, "Versions");
        saveVersion(robot, "First draft");
        waitUntil(() -> vm.versions().versions().size() == 1);
        editAndSave(RENAMED);
        saveVersion(robot, "Rename P1");
        waitUntil(() -> vm.versions().versions().size() == 2);

        showTab(robot, "Compare");
        Parent comparePane = fx(() -> window.controller().compareView().diffTable().getParent().getParent().getParent());
        choose(robot, comparePane, "#sideACombo", "v1 · First draft");
        choose(robot, comparePane, "#sideBCombo", "v2 · Rename P1");
        robot.clickOn(button(robot, "Compare", comparePane));

        waitUntil(() -> vm.compare().rows().stream().anyMatch(r -> r.kind() == DiffRow.Kind.CHANGED));
        // The view scrolls to the first difference and styles the rows on the next layout pass.
        waitUntil(() -> robot.from(window.controller().compareView().diffTable()).lookup("." + CompareView.DIFF_CHANGED)
                .tryQuery().isPresent());
        assertThat(robot.from(window.controller().compareView().diffTable()).lookup("." + CompareView.DIFF_CHANGED)
                .queryAll()).isNotEmpty().allSatisfy(row -> assertThat(((TableRow<?>) row).getItem()).isNotNull());
        assertThat(robot.from(window.controller().compareView().diffTable()).lookup(".table-cell")
                .match((Labeled c) -> c.getText() != null && c.getText().endsWith("title: Cruelty to animals")).tryQuery())
                .isPresent();
        assertThat(fx(() -> window.controller().compareView().structuralList().getItems()))
                .anySatisfy(line -> assertThat(line).contains("P1").contains("Cruelty to animals"));
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private Parent versionsPane() throws Exception {
        return fx(() -> window.controller().versionsView().versionsTable().getParent());
    }

    private void saveVersion(FxRobot robot, String message) throws Exception {
        robot.clickOn(button(robot, "Save version…", versionsPane()));
        waitUntil(() -> robot.lookup(".dialog-pane .text-field").tryQuery().isPresent());
        robot.clickOn(robot.lookup(".dialog-pane .text-field").queryAs(Node.class));
        robot.write(message);
        robot.press(KeyCode.ENTER).release(KeyCode.ENTER);
    }

    private void editAndSave(String text) throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            vm.editor().textProperty().set(text);
            vm.save(() -> { });
        }).get(WAIT_SECONDS, TimeUnit.SECONDS);
        waitUntil(() -> !vm.editor().isDirty());
    }

    /** Picks a combo-box entry by its label, as a user would from the drop-down. */
    @SuppressWarnings("unchecked")
    private static void choose(FxRobot robot, Parent within, String comboId, String label) {
        ComboBox<CompareSide> combo = robot.from(within).lookup(comboId).queryAs(ComboBox.class);
        robot.interact(() -> combo.getSelectionModel().select(combo.getItems().stream()
                .filter(side -> side.label().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError(label + " is not among " + combo.getItems()))));
    }

    private static void showTab(FxRobot robot, String title) {
        robot.clickOn(robot.lookup(".tab-label").match((Labeled l) -> l.getText().equals(title)).queryLabeled());
    }

    private static Node button(FxRobot robot, String text, Parent within) {
        return robot.from(within).lookup(".button").match((Labeled b) -> b.getText().equals(text)).query();
    }

    private static Node cellWithText(FxRobot robot, String text) {
        return robot.lookup(".table-cell").match((Labeled c) -> text.equals(c.getText())).query();
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static void waitUntil(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS, () -> fx(condition));
    }
}
