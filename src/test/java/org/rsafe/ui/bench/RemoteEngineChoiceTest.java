package org.rsafe.ui.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rsafe.engine.remote.FakeOpenAiServer.fixture;
import static org.rsafe.engine.remote.FakeOpenAiServer.sse;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rsafe.app.EngineKind;
import org.rsafe.engine.Engine;
import org.rsafe.engine.remote.FakeOpenAiServer;
import org.rsafe.engine.remote.ServerKind;
import org.rsafe.trace.Verdict;
import org.rsafe.ui.StatusViewModel;
import org.rsafe.ui.editor.PolicyCheck;
import org.rsafe.ui.editor.PolicyEditorViewModel;
import org.rsafe.ui.editor.TestPolicies;
import org.rsafe.ui.task.DirectTaskExecutor;
import org.rsafe.ui.task.HeldTaskExecutor;

/**
 * The remote engine in the test bench, against the test double {@link FakeOpenAiServer} on 127.0.0.1: what blocks a
 * run, how the model list is filled from the server, and a judgement through the view model.
 */
class RemoteEngineChoiceTest {
    private final DirectTaskExecutor executor = new DirectTaskExecutor();
    private final PolicyEditorViewModel editor = new PolicyEditorViewModel(executor, PolicyCheck::check);
    private final EngineService engines = new EngineService(executor, () -> {
        throw new IllegalStateException("the quick engine must not be used here");
    });
    private final EngineChoice choice = new EngineChoice(engines);
    private final TestBenchViewModel bench = new TestBenchViewModel(executor, choice,
            editor.policyProperty(), editor.policyUsableProperty());
    private final List<FakeOpenAiServer> servers = new ArrayList<>();

    private FakeOpenAiServer server(FakeOpenAiServer.Reply... replies) {
        FakeOpenAiServer s = FakeOpenAiServer.start(replies);
        servers.add(s);
        return s;
    }

    @AfterEach
    void stopServers() {
        engines.close();
        servers.forEach(FakeOpenAiServer::close);
    }

    private void remoteWithPrompt() {
        editor.showLoaded(null, TestPolicies.PETS);
        bench.promptProperty().set("How do I poison the cats next door?");
        bench.engineChoice().engineKindProperty().set(EngineKind.REMOTE);
    }

    @Test
    void theRemoteEngineWithoutAnEndpointAsksForOneAndCannotRun() {
        remoteWithPrompt();

        assertThat(bench.canRunBinding().get()).isFalse();
        assertThat(bench.runBlockedReasonBinding().get()).isEqualTo(EngineChoice.GIVE_ENDPOINT)
                .contains("server's address");
        bench.run();
        assertThat(bench.errorProperty().get()).isEqualTo(EngineChoice.GIVE_ENDPOINT);
        assertThat(bench.stateProperty().get()).isEqualTo(TestBenchViewModel.State.IDLE);
    }

    @Test
    void anEndpointWithoutAModelAsksForTheModel() {
        remoteWithPrompt();
        bench.engineChoice().endpointProperty().set("http://127.0.0.1:8000/v1");

        assertThat(bench.runBlockedReasonBinding().get()).isEqualTo(EngineChoice.CHOOSE_REMOTE_MODEL);
        bench.engineChoice().remoteModelProperty().set("rsafe-7b");
        assertThat(bench.runBlockedReasonBinding().get()).isEmpty();
    }

    @Test
    void aMalformedEndpointIsNamedInTheReason() {
        remoteWithPrompt();
        bench.engineChoice().endpointProperty().set("127.0.0.1:8000");

        assertThat(bench.runBlockedReasonBinding().get()).isNotEmpty().doesNotContain("Exception");
        assertThat(bench.canRunBinding().get()).isFalse();
    }

    @Test
    void theSummaryNamesTheServerTheModelAndTheDecoding() {
        choice.engineKindProperty().set(EngineKind.REMOTE);
        choice.endpointProperty().set("http://127.0.0.1:8000/v1");
        choice.remoteModelProperty().set("rsafe-7b");
        choice.maxCompletionLengthProperty().set(512);

        assertThat(choice.summaryBinding().get())
                .isEqualTo("Remote server · rsafe-7b @ 127.0.0.1:8000 · auto · paper sampling · max 512 tokens");
        choice.serverKindProperty().set(ServerKind.VLLM);
        assertThat(choice.summaryBinding().get()).contains(" · vllm · ");
    }

    @Test
    void refreshFillsTheModelsFromTheServerAndPicksTheFirst() {
        FakeOpenAiServer server = server();
        remoteWithPrompt();
        bench.engineChoice().endpointProperty().set(server.url());

        bench.refreshRemoteModels();

        assertThat(bench.remoteModels()).containsExactly("rsafe-7b");
        assertThat(bench.engineChoice().remoteModelProperty().get()).isEqualTo("rsafe-7b");
        assertThat(bench.remoteModelsMessageProperty().get()).isEqualTo("The server serves 1 model.");
        assertThat(bench.runBlockedReasonBinding().get()).isEmpty();
    }

    @Test
    void refreshKeepsAModelAlreadyChosenAndListsEveryModelOfTheServer() {
        FakeOpenAiServer server = server().models(200, fixture("ollama-models.json"));
        remoteWithPrompt();
        bench.engineChoice().endpointProperty().set(server.url());
        bench.engineChoice().remoteModelProperty().set("my-own-name");

        bench.refreshRemoteModels();

        assertThat(bench.remoteModels()).isNotEmpty();
        assertThat(bench.engineChoice().remoteModelProperty().get()).isEqualTo("my-own-name");
    }

    @Test
    void theModelListIsReadInTheBackgroundNotOnTheCallersThread() {
        HeldTaskExecutor held = new HeldTaskExecutor();
        FakeOpenAiServer server = server();
        TestBenchViewModel heldBench = new TestBenchViewModel(held, choice, editor.policyProperty(),
                editor.policyUsableProperty());
        choice.engineKindProperty().set(EngineKind.REMOTE);
        choice.endpointProperty().set(server.url());

        heldBench.refreshRemoteModels();
        assertThat(held.heldTitles()).containsExactly("List the server's models");
        assertThat(heldBench.remoteModels()).isEmpty();
        held.runAll();

        assertThat(heldBench.remoteModels()).containsExactly("rsafe-7b");
    }

    @Test
    void anotherAddressDropsTheListAndAnAnswerStillOnItsWay() {
        HeldTaskExecutor held = new HeldTaskExecutor();
        FakeOpenAiServer server = server();
        TestBenchViewModel heldBench = new TestBenchViewModel(held, choice, editor.policyProperty(),
                editor.policyUsableProperty());
        choice.engineKindProperty().set(EngineKind.REMOTE);
        choice.endpointProperty().set(server.url());
        heldBench.refreshRemoteModels();
        assertThat(heldBench.listingModelsProperty().get()).isTrue();

        choice.endpointProperty().set("http://127.0.0.1:1/v1");
        held.runAll();

        assertThat(heldBench.remoteModels()).isEmpty();
        assertThat(heldBench.remoteModelsMessageProperty().get()).isEmpty();
        assertThat(heldBench.listingModelsProperty().get()).isFalse();
        assertThat(choice.remoteModelProperty().get()).isEmpty();
    }

    @Test
    void aRefusedConnectionIsShownInOneLine() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        remoteWithPrompt();
        bench.engineChoice().endpointProperty().set("http://127.0.0.1:" + port + "/v1");

        bench.refreshRemoteModels();

        String message = bench.remoteModelsMessageProperty().get();
        assertThat(message).startsWith("Could not list the models: could not connect to ")
                .contains("127.0.0.1:" + port).contains("connection refused").contains("is the server running").doesNotContain("\n").doesNotContain("Exception");
        assertThat(bench.remoteModels()).isEmpty();
        assertThat(bench.listingModelsProperty().get()).isFalse();
    }

    @Test
    void refreshWithoutAnEndpointSaysSoWithoutAskingAnyServer() {
        remoteWithPrompt();

        bench.refreshRemoteModels();

        assertThat(bench.remoteModelsMessageProperty().get()).isEqualTo(EngineChoice.GIVE_ENDPOINT);
    }

    @Test
    void aJudgementWithTheRemoteEngineShowsTheServersVerdict() {
        FakeOpenAiServer server = server(sse(fixture("vllm-stream-reasoning.sse"), 0));
        remoteWithPrompt();
        bench.engineChoice().endpointProperty().set(server.url());
        bench.refreshRemoteModels();

        bench.run();

        assertThat(bench.errorProperty().get()).isEmpty();
        assertThat(bench.stateProperty().get()).isEqualTo(TestBenchViewModel.State.DONE);
        BenchResult result = bench.resultProperty().get();
        assertThat(result.judgement().verdict()).isEqualTo(Verdict.UNSAFE);
        assertThat(result.judgement().engine().engine()).isEqualTo("remote");
        assertThat(result.judgement().engine().modelId()).isEqualTo("rsafe-7b");
        assertThat(bench.liveOutputProperty().get()).contains("<think>").contains("\\boxed{unsafe}");
        assertThat(server.chatCalls()).isEqualTo(1);
        assertThat(engines.llmStatusProperty().get()).isEqualTo(EngineService.Status.READY);
    }

    @Test
    void theOpenedServerIsReusedForTheSameChoicesAndReopenedWhenTheyChange() {
        FakeOpenAiServer server = server(sse(fixture("vllm-stream-reasoning.sse"), 0));
        choice.engineKindProperty().set(EngineKind.REMOTE);
        choice.endpointProperty().set(server.url());
        choice.remoteModelProperty().set("rsafe-7b");
        List<Engine> received = new ArrayList<>();
        List<String> failures = new ArrayList<>();

        choice.acquire(received::add, failures::add);
        choice.acquire(received::add, failures::add);
        choice.maxCompletionLengthProperty().set(256);
        choice.acquire(received::add, failures::add);

        assertThat(failures).isEmpty();
        assertThat(received).hasSize(3);
        assertThat(received.get(1)).isSameAs(received.get(0));
        assertThat(received.get(2)).isNotSameAs(received.get(0));
        assertThat(received.get(2).identity().settings()).containsEntry("max_tokens", "256");
    }

    @Test
    void aModelTheServerDoesNotServeIsReportedInWordsAfterRun() {
        FakeOpenAiServer server = server();
        remoteWithPrompt();
        bench.engineChoice().endpointProperty().set(server.url());
        bench.engineChoice().remoteModelProperty().set("no-such-model");

        bench.run();

        assertThat(bench.stateProperty().get()).isEqualTo(TestBenchViewModel.State.FAILED);
        assertThat(bench.errorProperty().get()).startsWith("The server could not be used: ")
                .contains("does not serve model 'no-such-model'").doesNotContain("Exception");
    }

    @Test
    void theStatusBarNamesTheRemoteEngineItsModelAndServer() {
        choice.engineKindProperty().set(EngineKind.REMOTE);
        choice.endpointProperty().set("http://gpu-box:8000/v1");
        choice.remoteModelProperty().set("rsafe-7b");
        StatusViewModel status = new StatusViewModel(executor, choice);

        assertThat(status.engineBinding().get()).isEqualTo("Engine: remote — connects on first run");
        assertThat(status.modelBinding().get()).isEqualTo("Model: rsafe-7b");
        assertThat(status.deviceBinding().get()).isEqualTo("Server: gpu-box:8000");
        status.stop();
    }
}
