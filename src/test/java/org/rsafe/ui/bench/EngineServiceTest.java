package org.rsafe.ui.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.app.EngineKind;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.trace.EngineIdentity;
import org.rsafe.trace.Judgement;
import org.rsafe.ui.task.DirectTaskExecutor;

/** The session never closes a local model while a judgement or batch is still running on it. */
class EngineServiceTest {
    @TempDir
    Path dir;

    /** Test double for a local model: judge() blocks until released, close() is recorded. */
    private static final class BlockingTestEngine implements Engine {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean closed = new AtomicBoolean();
        final String model;

        BlockingTestEngine(String model) {
            this.model = model;
        }

        @Override
        public EngineIdentity identity() {
            return new EngineIdentity("llm", model, "", "cpu", Map.of());
        }

        @Override
        public Judgement judge(JudgeRequest request, JudgeListener listener, Cancellation cancellation) {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("test double: nothing to judge");
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void switchingModelsWhileTheOpenOneIsBusyIsRefusedAndLeavesItOpen() throws Exception {
        List<BlockingTestEngine> opened = new ArrayList<>();
        EngineService engines = new EngineService(new DirectTaskExecutor(), () -> {
            throw new IllegalStateException("no quick engine in this test");
        }, settings -> {
            BlockingTestEngine e = new BlockingTestEngine(settings.model().getFileName().toString());
            opened.add(e);
            return e;
        });
        EngineChoice choice = new EngineChoice(engines);
        choice.engineKindProperty().set(EngineKind.LOCAL_LLM);
        java.nio.file.Files.createDirectories(dir.resolve("model-a"));
        java.nio.file.Files.createDirectories(dir.resolve("model-b"));
        org.rsafe.policy.Policy policy = org.rsafe.policy.PolicyLoader.loadOrThrow(Path.of("policies/kids-community.yaml"));
        choice.modelFolderProperty().set(dir.resolve("model-a"));
        List<Engine> ready = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        choice.acquire(ready::add, failures::add);
        Engine a = ready.get(0);
        Thread running = new Thread(() -> {
            try {
                a.judge(new JudgeRequest("r1", policy, "hello", null, org.rsafe.prompt.TemplateKind.PAPER));
            } catch (RuntimeException expected) {
                // the test double ends every judgement with an error once released
            }
        });
        running.start();
        assertThat(opened.get(0).entered.await(10, TimeUnit.SECONDS)).isTrue();

        choice.modelFolderProperty().set(dir.resolve("model-b"));
        choice.acquire(ready::add, failures::add);

        assertThat(failures).containsExactly(
                "The open model is busy with a run; let it finish or cancel it before switching models.");
        assertThat(opened).hasSize(1);
        assertThat(opened.get(0).closed).isFalse();

        opened.get(0).release.countDown();
        running.join(10_000);
        choice.acquire(ready::add, failures::add);

        assertThat(opened).hasSize(2);
        assertThat(opened.get(0).closed).isTrue();
        assertThat(ready.get(ready.size() - 1).identity().modelId()).isEqualTo("model-b");
        engines.close();
    }
}
