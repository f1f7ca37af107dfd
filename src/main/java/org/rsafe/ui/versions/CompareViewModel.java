package org.rsafe.ui.versions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.rsafe.policy.PolicyLoadResult;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.ui.editor.PolicyEditorViewModel;
import org.rsafe.ui.task.BackgroundTask;
import org.rsafe.ui.task.TaskExecutor;
import org.rsafe.workspace.DiffRow;
import org.rsafe.workspace.PolicyDiff;
import org.rsafe.workspace.PolicyVersion;
import org.rsafe.workspace.TextDiff;
import org.rsafe.workspace.Workspace;

/**
 * State of the Compare tab: two sides (saved versions of the open policy or any policy file), their aligned
 * line-by-line diff and the clause-level changes between them. Reading and diffing run through the executor.
 */
public final class CompareViewModel {
    private final TaskExecutor executor;
    private final ObjectProperty<CompareSide> sideA = new SimpleObjectProperty<>(this, "sideA");
    private final ObjectProperty<CompareSide> sideB = new SimpleObjectProperty<>(this, "sideB");
    private final ObservableList<CompareSide> choices = FXCollections.observableArrayList();
    private final ObservableList<DiffRow> rows = FXCollections.observableArrayList();
    private final ObservableList<String> structural = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final BooleanBinding canCompare;

    public CompareViewModel(TaskExecutor executor) {
        this.executor = Objects.requireNonNull(executor);
        this.canCompare = Bindings.createBooleanBinding(
                () -> sideA.get() != null && sideB.get() != null && !busy.get(), sideA, sideB, busy);
    }

    /**
     * Offers the open file's current text and its saved versions as choices, keeping the list in step with the
     * Versions tab.
     */
    public void followVersions(VersionsViewModel versions) {
        Runnable update = () -> {
            Path f = versions.fileProperty().get();
            if (f == null) {
                choices.clear();
                return;
            }
            List<CompareSide> all = new java.util.ArrayList<>();
            all.add(CompareSide.current(f));
            for (PolicyVersion v : versions.versions()) {
                all.add(CompareSide.saved(f, v));
            }
            choices.setAll(all);
        };
        versions.versions().addListener((ListChangeListener<PolicyVersion>) c -> update.run());
        versions.fileProperty().addListener((obs, old, f) -> update.run());
        update.run();
    }

    /** Sets both sides and compares them at once (from "Compare with current" on the Versions tab). */
    public void compare(CompareSide a, CompareSide b) {
        sideA.set(a);
        sideB.set(b);
        compare();
    }

    /** Compares the chosen sides; a side that is not a readable policy still gets its text diff. */
    public void compare() {
        CompareSide a = sideA.get();
        CompareSide b = sideB.get();
        if (a == null || b == null) {
            message.set("Choose both sides (A and B) to compare.");
            return;
        }
        busy.set(true);
        executor.execute(BackgroundTask.of("Compare " + a.label() + " with " + b.label(), (progress, cancel) -> {
            String textA = read(a);
            String textB = read(b);
            List<DiffRow> diff = TextDiff.sideBySide(textA, textB);
            PolicyLoadResult pa = PolicyLoader.parse(a.file().getFileName().toString(), textA);
            PolicyLoadResult pb = PolicyLoader.parse(b.file().getFileName().toString(), textB);
            String problem = pa.policy() == null ? "A (" + a.label() + ") is not a readable policy"
                    : pb.policy() == null ? "B (" + b.label() + ") is not a readable policy" : "";
            List<String> changes = problem.isEmpty() ? PolicyDiff.between(pa.policy(), pb.policy()).describe() : List.of();
            return new Result(diff, changes, problem);
        }).onSuccess(r -> {
            rows.setAll(r.rows());
            structural.setAll(r.changes());
            long changed = r.rows().stream().filter(row -> row.kind() != DiffRow.Kind.SAME).count();
            summary.set(changed == 0 ? "The two sides are identical."
                    : changed + " line(s) differ; " + r.changes().size() + " structural change(s)");
            message.set(r.problem().isEmpty() ? "" : r.problem() + ": only the text diff is shown.");
        }).onFailure(e -> {
            rows.clear();
            structural.clear();
            summary.set("");
            message.set("Cannot compare: " + PolicyEditorViewModel.describe(e));
        }).onFinished(() -> busy.set(false)));
    }

    private static String read(CompareSide side) throws java.io.IOException {
        if (side.version() == null) {
            return Files.readString(side.file());
        }
        try (Workspace ws = Workspace.findExisting(side.file()).orElseThrow(() -> new org.rsafe.util.UserException(
                side.file() + " is not in a workspace, so it has no saved versions"))) {
            return ws.showAt(side.file(), side.version().commitId());
        }
    }

    private record Result(List<DiffRow> rows, List<String> changes, String problem) { }

    // ---- accessors ------------------------------------------------------------------------------------

    public ObjectProperty<CompareSide> sideAProperty() {
        return sideA;
    }

    public ObjectProperty<CompareSide> sideBProperty() {
        return sideB;
    }

    /** What the A/B choosers offer: the open file as it is now, then its saved versions, newest first. */
    public ObservableList<CompareSide> choices() {
        return choices;
    }

    /** The aligned rows of the text diff, A on the left. */
    public ObservableList<DiffRow> rows() {
        return rows;
    }

    /** Clause-level changes from A to B, one line each ({@code + K9 "Title" added}, {@code ~ K1 title: …}). */
    public ObservableList<String> structuralChanges() {
        return structural;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public BooleanBinding canCompareBinding() {
        return canCompare;
    }
}
