package org.rsafe.ui.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rsafe.app.DecodingPreset;
import org.rsafe.app.EngineKind;
import org.rsafe.app.EngineSpec;
import org.rsafe.app.Engines;
import org.rsafe.app.Judging;
import org.rsafe.app.RunSource;
import org.rsafe.engine.Engine;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.engine.remote.ServerKind;
import org.rsafe.policy.Policy;
import org.rsafe.prompt.PromptRenderer;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.trace.Judgement;
import org.rsafe.ui.freshness.ResultFreshness;
import org.rsafe.ui.task.BackgroundTask;
import org.rsafe.ui.task.TaskExecutor;
import org.rsafe.ui.task.TaskHandle;
import org.rsafe.ui.task.UiThrottle;

/**
 * State of the test bench: the input to judge, the engine (an {@link EngineChoice}) and template chosen, the models
 * the chosen remote server lists, and the run in progress.
 * Runs go through the {@link TaskExecutor}; streamed output reaches the UI at most every 50 ms.
 */
public final class TestBenchViewModel {
    private static final Duration STREAM_INTERVAL = Duration.ofMillis(50);

    public enum State { IDLE, RUNNING, CANCELLING, DONE, CANCELLED, FAILED }

    /** Shown while the local LLM is chosen without a model folder. */
    public static final String CHOOSE_MODEL_FOLDER = EngineChoice.CHOOSE_MODEL_FOLDER;

    private final TaskExecutor executor;
    private final EngineChoice choice;
    private final ReadOnlyObjectProperty<Policy> policy;
    private final ReadOnlyBooleanProperty policyUsable;

    private final StringProperty prompt = new SimpleStringProperty(this, "prompt", "");
    private final StringProperty response = new SimpleStringProperty(this, "response", "");
    private final ObjectProperty<TemplateKind> template = new SimpleObjectProperty<>(this, "template", TemplateKind.PAPER);

    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.IDLE);
    private final ReadOnlyObjectWrapper<BenchResult> result = new ReadOnlyObjectWrapper<>(this, "result");
    private final ReadOnlyStringWrapper liveOutput = new ReadOnlyStringWrapper(this, "liveOutput", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final StringBinding runBlockedReason;
    private final BooleanBinding canRun;
    private final ResultFreshness freshness;

    private final Function<EngineSpec, List<String>> modelLister;
    private final ObservableList<String> remoteModels = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper remoteModelsMessage = new ReadOnlyStringWrapper(this, "remoteModelsMessage", "");
    private final ReadOnlyObjectWrapper<Boolean> listingModels = new ReadOnlyObjectWrapper<>(this, "listingModels", false);

    private TaskHandle running = TaskHandle.DONE;
    private long runSerial;
    private long listSerial;

    /**
     * @param choice the engine the bench judges with; the application shares it with the other tabs that judge
     */
    public TestBenchViewModel(TaskExecutor executor, EngineChoice choice,
                              ReadOnlyObjectProperty<Policy> policy, ReadOnlyBooleanProperty policyUsable) {
        this(executor, choice, policy, policyUsable, Engines::remoteModelIds);
    }

    /**
     * @param modelLister the models a remote server lists ({@link Engines#remoteModelIds} in the application); runs
     *                    on the executor, never on the UI thread
     */
    public TestBenchViewModel(TaskExecutor executor, EngineChoice choice,
                              ReadOnlyObjectProperty<Policy> policy, ReadOnlyBooleanProperty policyUsable,
                              Function<EngineSpec, List<String>> modelLister) {
        this.executor = Objects.requireNonNull(executor);
        this.modelLister = Objects.requireNonNull(modelLister);
        this.choice = Objects.requireNonNull(choice);
        this.policy = policy;
        this.policyUsable = policyUsable;
        runBlockedReason = Bindings.createStringBinding(this::computeBlockedReason,
                prompt, response, state, policy, policyUsable, choice.blockedReasonBinding());
        canRun = Bindings.createBooleanBinding(() -> runBlockedReason.get().isEmpty(), runBlockedReason);
        freshness = new ResultFreshness(Bindings.createObjectBinding(this::currentSource,
                policy, policyUsable, choice.summaryBinding(), template, prompt, response));
        // A listing belongs to the server it came from: another address drops it and any answer still on its way.
        choice.endpointProperty().addListener((obs, old, now) -> {
            listSerial++;
            listingModels.set(false);
            remoteModels.clear();
            remoteModelsMessage.set("");
        });
    }

    private String computeBlockedReason() {
        if (state.get() == State.RUNNING || state.get() == State.CANCELLING) {
            return "A judgement is running.";
        }
        if (policy.get() == null || !policyUsable.get()) {
            return "The policy has errors; fix them (see Problems) to judge with it.";
        }
        if (!Judging.problem(prompt.get(), response.get()).isEmpty()) {
            // The same rule as the CLI's check: a response may be judged without its prompt.
            return "Type a prompt to judge.";
        }
        return choice.blockedReasonBinding().get();
    }

    /** What a run started now would be judged with: the policy text, the engine choice, the template and input. */
    private RunSource currentSource() {
        Policy p = policy.get();
        String policyKey = p == null || !policyUsable.get() ? "" : p.sha256();
        return RunSource.of(policyKey, choice.summaryBinding().get(),
                template.get() + "\u0000" + prompt.get() + "\u0000" + response.get(), "input");
    }

    // ---- properties -------------------------------------------------------------------------------

    private org.rsafe.ui.editor.PolicyEditorViewModel.ExampleSink examples = (id, violating, text) -> false;

    /** Where "Add as example" sends the input (the policy editor). */
    public void setExampleSink(org.rsafe.ui.editor.PolicyEditorViewModel.ExampleSink sink) {
        examples = java.util.Objects.requireNonNull(sink);
    }

    /** The clauses of the current policy, for "Add as example of clause…". */
    public java.util.List<String> clauseIds() {
        Policy p = policy.get();
        return p == null ? java.util.List.of() : p.clauses().stream().map(org.rsafe.policy.Clause::id).toList();
    }

    /**
     * Teach from a mistake: adds the input (the response when there is one, else the prompt: what was judged) as a
     * violating or safe example of {@code clauseId} in the policy editor; the bench then judges it again with the
     * edited policy once the editor has checked it.
     */
    public boolean addAsExample(String clauseId, boolean violating) {
        String judged = response.get() == null || response.get().isBlank() ? prompt.get() : response.get();
        return examples.addExample(clauseId, violating, judged);
    }

    public StringProperty promptProperty() {
        return prompt;
    }

    public StringProperty responseProperty() {
        return response;
    }

    /** The engine choice the bench edits (shared with the batch, compare and export tabs). */
    public EngineChoice engineChoice() {
        return choice;
    }

    public ObjectProperty<TemplateKind> templateProperty() {
        return template;
    }

    /** The model ids the remote server listed at the last successful {@link #refreshRemoteModels()}. */
    public ObservableList<String> remoteModels() {
        return FXCollections.unmodifiableObservableList(remoteModels);
    }

    /** What the last model listing found or why it failed, in one line; empty before the first. */
    public ReadOnlyStringProperty remoteModelsMessageProperty() {
        return remoteModelsMessage.getReadOnlyProperty();
    }

    /** Whether the server is being asked for its models. */
    public ReadOnlyObjectProperty<Boolean> listingModelsProperty() {
        return listingModels.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<BenchResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** Engine output as it is generated (LLM engines stream it; the quick engine delivers it at the end). */
    public ReadOnlyStringProperty liveOutputProperty() {
        return liveOutput.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Why Run is disabled, in words; empty when a run can start. */
    public StringBinding runBlockedReasonBinding() {
        return runBlockedReason;
    }

    public BooleanBinding canRunBinding() {
        return canRun;
    }

    /** Whether the shown judgement still belongs to the policy, engine and input on screen. */
    public ResultFreshness freshness() {
        return freshness;
    }

    public boolean isRunning() {
        return state.get() == State.RUNNING || state.get() == State.CANCELLING;
    }

    // ---- actions ----------------------------------------------------------------------------------

    /** Loads an input (e.g. a batch row) into the fields and judges it. */
    public void judge(String promptText, String responseText) {
        prompt.set(promptText == null ? "" : promptText);
        response.set(responseText == null ? "" : responseText);
        run();
    }

    /** Starts judging the current input; does nothing (the reason is shown) when a run cannot start. */
    public void run() {
        if (!canRun.get()) {
            error.set(runBlockedReason.get());
            return;
        }
        Policy p = policy.get();
        RunSource source = freshness.now();
        JudgeRequest request = new JudgeRequest("bench", p, prompt.get(), response.get(), template.get());
        error.set("");
        liveOutput.set("");
        // Set before the engine is obtained: a local model opens on first use (seconds to minutes for a real
        // checkpoint), and a second Run must not slip in meanwhile.
        state.set(State.RUNNING);
        running = choice.start(engine -> judgeWith(engine, p, request, source),
                () -> state.set(State.CANCELLED),
                message -> {
                    error.set(message);
                    state.set(State.FAILED);
                });
    }

    private TaskHandle judgeWith(Engine engine, Policy p, JudgeRequest request, RunSource source) {
        long serial = ++runSerial;
        liveOutput.set("");
        UiThrottle<String> stream = UiThrottle.appending(executor, STREAM_INTERVAL, chunk -> {
            if (serial == runSerial) {
                liveOutput.set(liveOutput.get() + chunk);
            }
        });
        JudgeListener listener = new JudgeListener() {
            @Override
            public void onToken(String requestId, String text) {
                stream.offer(text);
            }
        };
        return executor.execute(BackgroundTask.of("Judge", (progress, cancel) -> {
            Judgement j = Judging.judge(engine, request, listener, cancel);
            boolean sent = !j.renderedPrompt().isEmpty();
            String guardPrompt = sent ? j.renderedPrompt()
                    : PromptRenderer.render(p, request.template(), request.prompt(), request.response());
            return new BenchResult(j, p, guardPrompt, sent);
        }).onSuccess(r -> {
                    stream.flushNow();
                    freshness.ran(source);
                    result.set(r);
                    state.set(State.DONE);
                    // After DONE, so the view shows the final output from its start rather than following its end.
                    liveOutput.set(r.judgement().rawOutput());
                })
                .onCancelled(() -> state.set(State.CANCELLED))
                .onFailure(e -> {
                    error.set("The judgement failed: " + org.rsafe.ui.editor.PolicyEditorViewModel.describe(e));
                    state.set(State.FAILED);
                }));
    }

    /**
     * Asks the chosen remote server for its models ({@code GET {endpoint}/models}) in the background and fills
     * {@link #remoteModels()}; picks the first when no model is chosen yet. Without a usable address, or when the
     * server cannot be reached, the reason is the message and the list stays as it was. An answer that comes after a
     * newer request, or after the address changed, is dropped.
     */
    public void refreshRemoteModels() {
        if (choice.engineKindProperty().get() != EngineKind.REMOTE) {
            return;
        }
        EngineSpec server = choice.serverSpec().orElse(null);
        long serial = ++listSerial;
        if (server == null) {
            remoteModelsMessage.set(EngineSpec.remote(choice.endpointProperty().get()).problem()
                    .orElse(EngineChoice.GIVE_ENDPOINT));
            listingModels.set(false);
            return;
        }
        // Set before the task starts: an executor may run the whole task before execute() returns.
        listingModels.set(true);
        remoteModelsMessage.set("Asking the server for its models…");
        executor.execute(BackgroundTask.of("List the server's models", (progress, cancel) -> modelLister.apply(server))
                .onSuccess(ids -> {
                    if (serial != listSerial) {
                        return;
                    }
                    listingModels.set(false);
                    remoteModels.setAll(ids);
                    String chosen = choice.remoteModelProperty().get();
                    if ((chosen == null || chosen.isBlank()) && !ids.isEmpty()) {
                        choice.remoteModelProperty().set(ids.get(0));
                    }
                    remoteModelsMessage.set(ids.isEmpty() ? "The server lists no models; type the model name."
                            : ids.size() == 1 ? "The server serves 1 model." : "The server serves " + ids.size() + " models.");
                })
                .onFailure(e -> {
                    if (serial != listSerial) {
                        return;
                    }
                    listingModels.set(false);
                    remoteModelsMessage.set("Could not list the models: "
                            + org.rsafe.ui.editor.PolicyEditorViewModel.describe(e));
                }));
    }

    public void cancel() {
        if (isRunning()) {
            state.set(State.CANCELLING);
            running.cancel();
        }
    }
}
