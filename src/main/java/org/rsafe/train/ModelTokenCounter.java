package org.rsafe.train;

import java.nio.file.Path;
import java.util.function.ToIntFunction;
import org.rsafe.engine.llm.LlmTokenizer;
import org.rsafe.engine.llm.ModelFolder;

/** Counts tokens exactly as the trainer will, with a model folder's own {@code tokenizer.json}. */
public final class ModelTokenCounter implements ToIntFunction<String>, AutoCloseable {
    private final LlmTokenizer tokenizer;

    private ModelTokenCounter(LlmTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Opens {@code modelDir/tokenizer.json}; a missing or broken file is a user error naming it. */
    public static ModelTokenCounter open(Path modelDir) {
        return new ModelTokenCounter(LlmTokenizer.open(modelDir.resolve(ModelFolder.TOKENIZER_FILE)));
    }

    @Override
    public int applyAsInt(String text) {
        return tokenizer.encode(text).length;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
