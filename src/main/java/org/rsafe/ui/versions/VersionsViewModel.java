package org.rsafe.ui.versions;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rsafe.ui.editor.PolicyEditorViewModel;
import org.rsafe.ui.task.BackgroundTask;
import org.rsafe.ui.task.TaskExecutor;
import org.rsafe.workspace.PolicyVersion;
import org.rsafe.workspace.RestoreOptions;
import org.rsafe.workspace.RestoreResult;
import org.rsafe.workspace.SaveResult;
import org.rsafe.workspace.Workspace;

/**
 * State of the Versions tab: the saved versions of the open policy file, and saving, restoring and comparing them.
 * All git work runs through the {@link TaskExecutor}; results and user mistakes arrive as {@link #messageProperty}.
 */
public final class VersionsViewModel {
    private final TaskExecutor executor;
    private final ReadOnlyObjectProperty<Path> file;
    private final BooleanSupplier editorDirty;
    private final Consumer<Path> reloadEditor;
    private final ObservableList<PolicyVersion> versions = FXCollections.observableArrayList();
    private final ObservableList<PolicyVersion> versionsReadOnly = FXCollections.unmodifiableObservableList(versions);
    private final ObjectProperty<PolicyVersion> selected = new SimpleObjectProperty<>(this, "selected");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyStringWrapper workspaceRoot = new ReadOnlyStringWrapper(this, "workspaceRoot", "");
    private final BooleanBinding hasFile;
    private Consumer<CompareSide> onCompare = side -> { };

    /**
     * @param file         the editor's policy file (null while untitled)
     * @param editorDirty  whether the editor holds edits not yet written to the file
     * @param reloadEditor re-reads the file into the editor after a restore
     */
    public VersionsViewModel(TaskExecutor executor, ReadOnlyObjectProperty<Path> file, BooleanSupplier editorDirty,
                             Consumer<Path> reloadEditor) {
        this.executor = Objects.requireNonNull(executor);
        this.file = Objects.requireNonNull(file);
        this.editorDirty = Objects.requireNonNull(editorDirty);
        this.reloadEditor = Objects.requireNonNull(reloadEditor);
        this.hasFile = Bindings.isNotNull(file);
        file.addListener((obs, old, f) -> refresh());
    }

    /** Where "Compare with current" sends its pair (the main view model opens the Compare tab with it). */
    public void setOnCompare(Consumer<CompareSide> onCompare) {
        this.onCompare = Objects.requireNonNull(onCompare);
    }

    /** Re-reads the history of the open file; a file outside any workspace simply has none yet. */
    public void refresh() {
        Path f = file.get();
        if (f == null) {
            versions.clear();
            workspaceRoot.set("");
            return;
        }
        run("Read versions of " + f.getFileName(), () -> {
            try (Workspace ws = Workspace.findExisting(f).orElse(null)) {
                return new History(ws == null ? "" : ws.root().toString(), ws == null ? List.of() : ws.history(f));
            }
        }, h -> show(h, null));
    }

    /** Saves the file's text as a new version; refuses while the editor has edits not written to the file. */
    public void save(String versionMessage) {
        Path f = file.get();
        if (f == null) {
            message.set("Save the policy to a file first (File ▸ Save as…); only files have versions.");
            return;
        }
        if (editorDirty.getAsBoolean()) {
            message.set("The editor has unsaved edits: save the file (File ▸ Save) before saving a version.");
            return;
        }
        run("Save version of " + f.getFileName(), () -> {
            try (Workspace ws = Workspace.open(Workspace.locate(f, null))) {
                SaveResult r = ws.save(f, versionMessage);
                return new Saved(r, new History(ws.root().toString(), ws.history(f)));
            }
        }, s -> show(s.history(), s.result().created()
                ? "Saved " + s.result().version().label() + " (" + s.result().version().shortId() + ")"
                : "Nothing to save: the file equals " + s.result().version().label()));
    }

    /**
     * Writes the selected version back into the file, saves that as a new version, and reloads the editor. The view
     * asks for confirmation first; unsaved edits in the editor are never overwritten.
     */
    public void restoreSelected() {
        Path f = file.get();
        PolicyVersion v = selected.get();
        if (f == null || v == null) {
            message.set("Select a version to restore.");
            return;
        }
        if (editorDirty.getAsBoolean()) {
            message.set("The editor has unsaved edits: save or undo them before restoring " + v.label() + ".");
            return;
        }
        run("Restore " + v.label(), () -> {
            try (Workspace ws = Workspace.open(Workspace.locate(f, null))) {
                if (java.nio.file.Files.exists(f) && ws.hasUnsavedChanges(f)) {
                    // Said here in the GUI's words; the workspace's own refusal names command-line options.
                    throw new org.rsafe.util.UserException(f.getFileName() + " has changes that were never saved as a "
                            + "version: use Save version… first, so restoring " + v.label() + " loses nothing");
                }
                RestoreResult r = ws.restore(f, v.commitId(), RestoreOptions.DEFAULT);
                return new Restored(r, new History(ws.root().toString(), ws.history(f)));
            }
        }, r -> {
            show(r.history(), "Restored " + r.result().restored().label()
                    + r.result().newVersion().map(n -> " as " + n.label()).orElse(""));
            reloadEditor.accept(f);
        });
    }

    /** Asks for the selected version to be compared with the file's current text. */
    public void compareSelectedWithCurrent() {
        Path f = file.get();
        PolicyVersion v = selected.get();
        if (f == null || v == null) {
            message.set("Select a version to compare.");
            return;
        }
        onCompare.accept(CompareSide.saved(f, v));
    }

    private void show(History h, String note) {
        PolicyVersion keep = selected.get();
        versions.setAll(h.versions());
        workspaceRoot.set(h.root());
        selected.set(keep == null ? null : h.versions().stream()
                .filter(v -> v.commitId().equals(keep.commitId())).findFirst().orElse(null));
        message.set(note != null ? note : h.versions().isEmpty() ? "No saved versions yet: use Save version…" : "");
    }

    private <T> void run(String title, Work<T> work, Consumer<T> onDone) {
        busy.set(true);
        executor.execute(BackgroundTask.of(title, (progress, cancel) -> work.call())
                .onSuccess(onDone)
                .onFailure(e -> message.set(title + " failed: " + PolicyEditorViewModel.describe(e)))
                .onFinished(() -> busy.set(false)));
    }

    @FunctionalInterface
    private interface Work<T> {
        T call() throws Exception;
    }

    private record History(String root, List<PolicyVersion> versions) { }

    private record Saved(SaveResult result, History history) { }

    private record Restored(RestoreResult result, History history) { }

    // ---- accessors ------------------------------------------------------------------------------------

    /** Saved versions, newest first. */
    public ObservableList<PolicyVersion> versions() {
        return versionsReadOnly;
    }

    public ObjectProperty<PolicyVersion> selectedProperty() {
        return selected;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** The workspace folder holding the history, or empty when the file is in none yet. */
    public ReadOnlyStringProperty workspaceRootProperty() {
        return workspaceRoot.getReadOnlyProperty();
    }

    public BooleanBinding hasFileBinding() {
        return hasFile;
    }

    public ReadOnlyObjectProperty<Path> fileProperty() {
        return file;
    }
}
