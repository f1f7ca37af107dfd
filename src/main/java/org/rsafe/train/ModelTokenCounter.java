package org.rsafe.train;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.rsafe.util.UserException;

/** Counts tokens exactly with a model folder's own {@code tokenizer.json} (no special tokens added, no truncation). */
public final class ModelTokenCounter implements ToIntFunction<String>, AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;

    private ModelTokenCounter(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Opens {@code modelDir/tokenizer.json}. */
    public static ModelTokenCounter open(Path modelDir) {
        Path file = modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new UserException(modelDir + ": no tokenizer.json (is this a Hugging Face model folder?)");
        }
        try {
            return new ModelTokenCounter(HuggingFaceTokenizer.newInstance(file,
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false")));
        } catch (IOException | RuntimeException e) {
            throw new UserException(file + ": cannot load the tokenizer: " + e.getMessage(), e);
        }
    }

    @Override
    public int applyAsInt(String text) {
        return tokenizer.encode(text, false, false).getIds().length;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
