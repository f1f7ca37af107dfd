package org.rsafe.ui.editor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyEditor;
import org.rsafe.policy.PolicyLoadResult;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.ui.task.BackgroundTask;
import org.rsafe.ui.task.TaskExecutor;
import org.rsafe.ui.task.TaskHandle;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.Diagnostic;

/**
 * State of the policy editor: the text, the file it belongs to, whether it has unsaved edits, and the
 * findings of the last check. Edits are checked after a short pause in typing, off the UI thread; a result
 * that arrives after newer edits is dropped, so the marks always belong to the text on screen.
 */
public final class PolicyEditorViewModel {
    /** How long typing must pause before the policy is checked again. */
    public static final Duration LINT_DELAY = Duration.ofMillis(300);
    public static final String UNTITLED = "untitled.yaml";

    /** Whether the last check of the current text has come back yet. */
    public enum State { CHECKING, CHECKED }

    /** A request to show a line; {@code serial} makes two jumps to the same line two events. */
    public record JumpRequest(int line, long serial) { }

    /**
     * Text inserted at {@code offset} by a command (not by typing): the view applies it as one undoable change and
     * selects it; {@code serial} makes two equal edits two events.
     */
    public record TextEdit(int offset, String inserted, int line, long serial) { }

    /** Takes an example for a clause: where the test bench and the batch results send "Add as example". */
    @FunctionalInterface
    public interface ExampleSink {
        /** Adds {@code text} as a violating or safe example of {@code clauseId}; false (with a message) when it cannot. */
        boolean addExample(String clauseId, boolean violating, String text);
    }

    private final TaskExecutor executor;
    private final BiFunction<String, String, PolicyLoadResult> checker;

    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final ReadOnlyObjectWrapper<Path> file = new ReadOnlyObjectWrapper<>(this, "file");
    private final ReadOnlyStringWrapper savedText = new ReadOnlyStringWrapper(this, "savedText", "");
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper(this, "dirty");
    private final javafx.beans.property.BooleanProperty softWrap =
            new javafx.beans.property.SimpleBooleanProperty(this, "softWrap", true);
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.CHECKED);
    private final ReadOnlyObjectWrapper<Policy> policy = new ReadOnlyObjectWrapper<>(this, "policy");
    private final ReadOnlyBooleanWrapper policyUsable = new ReadOnlyBooleanWrapper(this, "policyUsable");
    private final ObservableList<Diagnostic> problems = FXCollections.observableArrayList();
    // One read-only view, kept: listeners on a view that is re-created per call would be lost to GC.
    private final ObservableList<Diagnostic> problemsReadOnly = FXCollections.unmodifiableObservableList(problems);
    private final ReadOnlyObjectWrapper<LintMarks> marks = new ReadOnlyObjectWrapper<>(this, "marks", LintMarks.empty());
    private final ReadOnlyObjectWrapper<OutlineItem> outline = new ReadOnlyObjectWrapper<>(this, "outline");
    private final ReadOnlyObjectWrapper<Map<String, LineRange>> clauseLines =
            new ReadOnlyObjectWrapper<>(this, "clauseLines", Map.of());
    private final ObjectProperty<Set<String>> highlightedClauses = new SimpleObjectProperty<>(this, "highlightedClauses", Set.of());
    private final ObjectProperty<String> selectedClause = new SimpleObjectProperty<>(this, "selectedClause");
    private final ReadOnlyObjectWrapper<JumpRequest> jump = new ReadOnlyObjectWrapper<>(this, "jump");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyObjectWrapper<TextEdit> edit = new ReadOnlyObjectWrapper<>(this, "edit");
    private long editSerial;

    private long textVersion;
    private long jumpSerial;
    private TaskHandle pendingCheck = TaskHandle.DONE;

    public PolicyEditorViewModel(TaskExecutor executor, BiFunction<String, String, PolicyLoadResult> checker) {
        this.executor = Objects.requireNonNull(executor);
        this.checker = Objects.requireNonNull(checker);
        dirty.bind(Bindings.createBooleanBinding(() -> !text.get().equals(savedText.get()), text, savedText));
        text.addListener((obs, old, now) -> {
            textVersion++;
            scheduleCheck();
        });
    }

    // ---- properties -------------------------------------------------------------------------------

    public StringProperty textProperty() {
        return text;
    }

    public String getText() {
        return text.get();
    }

    public ReadOnlyObjectProperty<Path> fileProperty() {
        return file.getReadOnlyProperty();
    }

    public Path getFile() {
        return file.get();
    }

    /**
     * Whether the editor wraps long lines at its width (on by default: policy descriptions and examples are long
     * scalars, and a line that runs off to the right hides the rest of the policy).
     */
    public javafx.beans.property.BooleanProperty softWrapProperty() {
        return softWrap;
    }

    /** The text as last opened or saved (what the file holds, as far as the editor knows). */
    public ReadOnlyStringProperty savedTextProperty() {
        return savedText.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty.getReadOnlyProperty();
    }

    public boolean isDirty() {
        return dirty.get();
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** The policy parsed from the text at the last check (null when the YAML could not be read). */
    public ReadOnlyObjectProperty<Policy> policyProperty() {
        return policy.getReadOnlyProperty();
    }

    /** True when the last check found a policy and no errors: only then can it be judged with. */
    public ReadOnlyBooleanProperty policyUsableProperty() {
        return policyUsable.getReadOnlyProperty();
    }

    public ObservableList<Diagnostic> problems() {
        return problemsReadOnly;
    }

    public ReadOnlyObjectProperty<LintMarks> marksProperty() {
        return marks.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<OutlineItem> outlineProperty() {
        return outline.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Map<String, LineRange>> clauseLinesProperty() {
        return clauseLines.getReadOnlyProperty();
    }

    /** Clauses whose lines the editor paints (those cited by the selected trace step). */
    public ObjectProperty<Set<String>> highlightedClausesProperty() {
        return highlightedClauses;
    }

    /** The clause chosen in the outline; the trace marks the steps citing it. */
    public ObjectProperty<String> selectedClauseProperty() {
        return selectedClause;
    }

    public ReadOnlyObjectProperty<JumpRequest> jumpProperty() {
        return jump.getReadOnlyProperty();
    }

    /** The latest file problem (cannot read, cannot save) in words; empty when none. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public String fileName() {
        Path f = file.get();
        return f == null ? UNTITLED : f.getFileName().toString();
    }

    /** The window title part: file name with a star while there are unsaved edits. */
    public StringBinding titleBinding() {
        return Bindings.createStringBinding(() -> (dirty.get() ? "*" : "") + fileName(), file, dirty);
    }

    public BooleanBinding hasErrorsBinding() {
        return Bindings.createBooleanBinding(() -> problems.stream().anyMatch(Diagnostic::isError), problems);
    }

    public long errorCount() {
        return problems.stream().filter(Diagnostic::isError).count();
    }

    // ---- actions ----------------------------------------------------------------------------------

    /** Replaces the editor content with a loaded file's text; the file becomes the save target. */
    public void showLoaded(Path path, String content) {
        file.set(path);
        savedText.set(content);
        text.set(content);
        message.set("");
        checkNow();
    }

    /** Replaces the content with recovered text that was never saved to {@code original} (may be null). */
    public void showRecovered(Path original, String content) {
        file.set(original);
        String onDisk = "";
        if (original != null) {
            try {
                onDisk = Files.readString(original, StandardCharsets.UTF_8);
            } catch (java.io.IOException | RuntimeException e) {
                onDisk = "";
            }
        }
        savedText.set(onDisk);
        text.set(content);
        checkNow();
    }

    /** Reads a policy file off the UI thread, then shows it; a file that cannot be read leaves the editor as it was. */
    public void open(Path path, Runnable onOpened) {
        executor.execute(BackgroundTask.of("Open " + path.getFileName(), (progress, cancel) -> readText(path))
                .onSuccess(content -> {
                    showLoaded(path, content);
                    onOpened.run();
                })
                .onFailure(e -> message.set("Cannot open " + path + ": " + describe(e))));
    }

    /** Writes the text atomically to {@code target}; {@code onSaved} runs on success. */
    public void saveTo(Path target, Runnable onSaved) {
        String snapshot = text.get();
        executor.execute(BackgroundTask.of("Save " + target.getFileName(), (progress, cancel) -> {
            AtomicFiles.writeString(target, snapshot);
            return target;
        }).onSuccess(saved -> {
            file.set(saved);
            savedText.set(snapshot);
            message.set("");
            onSaved.run();
            checkNow();
        }).onFailure(e -> message.set("Cannot save " + target + ": " + describe(e))));
    }

    /** The last inserted text, for the view to apply as an undoable change. */
    public ReadOnlyObjectProperty<TextEdit> editProperty() {
        return edit.getReadOnlyProperty();
    }

    /**
     * Teach from a mistake: adds {@code example} to clause {@code clauseId}'s violating or safe list in the text being
     * edited ({@link PolicyEditor#addExample}), as one undoable change that the editor selects; the usual check (lint,
     * the examples check) follows. A text that does not load, an unknown clause or a blank example leaves the text
     * alone and sets the message.
     */
    public boolean addExample(String clauseId, boolean violating, String example) {
        PolicyLoadResult loaded = PolicyLoader.parse(fileName(), text.get());
        if (loaded.policy() == null) {
            message.set("The policy text does not load; fix it before adding an example.");
            return false;
        }
        PolicyEditor.Insertion ins;
        try {
            ins = PolicyEditor.addExample(loaded.policy(), clauseId, violating, example);
        } catch (org.rsafe.util.UserException e) {
            message.set("Cannot add the example: " + String.join("; ", e.lines()));
            return false;
        }
        jumpTo(ins.line());
        edit.set(new TextEdit(ins.offset(), ins.inserted(), ins.line(), ++editSerial));
        if (!text.get().equals(ins.text())) {
            text.set(ins.text());   // no view applied the edit (headless use)
        }
        return true;
    }

    /** Asks the editor to scroll to and put the caret on 1-based {@code line}. */
    public void jumpTo(int line) {
        if (line > 0) {
            jump.set(new JumpRequest(line, ++jumpSerial));
        }
    }

    public void clearMessage() {
        message.set("");
    }

    /** Checks the current text at once (skipping the typing pause). */
    public void checkNow() {
        pendingCheck.cancel();
        startCheck();
    }

    private void scheduleCheck() {
        state.set(State.CHECKING);
        pendingCheck.cancel();
        pendingCheck = executor.schedule(LINT_DELAY, this::startCheck);
    }

    private void startCheck() {
        long version = textVersion;
        String snapshot = text.get();
        String name = fileName();
        state.set(State.CHECKING);
        executor.execute(BackgroundTask.of("Check policy", (progress, cancel) -> {
            PolicyLoadResult result = checker.apply(name, snapshot);
            return new Checked(result, LintMarks.of(snapshot, result.diagnostics()),
                    result.policy() == null ? Map.of() : ClauseLines.of(result.policy(), snapshot));
        }).onSuccess(checked -> {
            if (version != textVersion) {
                return;     // the text changed meanwhile; a newer check is on its way
            }
            apply(checked);
        }).onFailure(e -> {
            if (version == textVersion) {
                // A checker bug must not leave stale marks that look current.
                problems.setAll(List.of(Diagnostic.error(name, null, "internal", "the policy could not be checked: " + e)));
                state.set(State.CHECKED);
            }
        }));
    }

    private record Checked(PolicyLoadResult result, LintMarks marks, Map<String, LineRange> clauseLines) { }

    private void apply(Checked checked) {
        PolicyLoadResult r = checked.result;
        problems.setAll(r.diagnostics());
        marks.set(checked.marks);
        if (r.policy() != null) {
            policy.set(r.policy());
            outline.set(PolicyOutline.of(r.policy(), r.diagnostics()));
            clauseLines.set(checked.clauseLines);
        } else {
            policy.set(null);
        }
        policyUsable.set(r.ok());
        state.set(State.CHECKED);
    }

    static String readText(Path path) throws java.io.IOException {
        if (!Files.exists(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString());
        }
        byte[] bytes = Files.readAllBytes(path);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new java.io.IOException("the file is not UTF-8 text", e);
        }
    }

    /** A short reason for a file error, without a stack trace. */
    public static String describe(Throwable e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof org.rsafe.util.UserException ue) {
            return String.join("; ", ue.lines());
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
