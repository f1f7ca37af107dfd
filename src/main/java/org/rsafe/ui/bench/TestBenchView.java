package org.rsafe.ui.bench;

import java.io.File;
import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.stage.DirectoryChooser;
import org.rsafe.app.DecodingPreset;
import org.rsafe.app.EngineKind;
import org.rsafe.engine.remote.ServerKind;
import org.rsafe.prompt.TemplateKind;

/** The test bench form: binds the input fields, pickers and Run/Cancel to {@link TestBenchViewModel}. */
public final class TestBenchView {
    private final TestBenchViewModel vm;

    @FXML private TextArea promptArea;
    @FXML private TextArea responseArea;
    @FXML private ComboBox<EngineKind> engineBox;
    @FXML private ComboBox<TemplateKind> templateBox;
    @FXML private Button runButton;
    @FXML private Button cancelButton;
    @FXML private Label modelLabel;
    @FXML private javafx.scene.layout.VBox llmRow;
    @FXML private HBox localModelRow;
    @FXML private TextField modelFolderField;
    @FXML private HBox serverRow;
    @FXML private TextField endpointField;
    @FXML private TextField apiKeyEnvField;
    @FXML private ComboBox<ServerKind> serverKindBox;
    @FXML private HBox remoteModelRow;
    @FXML private ComboBox<String> remoteModelBox;
    @FXML private Button refreshModelsButton;
    @FXML private Label remoteModelsLabel;
    @FXML private Label deviceLabel;
    @FXML private Button adapterButton;
    @FXML private Button clearAdapterButton;
    @FXML private ComboBox<String> deviceBox;
    @FXML private ComboBox<DecodingPreset> decodingBox;
    @FXML private Spinner<Integer> maxTokensSpinner;
    @FXML private Label blockedLabel;
    @FXML private Label errorLabel;

    public TestBenchView(TestBenchViewModel vm) {
        this.vm = vm;
    }

    @FXML
    private void initialize() {
        promptArea.textProperty().bindBidirectional(vm.promptProperty());
        responseArea.textProperty().bindBidirectional(vm.responseProperty());

        engineBox.setItems(FXCollections.observableArrayList(EngineKind.inGui()));
        engineBox.valueProperty().bindBidirectional(vm.engineChoice().engineKindProperty());
        templateBox.setItems(FXCollections.observableArrayList(TemplateKind.values()));
        templateBox.valueProperty().bindBidirectional(vm.templateProperty());
        templateBox.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(TemplateKind k) {
                return k == null ? "" : k.cliName();
            }

            @Override
            public TemplateKind fromString(String s) {
                return TemplateKind.valueOf(s.toUpperCase(java.util.Locale.ROOT));
            }
        });

        var llm = Bindings.equal(EngineKind.LOCAL_LLM, vm.engineChoice().engineKindProperty());
        var remote = Bindings.equal(EngineKind.REMOTE, vm.engineChoice().engineKindProperty());
        var settings = llm.or(remote);
        llmRow.visibleProperty().bind(settings);
        llmRow.managedProperty().bind(settings);
        modelLabel.visibleProperty().bind(settings);
        modelLabel.managedProperty().bind(settings);
        modelLabel.textProperty().bind(Bindings.when(remote).then("Server").otherwise("Model"));
        for (javafx.scene.Node localOnly : new javafx.scene.Node[] {localModelRow, deviceLabel, deviceBox}) {
            localOnly.visibleProperty().bind(llm);
            localOnly.managedProperty().bind(llm);
        }
        for (javafx.scene.Node remoteOnly : new javafx.scene.Node[] {serverRow, remoteModelRow}) {
            remoteOnly.visibleProperty().bind(remote);
            remoteOnly.managedProperty().bind(remote);
        }
        bindRemote();
        modelFolderField.textProperty().bind(Bindings.createStringBinding(
                () -> vm.engineChoice().modelFolderProperty().get() == null ? "" : vm.engineChoice().modelFolderProperty().get().toString(),
                vm.engineChoice().modelFolderProperty()));
        adapterButton.textProperty().bind(Bindings.createStringBinding(() -> vm.engineChoice().adapterFolderProperty().get() == null
                ? "Adapter…" : "Adapter: " + vm.engineChoice().adapterFolderProperty().get().getFileName(), vm.engineChoice().adapterFolderProperty()));
        adapterButton.setTooltip(new Tooltip("Optional LoRA adapter folder (PEFT layout, e.g. the output of "
                + "rsafe train grpo), applied to the model when it opens"));
        clearAdapterButton.visibleProperty().bind(vm.engineChoice().adapterFolderProperty().isNotNull());
        clearAdapterButton.managedProperty().bind(vm.engineChoice().adapterFolderProperty().isNotNull());
        clearAdapterButton.setTooltip(new Tooltip("Use the model without the adapter"));
                deviceBox.setItems(FXCollections.observableArrayList("cpu", "gpu", "auto"));
        deviceBox.valueProperty().bindBidirectional(vm.engineChoice().deviceProperty());
        decodingBox.setItems(FXCollections.observableArrayList(DecodingPreset.values()));
        decodingBox.valueProperty().bindBidirectional(vm.engineChoice().decodingProperty());
        maxTokensSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(16, 4096,
                vm.engineChoice().maxCompletionLengthProperty().get(), 64));
        maxTokensSpinner.getValueFactory().valueProperty().bindBidirectional(vm.engineChoice().maxCompletionLengthProperty());
        maxTokensSpinner.setTooltip(new Tooltip("max_completion_length: the longest reasoning + answer to generate"));

        runButton.setText("Run  (" + org.rsafe.ui.style.Shortcut.RUN.display() + ")");
        runButton.disableProperty().bind(vm.canRunBinding().not());
        Tooltip runTip = new Tooltip();
        runTip.textProperty().bind(Bindings.createStringBinding(() -> vm.canRunBinding().get()
                ? "Judge the prompt with the current policy" : vm.runBlockedReasonBinding().get(), vm.runBlockedReasonBinding()));
        runButton.setTooltip(runTip);
        // A disabled button shows no tooltip, so the reason is also written under the form.
        blockedLabel.textProperty().bind(Bindings.createStringBinding(() -> vm.isRunning() ? "" : vm.runBlockedReasonBinding().get(),
                vm.runBlockedReasonBinding(), vm.stateProperty()));
        cancelButton.disableProperty().bind(Bindings.createBooleanBinding(
                () -> vm.stateProperty().get() != TestBenchViewModel.State.RUNNING, vm.stateProperty()));
        errorLabel.textProperty().bind(vm.errorProperty());
        errorLabel.managedProperty().bind(vm.errorProperty().isNotEmpty());
        addTeachMenu();
    }

    /**
     * "Add as example": the input becomes a safe or violating example of a chosen clause in the policy editor (teach
     * from a mistake); the menu lists the current policy's clauses each time it opens.
     */
    private void addTeachMenu() {
        javafx.scene.control.MenuButton teach = new javafx.scene.control.MenuButton("Teach");
        teach.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        teach.setTooltip(new Tooltip("Add as example: this input becomes a safe or violating example of a clause in the policy"));
        teach.disableProperty().bind(vm.promptProperty().isEmpty().and(vm.responseProperty().isEmpty()));
        teach.setOnShowing(e -> teachItems(teach.getItems(), vm.clauseIds(), vm::addAsExample));
        if (runButton.getParent() instanceof javafx.scene.layout.Pane box) {
            box.getChildren().add(box.getChildren().indexOf(cancelButton) + 1, teach);
        }
    }

    /** One "Safe example of C" and one "Violating example of C" item per clause. */
    public static void teachItems(java.util.List<javafx.scene.control.MenuItem> items, java.util.List<String> clauseIds,
                                  java.util.function.BiConsumer<String, Boolean> add) {
        items.clear();
        if (clauseIds.isEmpty()) {
            javafx.scene.control.MenuItem none = new javafx.scene.control.MenuItem("The policy has no clauses yet");
            none.setDisable(true);
            items.add(none);
            return;
        }
        for (String id : clauseIds) {
            javafx.scene.control.MenuItem safe = new javafx.scene.control.MenuItem("Safe example of " + id);
            safe.setOnAction(e -> add.accept(id, false));
            javafx.scene.control.MenuItem violating = new javafx.scene.control.MenuItem("Violating example of " + id);
            violating.setOnAction(e -> add.accept(id, true));
            items.add(safe);
            items.add(violating);
        }
    }

    private void bindRemote() {
        endpointField.textProperty().bindBidirectional(vm.engineChoice().endpointProperty());
        endpointField.setTooltip(new Tooltip("The server's OpenAI API base URL (vLLM, SGLang, Ollama's /v1, the "
                + "llama.cpp server); leaving the field lists its models"));
        // Leaving the address field asks the server for its models, as Refresh does.
        endpointField.focusedProperty().addListener((obs, was, now) -> {
            if (was && !now && !endpointField.getText().isBlank()) {
                vm.refreshRemoteModels();
            }
        });
        apiKeyEnvField.textProperty().bindBidirectional(vm.engineChoice().apiKeyEnvProperty());
        apiKeyEnvField.setTooltip(new Tooltip("The NAME of the environment variable that holds the API key, never the "
                + "key itself: it is read when the engine opens and is not stored anywhere"));
        serverKindBox.setItems(FXCollections.observableArrayList(ServerKind.values()));
        serverKindBox.valueProperty().bindBidirectional(vm.engineChoice().serverKindProperty());
        serverKindBox.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(ServerKind k) {
                return k == null ? "" : k == ServerKind.AUTO ? "auto (detect)" : k.label();
            }

            @Override
            public ServerKind fromString(String s) {
                for (ServerKind k : ServerKind.values()) {
                    if (toString(k).equals(s)) {
                        return k;
                    }
                }
                return ServerKind.parse(s);
            }
        });
        serverKindBox.setTooltip(new Tooltip("Which server it is, for the request fields it takes; auto detects it "
                + "from the model list when the engine opens"));
        remoteModelBox.setItems(vm.remoteModels());
        remoteModelBox.valueProperty().bindBidirectional(vm.engineChoice().remoteModelProperty());
        remoteModelBox.setPromptText("model name");
        remoteModelBox.setTooltip(new Tooltip("The model to request, as the server lists it at GET /models"));
        refreshModelsButton.setTooltip(new Tooltip("Ask the server for the models it serves"));
        refreshModelsButton.disableProperty().bind(Bindings.createBooleanBinding(
                () -> Boolean.TRUE.equals(vm.listingModelsProperty().get()), vm.listingModelsProperty()));
        remoteModelsLabel.textProperty().bind(vm.remoteModelsMessageProperty());
    }

    @FXML
    private void refreshModels() {
        vm.refreshRemoteModels();
    }

    @FXML
    public void run() {
        vm.run();
    }

    @FXML
    public void cancel() {
        vm.cancel();
    }

    @FXML
    private void chooseModelFolder() {
        chooseFolder("Choose a model folder", vm.engineChoice().modelFolderProperty());
    }

    /** A GGUF model file: llama.cpp runs it in a child process (the engine choice keeps it as its model path). */
    @FXML
    private void chooseGgufFile() {
        javafx.stage.FileChooser chooser = new javafx.stage.FileChooser();
        chooser.setTitle("Choose a GGUF model file (rsafe model convert DIR --to gguf writes one)");
        chooser.getExtensionFilters().add(new javafx.stage.FileChooser.ExtensionFilter("GGUF models", "*.gguf"));
        Path current = vm.engineChoice().modelFolderProperty().get();
        if (current != null && current.getParent() != null && current.getParent().toFile().isDirectory()) {
            chooser.setInitialDirectory(current.getParent().toFile());
        }
        File picked = chooser.showOpenDialog(runButton.getScene().getWindow());
        if (picked != null) {
            vm.engineChoice().modelFolderProperty().set(picked.toPath());
        }
    }

    @FXML
    private void chooseAdapterFolder() {
        chooseFolder("Choose a LoRA adapter folder (adapter_config.json + adapter_model.safetensors)",
                vm.engineChoice().adapterFolderProperty());
    }

    @FXML
    private void clearAdapterFolder() {
        vm.engineChoice().adapterFolderProperty().set(null);
    }

    private void chooseFolder(String title, javafx.beans.property.ObjectProperty<Path> target) {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(title);
        Path current = target.get() != null ? target.get() : vm.engineChoice().modelFolderProperty().get();
        if (current != null && current.toFile().isDirectory()) {
            chooser.setInitialDirectory(current.toFile());
        }
        File picked = chooser.showDialog(runButton.getScene().getWindow());
        if (picked != null) {
            target.set(picked.toPath());
        }
    }

    public void focusPrompt() {
        promptArea.requestFocus();
    }
}
