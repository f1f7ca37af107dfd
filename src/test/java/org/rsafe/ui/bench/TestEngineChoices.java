package org.rsafe.ui.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.rsafe.app.EngineKind;
import org.rsafe.engine.llm.RandomModelWriter;
import org.rsafe.ui.task.DirectTaskExecutor;

/** Engine choices for view-model tests: the local LLM on a tiny random model, with a quick engine that must not run. */
public final class TestEngineChoices {
    private TestEngineChoices() { }

    /** The local LLM chosen, no model folder yet; asking for the quick engine fails the test. */
    public static EngineChoice localLlmOnly() {
        EngineService engines = new EngineService(new DirectTaskExecutor(), () -> {
            throw new IllegalStateException("the quick engine must not be used here");
        });
        engines.loadQuick();
        EngineChoice choice = new EngineChoice(engines);
        choice.engineKindProperty().set(EngineKind.LOCAL_LLM);
        return choice;
    }

    /** As {@link #localLlmOnly()}, with a tiny random Qwen2 model written to {@code modelDir} and chosen. */
    public static EngineChoice localLlmOnTinyModel(Path modelDir) throws IOException {
        RandomModelWriter.write(modelDir, RandomModelWriter.Shape.TINY, 7, RandomModelWriter.Options.defaults());
        EngineChoice choice = localLlmOnly();
        choice.modelFolderProperty().set(modelDir);
        return choice;
    }
}
